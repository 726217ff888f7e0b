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
import org.pysandbox.error.PythonFrame;
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
        byte[] payload = WireCodec.request(new WireRequest(config, false, "print(x)", "f.py", true, globals, null, null, null, true), LIMITS);
        WireRequest got = WireCodec.readRequest(Frames.RUN, payload, LIMITS, soon(), h -> h);
        assertThat(got.config()).isEqualTo(config);
        assertThat(got.config().toConfig().timeout()).hasSeconds(3);
        assertThat(got.code()).isEqualTo("print(x)");
        assertThat(got.globals()).isEqualTo(globals);
        assertThat(got.writeBack()).isTrue();
        byte[] inputsOnly = WireCodec.request(new WireRequest(config, false, "print(x)", "f.py", false, globals, null,
                null, null, false), LIMITS);
        assertThat(WireCodec.readRequest(Frames.RUN, inputsOnly, LIMITS, soon(), h -> h).writeBack()).isFalse();
    }

    /**
     * The host refuses exactly what the worker's reader would refuse (stop 45): at each limit the data goes
     * out and is read back whole, one past it the host refuses it before sending, saying which limit.
     */
    @Test
    void theHostsCheckOfOutgoingDataMatchesTheWorkersReader() throws Exception {
        WireLimits small = new WireLimits(1 << 20, 6, 10, 20, 24);
        String at = "é".repeat(9) + "ab"; // 20 UTF-8 bytes in 11 chars
        Object[][] cases = {
            // at the limit, one past it, the property named
            {at, at + "c", "bytes of UTF-8"},
            {"\uD83D\uDE00".repeat(5), "\uD83D\uDE00".repeat(5) + "x", "bytes of UTF-8"},
            {"\uD800".repeat(20), "\uD800".repeat(21), "bytes of UTF-8"}, // lone surrogates are '?'
            {new byte[20], new byte[21], "bytes of UTF-8"},
            {BigInteger.ONE.shiftLeft(20 * 8 - 2), BigInteger.ONE.shiftLeft(20 * 8 - 1), "bytes of UTF-8"},
            {'x', null, null},
            {List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), "more than 10 elements"},
            {new int[10], new int[11], "more than 10 elements"},
            {nestedLists(5, List.of()), nestedLists(6, List.of()), "nested deeper than 6"},
        };
        for (Object[] c : cases) {
            Map<String, Object> sent = new LinkedHashMap<>();
            sent.put("v", WireCodec.toData(c[0], "v", small));
            byte[] payload = WireCodec.request(new WireRequest(WireConfig.of(org.pysandbox.config.SandboxConfig.builder()
                    .build()), false, "v", "f.py", true, sent, null, null, null, true), small);
            WireRequest got = WireCodec.readRequest(Frames.RUN, payload, small, soon(), h -> h);
            assertThat(got.globals().get("v")).as(String.valueOf(c[0])).isNotNull();
            if (c[1] != null) {
                assertThatThrownBy(() -> WireCodec.toData(c[1], "v", small)).as(String.valueOf(c[1]))
                        .isInstanceOf(ScriptException.class).hasMessageContaining((String) c[2]);
                Map<String, Object> over = new LinkedHashMap<>(Map.of("v", WireCodec.toData(c[1], "v", LIMITS)));
                byte[] unchecked = WireCodec.request(new WireRequest(WireConfig.of(org.pysandbox.config.SandboxConfig
                        .builder().build()), false, "v", "f.py", true, over, null, null, null, true), LIMITS);
                assertThatThrownBy(() -> WireCodec.readRequest(Frames.RUN, unchecked, small, soon(), h -> h))
                        .as("the reader refuses " + c[1] + " too").isInstanceOf(BadFrameException.class);
            }
        }
        // an Optional is unwrapped on the wire but counted as a level: a chain of them ends, conservatively
        Object optionals = List.of();
        for (int i = 0; i < 10_000; i++) {
            optionals = java.util.Optional.of(optionals);
        }
        Object chain = optionals;
        assertThatThrownBy(() -> WireCodec.toData(chain, "v", small)).hasMessageContaining("nested deeper than 6");
        // review 32: what counts is what is sent, not what size() claims
        java.util.Collection<Integer> liar = new java.util.AbstractCollection<>() {
            @Override
            public java.util.Iterator<Integer> iterator() {
                return java.util.stream.IntStream.range(0, 11).iterator();
            }

            @Override
            public int size() {
                return 1;
            }
        };
        assertThatThrownBy(() -> WireCodec.toData(liar, "v", small)).hasMessageContaining("more than 10 elements");
        // review 32: a namespace and an argument list are collections on the wire too
        Map<String, Object> eleven = new LinkedHashMap<>();
        for (int i = 0; i < 11; i++) {
            eleven.put("n" + i, i);
        }
        assertThatThrownBy(() -> ProcessExecutor.identifiers(eleven, "globals", small))
                .hasMessageContaining("globals: a collection of more than 10 elements");
        eleven.remove("n10");
        eleven.put("not an identifier", 1); // never sent, so not counted
        assertThat(ProcessExecutor.identifiers(eleven, "globals", small)).hasSize(10);
        assertThatThrownBy(() -> ProcessExecutor.arguments(new Object[11], small))
                .hasMessageContaining("the arguments: a collection of more than 10 elements");
        assertThat(ProcessExecutor.arguments(new Object[10], small)).hasSize(10);
        assertThat(WireCodec.toData(java.util.Optional.of("x"), "v", small)).isEqualTo("x");
        assertThat(WireCodec.utf8Length("a\u00e9\u20ac\uD83D\uDE00\uDC00")).isEqualTo(1 + 2 + 3 + 4 + 1);
    }

    /**
     * Review 32: limits forwarded to workers as properties diverged from the host's (a property changed after
     * start-up, JAVA_TOOL_OPTIONS) and bound configuration and input frames. A worker reads under fixed limits.
     */
    @Test
    void aWorkerReadsUnderFixedLimitsWhateverTheHostsProperties() throws Exception {
        String before = System.getProperty(WireLimits.MAX_STRING_PROPERTY);
        System.setProperty(WireLimits.MAX_STRING_PROPERTY, "1234");
        try {
            assertThat(WorkerProcess.command("64m", 1, WorkerMain.class.getName()))
                    .noneMatch(a -> a.startsWith("-Dpysandbox.process"));
            assertThat(WireLimits.fromSystemProperties().maxString()).isEqualTo(1234);
            assertThat(WireLimits.WORKER.maxString()).isEqualTo(16 << 20);
            Map<String, Object> sent = new LinkedHashMap<>(Map.of("v", WireCodec.toData("x".repeat(2000), "v",
                    WireLimits.WORKER)));
            byte[] payload = WireCodec.request(new WireRequest(WireConfig.of(org.pysandbox.config.SandboxConfig.builder()
                    .build()), false, "v", "f.py", true, sent, null, null, null, true), WireLimits.WORKER);
            assertThat(WireCodec.readRequest(Frames.RUN, payload, WireLimits.WORKER, soon(), h -> h).globals())
                    .isEqualTo(sent);
        } finally {
            if (before == null) {
                System.clearProperty(WireLimits.MAX_STRING_PROPERTY);
            } else {
                System.setProperty(WireLimits.MAX_STRING_PROPERTY, before);
            }
        }
    }

    /**
     * Review 33: what the host sends is bounded as it is written, and the configuration is checked as data is.
     * A request of many references to one large string filled the host's heap before the size check; a
     * timeout under 1 ms was 0 on the wire (no limit at all); an allowed path over the worker's limit ended
     * each new worker while it was being configured.
     */
    @Test
    void requestsAndConfigurationsAreBoundedBeforeAWorkerSeesThem() throws Exception {
        WireLimits small = new WireLimits(1000, 6, 200, 20, 24);
        Map<String, Object> many = new LinkedHashMap<>(Map.of("v", WireCodec.toData(
                java.util.Collections.nCopies(100, "x".repeat(20)), "v", small)));
        org.pysandbox.config.SandboxConfig defaults = org.pysandbox.config.SandboxConfig.builder().build();
        assertThatThrownBy(() -> WireCodec.request(new WireRequest(WireConfig.of(defaults), false, "v", "f.py", true,
                many, null, null, null, true), small)).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("more than 1000 bytes");

        java.time.Duration under = java.time.Duration.ofNanos(999_000);
        org.pysandbox.config.SandboxConfig quick = org.pysandbox.config.SandboxConfig.builder().timeout(under).build();
        assertThat(quick.timeout()).isEqualTo(java.time.Duration.ofMillis(1));
        assertThat(WireConfig.of(quick).timeoutMillis()).isEqualTo(1);
        assertThat(org.pysandbox.config.SandboxConfig.builder().timeout(java.time.Duration.ofNanos(1_500_000)).build()
                .timeout()).isEqualTo(java.time.Duration.ofMillis(2));
        assertThat(org.pysandbox.config.SandboxConfig.builder().timeout(java.time.Duration.ofSeconds(3)).build()
                .timeout()).isEqualTo(java.time.Duration.ofSeconds(3));

        org.pysandbox.config.SandboxConfig longPath = org.pysandbox.config.SandboxConfig.builder()
                .isolation(org.pysandbox.config.Isolation.PROCESS).allowPath("/" + "a".repeat(16 << 20)).build();
        List<String> started = new ArrayList<>();
        try (ProcessExecutor executor = new ProcessExecutor(longPath, heap -> {
            started.add(heap);
            throw new java.io.IOException("no worker in this test");
        })) {
            assertThatThrownBy(executor::workerForTest).isInstanceOf(ScriptException.class)
                    .hasMessageContaining("the configuration's allowed paths: a string of 16777217 bytes");
        }
        assertThat(started).as("no worker started for a configuration it would refuse").isEmpty();

        // review 34: each string within the limits, together over what a request can carry beside its data
        org.pysandbox.config.SandboxConfig.Builder paths = org.pysandbox.config.SandboxConfig.builder();
        for (int i = 0; i < 5; i++) {
            paths.allowPath("/" + i + "a".repeat(4 << 20));
        }
        org.pysandbox.config.SandboxConfig large = paths.build();
        assertThatThrownBy(() -> WireConfig.of(large, WireLimits.WORKER, WireLimits.HOST)).isInstanceOf(ScriptException.class)
                .hasMessageContaining("the configuration takes more than " + WireConfig.MAX_BYTES + " bytes");
    }

    /**
     * Review 35: a worker writes its result under what the host reads, which travels in every configuration:
     * what the host would refuse (and kill the worker for) fails as it is written, each limit at its edge.
     */
    @Test
    void aResultIsWrittenUnderTheLimitsTheHostReadsWith() throws Exception {
        WireLimits host = new WireLimits(200, 4, 10, 20, 24);
        WireConfig config = new WireConfig(List.of(), Map.of(), List.of(), 100, 0, 0, 0, host);
        WireWriter w = new WireWriter(UnaryOperator.identity(), WireCodec.MAX_WRITE_DEPTH, 1 << 20, "the configuration");
        config.writeTo(w);
        assertThat(WireConfig.read(new WireReader(w.toByteArray(), LIMITS, soon(), h -> h)).results()).isEqualTo(host);
        Object[][] cases = {
            {"x".repeat(20), "x".repeat(21), WireLimits.MAX_STRING_PROPERTY},
            {new byte[20], new byte[21], WireLimits.MAX_STRING_PROPERTY},
            {List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), java.util.Collections.nCopies(11, 0), WireLimits.MAX_ITEMS_PROPERTY},
            {nestedLists(4, List.of()), nestedLists(5, List.of()), WireLimits.MAX_DEPTH_PROPERTY},
            {java.util.Collections.nCopies(3, "x".repeat(20)), java.util.Collections.nCopies(10, "x".repeat(20)),
                    "more than 200 bytes"},
        };
        for (Object[] c : cases) {
            byte[] ok = WireCodec.response(new WireResponse(c[0], null, null, null), UnaryOperator.identity(), host);
            assertThat(WireCodec.readResponse(ok, host, soon()).value()).as(String.valueOf(c[0])).isNotNull();
            assertThatThrownBy(() -> WireCodec.response(new WireResponse(c[1], null, null, null),
                    UnaryOperator.identity(), host)).as(String.valueOf(c[1])).isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining("the result").hasMessageContaining((String) c[2]);
            byte[] unchecked = WireCodec.response(new WireResponse(c[1], null, null, null), UnaryOperator.identity());
            if (c[2].equals("more than 200 bytes")) {
                assertThat(unchecked.length).as("a frame the host refuses (Frames.read)").isGreaterThan(host.maxFrame());
            } else {
                assertThatThrownBy(() -> WireCodec.readResponse(unchecked, host, soon()))
                        .as("the host refuses " + c[1] + " too").isInstanceOf(BadFrameException.class);
            }
        }
    }

    /** {@code depth} lists around {@code leaf}. */
    private static Object nestedLists(int depth, Object leaf) {
        Object v = leaf;
        for (int i = 1; i < depth; i++) {
            v = List.of(v);
        }
        return v;
    }

    @Test
    void errorsCrossAsDataAndComeBackAsTheHostsOwnExceptions() throws Exception {
        List<ScriptException> failures = new ArrayList<>(List.of(
                new PythonScriptException("ZeroDivisionError", "division by zero", "a.py", 3, 4),
                new SandboxViolationException("ImportError", "import of 'os' is blocked", "module os", "b.py", 1, 0),
                // review 37: a setting the message renders (enable("interpreter")) had its hint twice
                new SandboxViolationException("ImportBlocked", "import of module 'sys' is blocked by the sandbox",
                        "feature 'interpreter'", "b.py", 1, 0),
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
            if (sent instanceof PythonScriptException p) {
                assertThat(((PythonScriptException) rebuilt).getPythonMessage()).isEqualTo(p.getPythonMessage());
            }
        }
    }

    /**
     * Review 39: the worker's read-back of a result had until the script's start + timeout, which the
     * conversion and encoding after a script that ended just inside its timeout could use up: results the
     * host would have taken were refused. It has half of what the host will have left: of the timeout and
     * the host's grace, or of maxDecodeMillis (from the result's arrival) without a timeout.
     */
    @Test
    void aWorkerReadsAResultBackInHalfTheTimeTheHostHasLeft() {
        WireLimits host = new WireLimits(64 << 20, 200, 4_000_000, 16 << 20, 24, 10_000, 800);
        long ms = 1_000_000L;
        assertThat(WorkerMain.readBackNanos(host, System.nanoTime(), 0)).isEqualTo(5_000 * ms);
        assertThat(WorkerMain.readBackNanos(new WireLimits(1024, 1, 1, 64, 24, 3, 0), System.nanoTime(), 0))
                .isEqualTo(1_500_000L);
        // 4.9 s into a 5-s timeout: 0.9 s left of the host's wait (with its grace), 0.45 s of it to read back
        long near = WorkerMain.readBackNanos(host, System.nanoTime() - 4_900 * ms, 5_000);
        assertThat(near).isBetween(400 * ms, 450 * ms);
        assertThat(WorkerMain.readBackNanos(host, System.nanoTime() - 6_000 * ms, 5_000)).isZero();
        // review 40: a grace of Long.MAX_VALUE ("never kill") overflowed into no time at all, on both sides
        WireLimits patient = new WireLimits(64 << 20, 200, 4_000_000, 16 << 20, 24, 10_000, Long.MAX_VALUE);
        assertThat(WorkerMain.readBackNanos(patient, System.nanoTime(), 5_000)).isGreaterThan(Long.MAX_VALUE / 4);
        assertThat(WorkerMain.readBackNanos(host, System.nanoTime(), org.pysandbox.config.SandboxConfig.LONGEST_TIMEOUT.toMillis()))
                .isGreaterThan(Long.MAX_VALUE / 4);
        assertThat(ProcessExecutor.later(System.currentTimeMillis(), 5_000, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(ProcessExecutor.later(Long.MAX_VALUE - 10, 60_000)).isEqualTo(Long.MAX_VALUE);
        assertThat(ProcessExecutor.later(1_000, 5_000, 750)).isEqualTo(6_750);
    }

    /**
     * Review 37: under a host's maxString of 40 the worker's explanation of a refused result was refused in
     * turn (its fallback was written unchecked), and the host killed the worker. A host may not read with
     * less than an error needs, and under the least it may, any error crosses, cut to fit.
     */
    @Test
    void anyErrorCrossesUnderTheLeastLimitsAHostMaySet() throws Exception {
        assertThatThrownBy(() -> new WireLimits(64 << 20, 200, 4_000_000, 40, 24).requireUsable())
                .isInstanceOf(org.pysandbox.config.SandboxConfigurationException.class)
                .hasMessageContaining("pysandbox.process.maxString >= 64").hasMessageContaining("40");
        assertThatThrownBy(() -> new WireLimits(1000, 200, 4_000_000, 64, 24).requireUsable())
                .hasMessageContaining("pysandbox.process.maxFrame >= 1024");
        // reviews 39-40: a worker reads a result back in half of maxDecodeMillis; half of 1 ms was none, and at
        // 2 ms noise chose between refusing every namespace and the host killing the worker
        assertThatThrownBy(() -> new WireLimits(1 << 20, 200, 4_000_000, 64, 24, 999, 750).requireUsable())
                .hasMessageContaining("pysandbox.process.maxDecodeMillis >= 1000");
        assertThatThrownBy(() -> new WireLimits(1 << 20, 200, 4_000_000, 64, 24, 1000, -1).requireUsable())
                .hasMessageContaining("pysandbox.process.killGraceMillis >= 0");
        assertThatThrownBy(() -> new ProcessExecutor(org.pysandbox.config.SandboxConfig.builder().build(), heap -> {
            throw new java.io.IOException("no worker in this test");
        }, 1000, new WireLimits(64 << 20, 200, 4_000_000, 40, 24))).hasMessageContaining("maxString >= 64");

        WireLimits least = new WireLimits(WireLimits.LEAST_FRAME, 1, 0, WireLimits.LEAST_STRING, 24).requireUsable();
        List<PythonFrame> frames = new ArrayList<>();
        for (int i = 0; i < PythonScriptException.MAX_FRAMES; i++) {
            frames.add(new PythonFrame("file" + "\u20ac".repeat(100), i, "function" + "x".repeat(100)));
        }
        String longest = "\uD83D\uDE00".repeat(1000);
        List<ScriptException> errors = List.of(
                new ScriptException("the script's result cannot cross to the host: " + "x".repeat(5000)),
                new SandboxViolationException(longest, longest, longest, longest, 1, 1, frames),
                new PythonScriptException(longest, longest, longest, 2, 2, frames),
                new ScriptExitException(longest, longest),
                new ScriptTimeoutException(longest, longest, 3));
        // review 38: the texts' shares left out the fields' tags and lengths, and 100 frames did not fit a frame
        // of up to ~3 KB
        for (int frame : new int[] {WireLimits.LEAST_FRAME, 1500, 2048, 3000, 4096}) {
            WireLimits small = new WireLimits(frame, 1, 0, WireLimits.LEAST_STRING, 24);
            for (ScriptException sent : errors) {
                WireCodec.readResponse(WireCodec.response(new WireResponse(null, null, null, WireError.of(sent)),
                        o -> o, small), small, soon());
            }
        }
        for (ScriptException sent : errors) {
            byte[] payload = WireCodec.response(new WireResponse(null, null, null, WireError.of(sent)), o -> o, least);
            ScriptException got = WireCodec.readResponse(payload, least, soon()).error().toException();
            assertThat(got).as(sent.getClass().getSimpleName()).isExactlyInstanceOf(sent.getClass());
            if (got instanceof PythonScriptException p && !((PythonScriptException) sent).getPythonFrames().isEmpty()) {
                assertThat(p.getPythonFrames()).as("the innermost frames that fit").isNotEmpty()
                        .last().extracting(PythonFrame::lineNumber).isEqualTo(PythonScriptException.MAX_FRAMES - 1);
            }
        }
    }

    @Test
    void anUnknownErrorKindBecomesAPlainScriptException() throws Exception {
        WireError odd = new WireError("java.net.URL", "X", "m", null, -1, -1, null, null,
                List.of(new PythonFrame("a.py", 1, "f")));
        byte[] payload = WireCodec.response(new WireResponse(null, null, null, odd), o -> o);
        ScriptException e = WireCodec.readResponse(payload, LIMITS, soon()).error().toException();
        assertThat(e).isExactlyInstanceOf(ScriptException.class).hasMessageContaining("m");
        assertThat(e.getCause()).isInstanceOf(RemoteTraceback.class)
                .hasMessage("Traceback (most recent call last):\n  File \"a.py\", line 1, in f\n");
    }

    /**
     * Review 36, finding 3: an error with a field over what the host reads replaced the script's exception by
     * "the result cannot cross"; each field is cut to its share of the host's limits instead, on a character
     * boundary, saying how much was cut, and the frames keep their places.
     */
    @Test
    void anErrorIsCutToWhatTheHostReadsNotReplaced() throws Exception {
        WireLimits host = new WireLimits(64 << 10, 8, 100, 1000, 24);
        String longText = "x".repeat(971) + "\uD83D\uDE00".repeat(3000);
        List<PythonFrame> frames = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            frames.add(new PythonFrame("f" + i + ".py" + "é".repeat(i == 149 ? 5000 : 0), i, "g" + i));
        }
        PythonScriptException sent = new PythonScriptException("E" + "é".repeat(3000), longText, longText, 7, 1, frames);
        byte[] payload = WireCodec.response(new WireResponse(null, null, null, WireError.of(sent)), o -> o, host);
        PythonScriptException got = (PythonScriptException) WireCodec.readResponse(payload, host, soon()).error()
                .toException();
        long total = WireCodec.utf8Length(longText);
        // within 1,000 bytes with its 27-byte note, the message keeps 971 'x' and no half of the 4-byte emoji
        // the budget ends in
        assertThat(got.getPythonMessage()).isEqualTo("x".repeat(971) + " [... " + (total - 971) + " more bytes cut]");
        assertThat(WireCodec.utf8Length(got.getPythonType())).isBetween(980L, 1000L);
        assertThat(got.getPythonType()).startsWith("Eé").doesNotContain("\uFFFD").endsWith("more bytes cut]");
        assertThat(got.getFileName()).isEqualTo(got.getPythonMessage());
        assertThat(got.getLineNumber()).isEqualTo(7);
        assertThat(got.getPythonFrames()).hasSize(PythonScriptException.MAX_FRAMES);
        assertThat(got.getPythonFrames().get(0)).isEqualTo(new PythonFrame("f50.py", 50, "g50"));
        PythonFrame innermost = got.getPythonFrames().get(99);
        assertThat(innermost.lineNumber()).isEqualTo(149);
        assertThat(innermost.fileName()).startsWith("f149.pyé").endsWith("more bytes cut]");
        assertThat(WireCodec.utf8Length(innermost.fileName())).isLessThanOrEqualTo((64 << 10) / 1000);
        // a budget smaller than the note keeps what fits, with no note
        assertThat(WireError.cut("abcdefé", 7)).isEqualTo("abcdef");
        assertThat(WireError.cut("\uD83D\uDE00\uD83D\uDE00", 7)).isEqualTo("\uD83D\uDE00");
        assertThat(WireError.cut("short", 5)).isEqualTo("short");
        // a worker that sends more frames than any error keeps is refused, and an exit status no worker sends
        // (a big int, which the host's exception would spend minutes turning into text: review 38)
        WireWriter w = new WireWriter(o -> o, WireCodec.MAX_WRITE_DEPTH, 1 << 20, "test");
        w.value("E").value("python").value("T").value("m").value(null).value(1).value(1).value(null).value(null)
                .value(PythonScriptException.MAX_FRAMES + 1);
        assertThatThrownBy(() -> WireCodec.readResponse(w.toByteArray(), LIMITS, soon()))
                .isInstanceOf(BadFrameException.class).hasMessageContaining("101 frames in an error");
        WireWriter big = new WireWriter(o -> o, WireCodec.MAX_WRITE_DEPTH, 1 << 20, "test");
        big.value("E").value("exit").value(null).value(null).value(null).value(1).value(1).value(null)
                .value(BigInteger.ONE.shiftLeft(8 * 1000)).value(0);
        assertThatThrownBy(() -> WireCodec.readResponse(big.toByteArray(), LIMITS, soon()))
                .isInstanceOf(BadFrameException.class).hasMessageContaining("an exit status that is not an int of at most");
    }

    @Test
    void nonDataIsRefusedByTheWriter() {
        assertThatThrownBy(() -> WireCodec.response(new WireResponse(new Object(), null, null, null), o -> o))
                .hasMessageContaining("not data");
    }
}
