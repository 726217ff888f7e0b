package org.pysandbox.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pysandbox.Sandbox;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.error.ResourceLimitException;

/** A guest int reaches the host as an Integer, a Long or a BigInteger, by its size, with its exact value. */
class GuestIntegersTest {

    @Test
    void eachIntTakesTheSmallestJavaTypeThatHoldsIt() throws Exception {
        try (Sandbox sandbox = new Sandbox()) {
            Map<String, Object> expected = new java.util.LinkedHashMap<>();
            expected.put("0", 0);
            expected.put("2 ** 31 - 1", Integer.MAX_VALUE);
            expected.put("-2 ** 31", Integer.MIN_VALUE);
            expected.put("2 ** 31", 1L << 31);
            expected.put("-2 ** 31 - 1", -(1L << 31) - 1);
            expected.put("2 ** 62", 1L << 62);
            expected.put("2 ** 63 - 1", Long.MAX_VALUE);
            expected.put("-2 ** 63", Long.MIN_VALUE);
            expected.put("2 ** 63", BigInteger.ONE.shiftLeft(63));
            expected.put("-2 ** 63 - 1", BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE));
            expected.put("-(10 ** 5000) + 7", BigInteger.TEN.pow(5000).negate().add(BigInteger.valueOf(7)));
            for (Map.Entry<String, Object> e : expected.entrySet()) {
                Object value = sandbox.eval(e.getKey());
                assertThat(value).as(e.getKey()).isEqualTo(e.getValue());
                assertThat(value.getClass()).as(e.getKey()).isEqualTo(e.getValue().getClass());
            }
        }
    }

    /**
     * Review 63: an int beyond a long crosses as decimal text that the guest makes, per occurrence, within the
     * call's limits, so a host never spends more to print it than the call spent. Handed over as itself (tried
     * in stop 53), a list of 10,000 references to one 1-MiB int arrived in 0.2 s, and the llm-tool sample's JSON
     * writer then needed hours of the host's time to print it; a 2-MiB int key cost its String.valueOf 7 s.
     */
    @Test
    void aHugeIntCostsTheCallThatSendsItNotTheHost() throws Exception {
        try (Sandbox sandbox = new Sandbox(SandboxConfig.builder().timeout(Duration.ofSeconds(2)).build())) {
            assertThatThrownBy(() -> sandbox.eval("[1 << (8 * 2 ** 20)] * 10 ** 4"))
                    .isInstanceOf(ResourceLimitException.class);
            assertThatThrownBy(() -> sandbox.eval("{1 << (8 * 2 * 2 ** 20): 0}"))
                    .isInstanceOf(ResourceLimitException.class);
            assertThat(sandbox.eval("10 ** 3000 + 1")).isEqualTo(BigInteger.TEN.pow(3000).add(BigInteger.ONE));
        }
    }
}
