package org.pysandbox.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;
import org.pysandbox.Sandbox;

/**
 * A timeout is kept in whole milliseconds, a fraction rounded up, because a worker process and its host
 * count it in milliseconds (review 33: 0.999 ms was 0, no limit); "forever" is the longest timeout whose
 * nanoseconds fit in a long (review 34: rounded up past it, every call overflowed).
 */
class TimeoutTest {
    private static Duration kept(Duration asked) {
        return SandboxConfig.builder().timeout(asked).build().timeout();
    }

    @Test
    void aTimeoutIsKeptInWholeMillisecondsRoundedUp() {
        assertThat(kept(Duration.ofNanos(1))).isEqualTo(Duration.ofMillis(1));
        assertThat(kept(Duration.ofNanos(999_000))).isEqualTo(Duration.ofMillis(1));
        assertThat(kept(Duration.ofNanos(1_500_000))).isEqualTo(Duration.ofMillis(2));
        assertThat(kept(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(kept(Duration.ZERO)).isEqualTo(Duration.ZERO);
        assertThat(SandboxConfig.builder().timeout(Duration.ofNanos(1)).build().toBuilder().build().timeout())
                .isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void foreverIsTheLongestTimeoutAndStillRuns() throws Exception {
        for (Duration forever : new Duration[] {Duration.ofNanos(Long.MAX_VALUE),
                Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), ChronoUnit.FOREVER.getDuration(),
                Duration.ofMillis(Long.MAX_VALUE)}) {
            assertThat(kept(forever)).as(forever.toString()).isEqualTo(SandboxConfig.LONGEST_TIMEOUT);
        }
        assertThat(SandboxConfig.LONGEST_TIMEOUT.toNanos()).isLessThanOrEqualTo(Long.MAX_VALUE);
        try (Sandbox sandbox = new Sandbox(SandboxConfig.builder().timeout(Duration.ofNanos(Long.MAX_VALUE)).build())) {
            assertThat(sandbox.eval("1 + 1")).isEqualTo(2);
        }
    }
}
