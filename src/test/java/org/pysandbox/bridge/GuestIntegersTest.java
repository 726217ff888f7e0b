package org.pysandbox.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pysandbox.Sandbox;
import org.pysandbox.config.SandboxConfig;

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
     * An int of 954,000 digits crosses in time linear in its size, as a value and as a name written back. As
     * decimal text it took tens of seconds (GraalPy's str() and BigInteger's parser are both quadratic), so a
     * script that only left such a number in its globals ran out of its 5-s timeout after its last line.
     */
    @Test
    void aHugeIntCrossesWithinTheDefaultTimeout() throws Exception {
        BigInteger expected = BigInteger.valueOf(3).pow(2_000_000);
        try (Sandbox sandbox = new Sandbox(SandboxConfig.builder().timeout(Duration.ofSeconds(5)).build())) {
            assertThat(sandbox.eval("3 ** (2 * 10 ** 6)")).isEqualTo(expected);
            Map<String, Object> globals = new HashMap<>();
            sandbox.execute("x = -3 ** (2 * 10 ** 6)", globals);
            assertThat(globals.get("x")).isEqualTo(expected.negate());
        }
    }
}
