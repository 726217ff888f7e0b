package org.pysandbox.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.script.ScriptException;

import org.junit.jupiter.api.Test;
import org.pysandbox.config.Isolation;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.error.MemoryLimitException;
import org.pysandbox.error.ScriptTimeoutException;
import org.pysandbox.limits.Executor;

/**
 * A compromised worker ({@link HostileWorkerMain}) that writes garbage, floods its channel, stops
 * reading, lies about a frame's length or allocates without bound: the host kills it, the caller has
 * its answer within timeout + 1 s, and the next call runs in a fresh worker that has nothing of the
 * killed one (no output, no objects, a new process).
 */
class WorkerLifecycleTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final SandboxConfig CONFIG = SandboxConfig.builder().enable("stdout").timeout(TIMEOUT)
            .maxMemory(64L << 20).maxOutput(64L << 10).isolation(Isolation.PROCESS).build();
    /**
     * For the allocating worker: its heap limit, not the clock, must end it. On a machine busy with other
     * JVMs, filling 128 MB took longer than 1 s once (a CI run), and the timeout came first.
     */
    private static final SandboxConfig SLOW_CLOCK = CONFIG.toBuilder().timeout(Duration.ofSeconds(10)).build();

    /** Starts the given modes of the hostile worker in order, then well-behaved ones ("echo"). */
    private static final class Starter implements ProcessExecutor.WorkerStarter {
        final Deque<String> modes;
        final List<WorkerProcess> started = new java.util.ArrayList<>();

        Starter(String... modes) {
            this.modes = new ArrayDeque<>(List.of(modes));
        }

        @Override
        public WorkerProcess start(String heap) throws IOException {
            String mode = modes.isEmpty() ? "echo" : modes.poll();
            // the allocating worker gets a small heap, so that it meets its limit before the clock does
            WorkerProcess w = new WorkerProcess(mode.equals("allocate") ? "128m" : heap,
                    HostileWorkerMain.class.getName(), mode);
            started.add(w);
            return w;
        }
    }

    private record Outcome(Object value, Throwable thrown, long millis) {
    }

    private static Outcome run(ProcessExecutor executor, String code, Map<String, Object> globals, Writer out) {
        return run(executor, code, globals, out, CONFIG);
    }

    private static Outcome run(ProcessExecutor executor, String code, Map<String, Object> globals, Writer out,
            SandboxConfig config) {
        long start = System.nanoTime();
        Object[] value = new Object[1];
        Throwable thrown = catchThrowable(() -> value[0] = executor.run(new Executor.Request(code, "<test>", globals,
                null, true, out, Writer.nullWriter(), Reader.nullReader(), config)));
        return new Outcome(value[0], thrown, (System.nanoTime() - start) / 1_000_000);
    }

    /** The first call brings the worker up (a JVM start, untimed); the attack is the second call. */
    private static Outcome attack(Starter starter, ProcessExecutor executor, String code, Map<String, Object> globals,
            Writer out) throws Exception {
        return attack(starter, executor, code, globals, out, CONFIG);
    }

    private static Outcome attack(Starter starter, ProcessExecutor executor, String code, Map<String, Object> globals,
            Writer out, SandboxConfig config) throws Exception {
        executor.workerForTest();
        Outcome o = run(executor, code, globals, out, config);
        System.out.printf("%s: %d ms, %s%n", starter.started.get(0).pid(), o.millis(), o.thrown());
        assertThat(o.millis()).as("answered within timeout + 1 s").isLessThan(config.timeout().toMillis() + 1000);
        WorkerProcess attacker = starter.started.get(0);
        attacker.exitCode(); // waits briefly for the kill to take effect
        assertThat(attacker.isAlive()).as("the attacking worker was killed").isFalse();
        return o;
    }

    private record Waiting(Starter starter, ProcessExecutor executor, java.util.concurrent.CompletableFuture<Outcome> call) {
    }

    /** A worker of that mode, brought up, and a call without a timeout that still waits on it after waitMillis. */
    private static Waiting untimedCall(String mode, long waitMillis) throws Exception {
        Starter starter = new Starter(mode);
        ProcessExecutor executor = executor(starter);
        executor.workerForTest();
        SandboxConfig forever = CONFIG.toBuilder().timeout(Duration.ZERO).build();
        java.util.concurrent.CompletableFuture<Outcome> call = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> run(executor, "1", null, Writer.nullWriter(), forever));
        Thread.sleep(waitMillis);
        assertThat(call).as(mode + ": the call without a timeout waits").isNotDone();
        return new Waiting(starter, executor, call);
    }

    /** After the attack: a fresh worker answers, and nothing of the killed one reaches the caller. */
    private static void nextCallIsClean(Starter starter, ProcessExecutor executor) throws Exception {
        StringWriter out = new StringWriter();
        Outcome next = run(executor, "after", null, out);
        assertThat(next.thrown()).isNull();
        WorkerProcess fresh = starter.started.get(starter.started.size() - 1);
        assertThat(starter.started).hasSizeGreaterThan(1);
        assertThat(fresh.pid()).isNotEqualTo(starter.started.get(0).pid());
        assertThat(next.value()).isEqualTo(List.of(fresh.pid(), "after"));
        assertThat(out.toString()).isEqualTo("fresh " + fresh.pid() + "\n");
    }

    private static ProcessExecutor executor(Starter starter) {
        return new ProcessExecutor(CONFIG, starter);
    }

    /**
     * A host whose JAVA_TOOL_OPTIONS start a JFR recording (or an agent that prints a banner) passes it to
     * its workers, whose JVMs then write to stdout, the protocol's channel, before main: every worker was
     * refused as "a frame of 825111858 bytes" and process isolation could not be used at all.
     */
    /**
     * Attack on the write-back flag, designed from it (review 63): a worker that answers every run with
     * namespaces, a replaced input, a new name and a configuration key among them. A run without write-back
     * (a program's, Sandbox.runProgram) leaves the caller's map as it was; with write-back only identifiers
     * reach it, so the configuration key never does.
     */
    @Test
    void namespacesAWorkerSendsUnaskedNeverReachTheCallersMap() throws Exception {
        Starter starter = new Starter("rebind");
        try (ProcessExecutor executor = executor(starter)) {
            Map<String, Object> inputs = new HashMap<>(Map.of("argv", List.of("prog.py")));
            Throwable thrown = catchThrowable(() -> executor.run(new Executor.Request("pass", "<test>", inputs, null,
                    false, Writer.nullWriter(), Writer.nullWriter(), Reader.nullReader(), CONFIG, false)));
            assertThat(thrown).isNull();
            assertThat(inputs).isEqualTo(Map.of("argv", List.of("prog.py")));

            Map<String, Object> globals = new HashMap<>(Map.of("argv", List.of("prog.py")));
            Map<String, Object> locals = new HashMap<>();
            assertThat(catchThrowable(() -> executor.run(new Executor.Request("pass", "<test>", globals, locals, false,
                    Writer.nullWriter(), Writer.nullWriter(), Reader.nullReader(), CONFIG)))).isNull();
            assertThat(globals).containsEntry("argv", "REPLACED").containsEntry("injected", 1)
                    .doesNotContainKey("pysandbox.isolation");
            assertThat(locals).containsEntry("injected", 1).doesNotContainKey("pysandbox.isolation");
        }
    }

    @Test
    void whatAWorkerJvmWritesToItsStdoutBeforeTheProtocolStartsIsSkipped() throws Exception {
        Starter starter = new Starter("chatty");
        try (ProcessExecutor executor = executor(starter)) {
            StringWriter out = new StringWriter();
            Outcome o = run(executor, "hello", null, out);
            assertThat(o.thrown()).isNull();
            long pid = starter.started.get(0).pid();
            assertThat(o.value()).isEqualTo(List.of(pid, "hello"));
            assertThat(out.toString()).isEqualTo("fresh " + pid + "\n");
            assertThat(starter.started).as("no worker was replaced").hasSize(1);
        }
    }

    /** The noise allowed before the protocol is bounded, and the refusal says what the worker wrote. */
    @Test
    void aWorkerJvmThatWritesWithoutEndBeforeTheProtocolIsRefusedSayingWhatItWrote() throws Exception {
        Starter starter = new Starter("chatty-forever", "chatty-forever");
        try (ProcessExecutor executor = executor(starter)) {
            Outcome o = run(executor, "hello", null, Writer.nullWriter());
            assertThat(o.thrown()).isInstanceOf(WorkerProtocolException.class)
                    .hasMessageContaining("more than " + Frames.MAX_STARTUP_NOISE + " bytes to its standard output")
                    .hasMessageContaining("Started recording 1. V??");
            assertThat(((WorkerProtocolException) o.thrown()).getRule()).isEqualTo("startup noise");
            starter.started.get(0).exitCode();
            assertThat(starter.started.get(0).isAlive()).as("the worker was killed").isFalse();
        }
    }

    /**
     * Review 43: a preamble missing its last byte, followed by the real one, must not be taken for it (the
     * first preamble's last byte was its first: the search locked on early and read the rest as a frame);
     * noise of exactly the allowance without a preamble is refused at once, not after the start's timeout;
     * what is quoted cannot steer a terminal or forge log lines.
     */
    @Test
    void thePreambleSearchFindsOnlyTheWholePreambleAndQuotesNoiseSafely() throws Exception {
        java.io.ByteArrayOutputStream wire = new java.io.ByteArrayOutputStream();
        wire.write("noise\n".getBytes(StandardCharsets.UTF_8));
        wire.write(Frames.PREAMBLE, 0, Frames.PREAMBLE.length - 1);
        Frames.writeHello(new java.io.DataOutputStream(wire), "ok".getBytes(StandardCharsets.UTF_8));
        Frames.Hello hello = Frames.readHello(new java.io.DataInputStream(
                new java.io.ByteArrayInputStream(wire.toByteArray())), 4096);
        assertThat(hello.frame().type()).isEqualTo(Frames.HELLO);
        assertThat(new String(hello.frame().payload(), StandardCharsets.UTF_8)).isEqualTo("ok");
        assertThat(hello.noise()).startsWith("noise\n");

        byte[] full = new byte[Frames.MAX_STARTUP_NOISE + Frames.PREAMBLE.length];
        java.util.Arrays.fill(full, (byte) 'x');
        java.io.InputStream thenSilence = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(full),
                new java.io.InputStream() {
                    @Override
                    public int read() {
                        throw new AssertionError("read past the allowance");
                    }
                });
        assertThatThrownBy(() -> Frames.readHello(new java.io.DataInputStream(thenSilence), 4096))
                .isInstanceOf(BadFrameException.class).hasMessageContaining("more than " + Frames.MAX_STARTUP_NOISE + " bytes");

        String quoted = Frames.quoted("\u001b[2J\u001b]0;title\u0007\rINFO forged\nline\u2028\u202eevil\u009b31m", 4096);
        assertThat(quoted).doesNotContainPattern("[\\p{Cntrl}\u0080-\u009f\u2028\u2029\u202a-\u202e]")
                .contains("INFO forged\\nline");
        assertThat(Frames.quoted("y".repeat(10_000), 100)).hasSize(100 + " [... 9900 more characters]".length());
    }

    /**
     * Review 44: closing waited, under the executor's lock, for a call without a timeout for as long as it
     * ran (here: for ever, the worker never answers); the close kills the worker and the call says why.
     */
    @Test
    void closingDuringACallWithoutATimeoutKillsTheWorkerAtOnce() throws Exception {
        Waiting waiting = untimedCall("start-then-stall", 500);
        Starter starter = waiting.starter();
        ProcessExecutor executor = waiting.executor();
        java.util.concurrent.CompletableFuture<Outcome> call = waiting.call();
        long start = System.nanoTime();
        executor.close();
        assertThat((System.nanoTime() - start) / 1_000_000).as("close returns at once").isLessThan(2000);
        Outcome o = call.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(o.thrown()).isInstanceOf(ScriptException.class).hasMessageContaining("closed while the call ran");
        starter.started.get(0).exitCode();
        assertThat(starter.started.get(0).isAlive()).isFalse();
        assertThatThrownBy(() -> executor.run(new Executor.Request("1", "<test>", null, null, true, Writer.nullWriter(),
                Writer.nullWriter(), Reader.nullReader(), CONFIG))).hasMessageContaining("closed");
    }

    /**
     * Review 45: close still waited when the worker did not read its channel (a 1-MiB request filled the
     * pipe, and close flushed the worker's stdin before killing it), when the worker was still starting,
     * and when the call waited in the host's input reader for the script's input(); each now ends at once.
     */
    @Test
    void closingEndsACallWhateverItWaitsFor() throws Exception {
        Reader neverAnswers = new java.io.PipedReader(new java.io.PipedWriter());
        // with a timeout too: a call waiting in the host's input reader ran on to its timeout and said so (review 46)
        for (Duration timeout : List.of(Duration.ZERO, Duration.ofSeconds(20)))
        for (String mode : List.of("deaf", "mute", "ask-input")) {
            SandboxConfig forever = CONFIG.toBuilder().timeout(timeout).build();
            Starter starter = new Starter(mode);
            ProcessExecutor executor = executor(starter);
            if (!mode.equals("mute")) {
                executor.workerForTest();
            }
            String code = mode.equals("deaf") ? "#" + "x".repeat(1 << 20) : "1";
            java.util.concurrent.CompletableFuture<Throwable> call = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> catchThrowable(() -> executor.run(new Executor.Request(code, "<test>", null, null, true,
                            Writer.nullWriter(), Writer.nullWriter(), neverAnswers, forever))));
            Thread.sleep(1000);
            assertThat(call).as(mode + ": the call waits").isNotDone();
            long start = System.nanoTime();
            executor.close();
            assertThat((System.nanoTime() - start) / 1_000_000).as(mode + ": close returns at once").isLessThan(2000);
            assertThat(call.get(10, java.util.concurrent.TimeUnit.SECONDS)).as(mode).isInstanceOf(ScriptException.class)
                    .hasMessageContaining("closed");
            starter.started.get(0).exitCode();
            assertThat(starter.started.get(0).isAlive()).as(mode + ": the worker was killed").isFalse();
        }
    }

    /**
     * Review 47: once the worker's process had ended, the call waited for the end of its pipe without a
     * deadline, and a compromised worker that left a child holding its stdout open kept the caller past its
     * timeout and past a close (and the executor's lock with it). Timed: a timeout, at the usual time;
     * untimed: a close ends it at once.
     */
    @Test
    void aWorkerThatLeavesAChildHoldingItsPipeCannotOutlastTheClockOrAClose() throws Exception {
        try {
            Starter starter = new Starter("orphan-holds-pipe");
            try (ProcessExecutor executor = executor(starter)) {
                Outcome o = attack(starter, executor, "1", null, Writer.nullWriter());
                // within the call's time, and said as what happened: the worker ended (review 49: a timeout
                // was blamed on the script, which never ran)
                assertThat(o.thrown()).isNotInstanceOf(ScriptTimeoutException.class)
                        .hasMessageContaining("the sandbox worker process failed (exit code 0)")
                        .hasMessageContaining("did not end within the call's time");
            }
            // review 48: with a long timeout the dead worker's pipe got the rest of it (60 s here), and the error
            // blamed the script; it gets the decoding allowance (1 s here) and says the worker ended
            Starter longTimeout = new Starter("orphan-holds-pipe");
            WireLimits quick = new WireLimits(64 << 20, 200, 4_000_000, 16 << 20, 24, 1000, 750);
            SandboxConfig minute = CONFIG.toBuilder().timeout(Duration.ofSeconds(60)).build();
            try (ProcessExecutor executor = new ProcessExecutor(minute, longTimeout, 60_000, quick)) {
                executor.workerForTest();
                Outcome o = run(executor, "1", null, Writer.nullWriter(), minute);
                assertThat(o.millis()).as("ended by the decoding allowance, not the timeout").isLessThan(10_000);
                assertThat(o.thrown()).isNotInstanceOf(ScriptTimeoutException.class)
                        .hasMessageContaining("the sandbox worker process failed (exit code 0)")
                        .hasMessageContaining("did not end within 1000 ms");
            }
            Waiting untimed = untimedCall("orphan-holds-pipe", 1500);
            untimed.executor().close();
            Outcome o = untimed.call().get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(o.thrown()).isInstanceOf(ScriptException.class).hasMessageContaining("closed");
        } finally {
            ProcessHandle.allProcesses().filter(p -> p.info().arguments().map(a -> List.of(a)
                    .contains(HostileWorkerMain.ORPHAN_SECONDS)).orElse(false)).forEach(ProcessHandle::destroyForcibly);
        }
    }

    /**
     * Review 46: each call without a timeout asked the process for a new exit future, whose stage lived as
     * long as the worker (80 bytes a call, for ever); the worker's one exit future must not collect them.
     */
    @Test
    void callsWithoutATimeoutLeaveNothingWaitingOnTheWorkersExit() throws Exception {
        Starter starter = new Starter();
        try (ProcessExecutor executor = executor(starter)) {
            SandboxConfig forever = CONFIG.toBuilder().timeout(Duration.ZERO).build();
            for (int i = 0; i < 300; i++) {
                assertThat(run(executor, "c" + i, null, Writer.nullWriter(), forever).thrown()).isNull();
            }
            assertThat(starter.started).hasSize(1);
            assertThat(starter.started.get(0).exited().getNumberOfDependents()).isLessThan(10);
        }
    }

    @Test
    void aWorkerThatAnswersWithGarbageIsKilledAndReplaced() throws Exception {
        for (String mode : List.of("garbage", "raw-garbage")) {
            Starter starter = new Starter(mode);
            try (ProcessExecutor executor = executor(starter)) {
                Outcome o = attack(starter, executor, "1", null, Writer.nullWriter());
                assertThat(o.thrown()).as(mode).isInstanceOf(WorkerProtocolException.class);
                nextCallIsClean(starter, executor);
            }
        }
    }

    @Test
    void aWorkerThatFloodsItsChannelIsStoppedAtTheOutputLimitAndNothingLateReachesTheCaller() throws Exception {
        Starter starter = new Starter("flood");
        try (ProcessExecutor executor = executor(starter)) {
            StringWriter out = new StringWriter();
            Outcome o = attack(starter, executor, "1", null, out);
            assertThat(o.thrown()).isInstanceOf(WorkerProtocolException.class);
            assertThat(((WorkerProtocolException) o.thrown()).getRule()).isEqualTo("pysandbox.maxOutput");
            int seen = out.getBuffer().length();
            assertThat((long) seen).isLessThanOrEqualTo(4 * CONFIG.maxOutput() + (64 << 10));
            Thread.sleep(300);
            assertThat(out.getBuffer().length()).as("no output after the answer").isEqualTo(seen);
            nextCallIsClean(starter, executor);
        }
    }

    /**
     * Review 50: a worker's output frame can be as large as the output limit, and it went to the host's writer
     * in one write, which a slow writer (a pipe, 100 ms per 8 KiB here) went on with long after the call had
     * ended and the caller had its timeout. It goes in pieces of 8 KiB, and none begins after the call ended.
     */
    @Test
    void aStoppedCallsLargeOutputFrameStopsReachingASlowWriter() throws Exception {
        Starter starter = new Starter("big-out");
        try (ProcessExecutor executor = executor(starter)) {
            java.util.List<long[]> writes = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            Writer pipe = new Writer() {
                @Override
                public void write(char[] cbuf, int off, int len) throws java.io.IOException {
                    try {
                        Thread.sleep(Math.max(1, 100L * len / 8192));
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException();
                    }
                    writes.add(new long[] {System.nanoTime(), len});
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
            executor.workerForTest();
            Outcome o = run(executor, "1", null, pipe);
            long answered = System.nanoTime();
            assertThat(o.thrown()).isInstanceOf(ScriptTimeoutException.class);
            Thread.sleep(3000);
            long late = writes.stream().filter(w -> w[0] > answered).mapToLong(w -> w[1]).sum();
            assertThat(late).as("chars that reached the writer after the caller had its timeout").isLessThanOrEqualTo(8192);
        }
    }

    /**
     * A worker that must first replace its interpreter says so (PREPARING, then STARTED): that time is not
     * the script's, and the call's timeout counts from STARTED (a 1-s call after a bomb timed out while the
     * worker made a new interpreter, 1.2-1.8 s on 2 busy cores).
     */
    @Test
    void aWorkersPreparationIsNotTheScriptsTime() throws Exception {
        Starter starter = new Starter("prepare-slowly");
        try (ProcessExecutor executor = executor(starter)) {
            executor.workerForTest();
            StringWriter out = new StringWriter();
            Outcome o = run(executor, "1", null, out);
            assertThat(o.thrown()).isNull();
            assertThat(o.millis()).isGreaterThan(TIMEOUT.toMillis() + 1000);
            long pid = starter.started.get(0).pid();
            assertThat(o.value()).isEqualTo(List.of(pid, "1"));
            assertThat(out.toString()).isEqualTo("fresh " + pid + "\n");
        }
    }

    /** ... but only within pysandbox.process.prepareMillis, and the clock runs from the start it announced. */
    @Test
    void aWorkerThatPreparesForeverOrStallsAfterItsStartIsKilled() throws Exception {
        Starter starter = new Starter("prepare-forever");
        try (ProcessExecutor executor = new ProcessExecutor(CONFIG, starter, 1500)) {
            executor.workerForTest();
            Outcome o = run(executor, "1", null, Writer.nullWriter());
            assertThat(o.thrown()).isInstanceOf(ScriptException.class).hasMessageContaining("did not start the script")
                    .hasMessageContaining("pysandbox.process.prepareMillis");
            assertThat(o.millis()).isBetween(1500L, 1500 + TIMEOUT.toMillis() + 1000);
            starter.started.get(0).exitCode();
            assertThat(starter.started.get(0).isAlive()).isFalse();
            nextCallIsClean(starter, executor);
        }
        Starter stalls = new Starter("start-then-stall");
        try (ProcessExecutor executor = new ProcessExecutor(CONFIG, stalls, 60_000)) {
            Outcome o = attack(stalls, executor, "1", null, Writer.nullWriter());
            assertThat(o.thrown()).isInstanceOf(ScriptTimeoutException.class).hasMessageContaining("killed");
            nextCallIsClean(stalls, executor);
        }
    }

    /**
     * Review 37: with no timeout, the host gave a result maxDecodeMillis from the request, not from its
     * arrival, so a script that ran longer had its result refused and its worker killed. Here the host reads
     * with 1 s to decode (the least it may), and the worker answers after 1.5 s.
     */
    @Test
    void withoutATimeoutTheDecodeClockStartsWhenTheResultArrives() throws Exception {
        Starter starter = new Starter("slow-large");
        SandboxConfig untimed = CONFIG.toBuilder().timeout(Duration.ZERO).build();
        WireLimits quick = new WireLimits(64 << 20, 200, 4_000_000, 16 << 20, 24, 1000, 750);
        try (ProcessExecutor executor = new ProcessExecutor(untimed, starter, 60_000, quick)) {
            executor.workerForTest();
            Outcome o = run(executor, "1", null, Writer.nullWriter(), untimed);
            assertThat(o.thrown()).isNull();
            assertThat(o.millis()).isGreaterThanOrEqualTo(1500);
            assertThat((List<?>) o.value()).hasSize(2000);
            assertThat(starter.started.get(0).isAlive()).isTrue();
        }
    }

    /**
     * Review 40: a guest object of another worker, passed in a namespace or as an argument, reached the
     * script as an opaque foreign object ("'polyglot.ForeignObject' object is not callable"); it is refused
     * before it is sent, as a call of one is and as in-process.
     */
    @Test
    void aGuestObjectOfAnotherWorkerIsRefusedBeforeItIsSent() throws Exception {
        Starter first = new Starter();
        Starter second = new Starter();
        try (ProcessExecutor a = executor(first); ProcessExecutor b = executor(second)) {
            Object handle = run(a, "handle", null, Writer.nullWriter()).value();
            assertThat(handle).isInstanceOf(RemoteGuestObject.class);
            Map<String, Object> globals = new HashMap<>(Map.of("f", List.of(Map.of("k", handle))));
            Outcome o = run(b, "f()", globals, Writer.nullWriter());
            assertThat(o.thrown()).isInstanceOf(ScriptException.class)
                    .hasMessageContaining("globals entry 'f': this guest object belongs to another sandbox");
            assertThat(second.started).hasSize(1);
            assertThat(second.started.get(0).isAlive()).as("the worker stays").isTrue();
            assertThat(run(a, "f", new HashMap<>(Map.of("f", handle)), Writer.nullWriter()).thrown())
                    .as("its own worker takes it").isNull();
        }
    }

    /**
     * Review 41: a compromised worker answered with a handle naming another worker (ids are easy to guess),
     * and a host that passed it on to that worker's sandbox handed its script its own live object. A handle
     * in an answer must name the worker that sent it.
     */
    @Test
    void aWorkerThatAnswersWithAnotherWorkersHandleIsKilled() throws Exception {
        Starter starter = new Starter("forge-handle");
        try (ProcessExecutor executor = executor(starter)) {
            Outcome o = attack(starter, executor, "1", null, Writer.nullWriter());
            assertThat(o.thrown()).isInstanceOf(WorkerProtocolException.class)
                    .hasMessageContaining("a guest-object handle of worker");
            assertThat(((WorkerProtocolException) o.thrown()).getRule()).isEqualTo("foreign handle");
            nextCallIsClean(starter, executor);
        }
        assertThat(catchThrowable(() -> new ProcessExecutor(CONFIG, starter, -1)))
                .as("review 41: a negative prepareMillis pulled the host's decoding deadline to 1 ms")
                .hasMessageContaining("pysandbox.process.prepareMillis must be >= 0");
    }

    /** The clock frames come once each, in order, before any output: a worker cannot stretch a call twice. */
    @Test
    void clockFramesOutOfOrderAreAProtocolViolation() throws Exception {
        for (String mode : List.of("prepare-twice", "start-unprepared", "prepare-after-output")) {
            Starter starter = new Starter(mode);
            try (ProcessExecutor executor = executor(starter)) {
                Outcome o = attack(starter, executor, "1", null, Writer.nullWriter());
                assertThat(o.thrown()).as(mode).isInstanceOf(WorkerProtocolException.class);
                assertThat(((WorkerProtocolException) o.thrown()).getRule()).as(mode).isEqualTo("frame order");
                nextCallIsClean(starter, executor);
            }
        }
    }

    @Test
    void aWorkerThatStopsReadingIsKilledAtTheTimeout() throws Exception {
        Starter starter = new Starter("deaf");
        try (ProcessExecutor executor = executor(starter)) {
            // 4 MiB: more than a pipe holds, so the host's write itself would block
            Map<String, Object> globals = new HashMap<>(Map.of("big", "x".repeat(4 << 20)));
            Outcome o = attack(starter, executor, "1", globals, Writer.nullWriter());
            assertThat(o.thrown()).isInstanceOf(ScriptTimeoutException.class).hasMessageContaining("killed");
            nextCallIsClean(starter, executor);
        }
    }

    @Test
    void aWorkerThatClaimsALongFrameAndStallsIsKilledAtTheTimeout() throws Exception {
        Starter starter = new Starter("header-lie");
        try (ProcessExecutor executor = executor(starter)) {
            Outcome o = attack(starter, executor, "1", null, Writer.nullWriter());
            assertThat(o.thrown()).isInstanceOf(ScriptTimeoutException.class).hasMessageContaining("killed");
            nextCallIsClean(starter, executor);
        }
    }

    @Test
    void aWorkerThatAllocatesWithoutBoundDiesAtItsHeapLimit() throws Exception {
        Starter starter = new Starter("allocate");
        try (ProcessExecutor executor = executor(starter)) {
            Outcome o = attack(starter, executor, "1", null, Writer.nullWriter(), SLOW_CLOCK);
            assertThat(o.thrown()).isInstanceOf(MemoryLimitException.class);
            nextCallIsClean(starter, executor);
        }
    }

    @Test
    void handlesOfAKilledWorkerReachNothingInItsReplacement() throws Exception {
        Starter starter = new Starter("echo", "echo");
        try (ProcessExecutor executor = executor(starter)) {
            Object handle = run(executor, "handle", null, Writer.nullWriter()).value();
            assertThat(handle).isInstanceOf(RemoteGuestObject.class);
            ProcessHandle.of(executor.workerPid()).orElseThrow().destroyForcibly();
            starter.started.get(0).exitCode();
            Throwable thrown = catchThrowable(() -> executor.call(handle, new Object[0], Writer.nullWriter(),
                    Writer.nullWriter(), Reader.nullReader(), CONFIG));
            assertThat(thrown).isInstanceOf(ScriptException.class).hasMessageContaining("another sandbox");
            nextCallIsClean(starter, executor);
        }
    }
}
