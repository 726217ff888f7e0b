package org.pysandbox.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** One syntax for durations and sizes on every surface (command line, context attributes, system properties). */
class UnitsTest {
    @Test
    void durationsInEveryForm() {
        assertThat(Units.parseDuration("400")).isEqualTo(Duration.ofMillis(400));
        assertThat(Units.parseDuration("0")).isEqualTo(Duration.ZERO);
        assertThat(Units.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Units.parseDuration(" 5 S ")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Units.parseDuration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Units.parseDuration("0.5ms")).isEqualTo(Duration.ofMillis(1));
        // a fraction of a millisecond rounds up (review 34: "0.4ms" was 0, no limit at all)
        assertThat(Units.parseDuration("0.4ms")).isEqualTo(Duration.ofMillis(1));
        assertThat(Units.parseDuration("0.0000001h")).isEqualTo(Duration.ofMillis(1));
        assertThat(Units.parseDuration("1.4ms")).isEqualTo(Duration.ofMillis(2));
        assertThat(Units.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Units.parseDuration("2min")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Units.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Units.parseDuration("PT0.5S")).isEqualTo(Duration.ofMillis(500));
        assertThat(Units.parseDuration("pt1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Units.parseDuration("-PT1S")).isEqualTo(Duration.ofSeconds(-1));
    }

    @Test
    void malformedOrHugeDurationsSayWhy() {
        for (String bad : new String[] {"soon", "5 parsecs", "-5s", "1e3s", "PT5X", ""}) {
            assertThatThrownBy(() -> Units.parseDuration(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("'" + bad + "' is not a duration; use " + Units.DURATION_FORMS);
        }
        // past what a long holds in milliseconds: refused, not rounded to Long.MAX_VALUE (the javax.script
        // attribute did that until the parsers were merged)
        for (String huge : new String[] {"9999999999999999h", "99999999999999999999", "PT9999999999999999H", "PT9999999999999H"}) {
            assertThatThrownBy(() -> Units.parseDuration(huge)).as(huge).hasMessage("'" + huge + "' is too long");
        }
    }

    @Test
    void sizesInEveryForm() {
        assertThat(Units.parseBytes("4096")).isEqualTo(4096L);
        assertThat(Units.parseBytes("512k")).isEqualTo(512L << 10);
        assertThat(Units.parseBytes("64m")).isEqualTo(64L << 20);
        assertThat(Units.parseBytes("64MB")).isEqualTo(64L << 20);
        assertThat(Units.parseBytes("64 MiB")).isEqualTo(64L << 20);
        assertThat(Units.parseBytes("1g")).isEqualTo(1L << 30);
        assertThat(Units.parseBytes("2t")).isEqualTo(2L << 40);
        assertThat(Units.parseBytes("100b")).isEqualTo(100L);
    }

    @Test
    void malformedOrHugeSizesSayWhy() {
        for (String bad : new String[] {"lots", "-1", "1.5m", "64 elephants", "1p", ""}) {
            assertThatThrownBy(() -> Units.parseBytes(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("'" + bad + "' is not a size; use " + Units.BYTE_FORMS);
        }
        for (String huge : new String[] {"99999999999999999999", "99999999999999999k", "8388608t"}) {
            assertThatThrownBy(() -> Units.parseBytes(huge)).as(huge).hasMessage("'" + huge + "' is too large");
        }
    }
}
