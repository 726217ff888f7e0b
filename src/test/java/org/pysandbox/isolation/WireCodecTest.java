package org.pysandbox.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import javax.script.ScriptException;

import org.junit.jupiter.api.Test;
import org.pysandbox.error.MemoryLimitException;
import org.pysandbox.error.PythonScriptException;
import org.pysandbox.error.SandboxViolationException;
import org.pysandbox.error.ScriptExitException;
import org.pysandbox.error.ScriptTimeoutException;

/** The data format and the messages: what one side writes, the other reads back as the same data. */
class WireCodecTest {
    static final WireLimits LIMITS = WireLimits.fromSystemProperties();

    static long soon() {
        return System.nanoTime() + 5_000_000_000L;
    }

    @Test
    void everyDataTypeRoundTrips() throws Exception {
        Map<String, Object> globals = new LinkedHashMap<>();
        globals.put("none", null);
        globals.put("flags", Arrays.asList(true, false));
        globals.put("ints", List.of(1, -2, 1L << 40, new BigInteger("123456789012345678901234567890"), -(1L << 62)));
        globals.put("float", 2.5);
        globals.put("text", "héllo \uD83D\uDE00");
        globals.put("dict", Map.of("k", List.of(1, 2)));
        globals.put("set", Set.of(1, "a"));
        globals.put("tuple key", Map.of(List.of(1, 2), "pair"));
        globals.put("handle", new RemoteGuestObject(7, 9));
        byte[] raw = {0, 1, (byte) 0xff};
        WireResponse sent = new WireResponse(List.of(raw), globals, null, null);
        WireResponse got = WireCodec.readResponse(WireCodec.response(sent, UnaryOperator.identity()), LIMITS, soon());
        assertThat(got.error()).isNull();
        assertThat(got.locals()).isNull();
        assertThat((byte[]) ((List<?>) got.value()).get(0)).containsExactly(raw);
        assertThat(got.globals()).isEqualTo(globals);
        assertThat(got.globals().get("ints")).asList().extracting(Object::getClass).containsExactly(Integer.class,
                Integer.class, Long.class, BigInteger.class, Long.class);
        assertThatThrownBy(() -> got.globals().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aRunRequestCarriesItsConfigurationInItsOwnField() throws Exception {
        WireConfig config = WireConfig.of(org.pysandbox.config.SandboxConfig.builder().enable("stdout")
                .timeout(java.time.Duration.ofSeconds(3)).build());
        Map<String, Object> globals = new LinkedHashMap<>(Map.of("x", 1));
        byte[] payload = WireCodec.request(new WireRequest(config, false, "print(x)", "f.py", true, globals, null, null, null));
        WireRequest got = WireCodec.readRequest(Frames.RUN, payload, LIMITS, soon(), h -> h);
        assertThat(got.config()).isEqualTo(config);
        assertThat(got.config().toConfig().timeout()).hasSeconds(3);
        assertThat(got.code()).isEqualTo("print(x)");
        assertThat(got.globals()).isEqualTo(globals);
    }

    @Test
    void errorsCrossAsDataAndComeBackAsTheHostsOwnExceptions() throws Exception {
        List<ScriptException> failures = new ArrayList<>(List.of(
                new PythonScriptException("ZeroDivisionError", "division by zero", "a.py", 3, 4),
                new SandboxViolationException("ImportError", "import of 'os' is blocked", "module os", "b.py", 1, 0),
                new ScriptExitException(2, "c.py"),
                new ScriptTimeoutException("script stopped: it ran longer than 1 s (pysandbox.timeout)", "d.py", -1),
                new MemoryLimitException("script stopped: MemoryError", "e.py", 5),
                new ScriptException("plain failure")));
        for (ScriptException sent : failures) {
            byte[] payload = WireCodec.response(new WireResponse(null, null, null, WireError.of(sent)), o -> o);
            WireResponse got = WireCodec.readResponse(payload, LIMITS, soon());
            ScriptException rebuilt = got.error().toException();
            assertThat(rebuilt).as(sent.toString()).isExactlyInstanceOf(sent.getClass()).isNotSameAs(sent)
                    .hasMessage(sent.getMessage());
            assertThat(rebuilt.getLineNumber()).isEqualTo(sent.getLineNumber());
            assertThat(rebuilt.getFileName()).isEqualTo(sent.getFileName());
        }
    }

    @Test
    void anUnknownErrorKindBecomesAPlainScriptException() throws Exception {
        WireError odd = new WireError("java.net.URL", "X", "m", null, -1, -1, null, null, "tb");
        byte[] payload = WireCodec.response(new WireResponse(null, null, null, odd), o -> o);
        ScriptException e = WireCodec.readResponse(payload, LIMITS, soon()).error().toException();
        assertThat(e).isExactlyInstanceOf(ScriptException.class).hasMessageContaining("m");
        assertThat(e.getCause()).isInstanceOf(RemoteTraceback.class).hasMessage("tb");
    }

    @Test
    void nonDataIsRefusedByTheWriter() {
        assertThatThrownBy(() -> WireCodec.response(new WireResponse(new Object(), null, null, null), o -> o))
                .hasMessageContaining("not data");
    }
}
