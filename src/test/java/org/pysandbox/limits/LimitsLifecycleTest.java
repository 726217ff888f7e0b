package org.pysandbox.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Reader;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pysandbox.Sandbox;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.error.RecursionLimitException;
import org.pysandbox.error.ScriptInterruptedException;
import org.pysandbox.error.ScriptTimeoutException;
import org.pysandbox.policy.ConfinedInterpreter;
import org.pysandbox.testsupport.InterruptedCaller;

/** What stays after limits: state kept when interrupted, replaced when cancelled, nothing leaked. */
class LimitsLifecycleTest {
    @org.junit.jupiter.api.BeforeAll
    static void warmUp() throws Exception {
        // the first calls in a JVM compile the policy; keep that out of the 1-second limits below
        try (Sandbox sandbox = new Sandbox(SandboxConfig.builder().timeout(Duration.ofMinutes(2)).build())) {
            sandbox.execute("def f(x):\n    return x + 1\nf(1)");
        }
    }

    /**
     * A finished call leaves the watchdog's set when its caller has the answer, not at the next poll: the
     * watchdog walks running calls only. A call that is still running stays watched (and is stopped).
     */
    @Test
    void finishedCallsLeaveTheWatchdogAtOnceRunningOnesStay() throws Exception {
        try (Sandbox sandbox = new Sandbox(SandboxConfig.builder().timeout(Duration.ofMillis(1500)).build())) {
            Map<String, Object> ns = new HashMap<>(Map.of("x", 1));
            for (int i = 0; i < 300; i++) {
                assertThat(sandbox.eval("x + 1", ns)).isEqualTo(2);
                sandbox.execute("y = [x]", ns);
            }
            assertThat(CallMonitor.active()).isZero();
            Thread spinning = new Thread(() -> {
                try {
                    sandbox.execute("while True: pass");
                } catch (Exception expected) {
                    // the timeout
                }
            });
            spinning.start();
            Thread.sleep(500);
            assertThat(CallMonitor.active()).isEqualTo(1);
            spinning.join(30_000);
            assertThat(spinning.isAlive()).isFalse();
        }
    }

    @Test
    void interruptedCallKeepsTheTenantsState() throws Exception {
        try (Sandbox sandbox = new Sandbox(SandboxConfig.builder().timeout(Duration.ofMillis(1000)).build())) {
            Map<String, Object> ns = new HashMap<>();
            sandbox.execute("def f(x):\n    return x + 1\n", ns);
            assertThatThrownBy(() -> sandbox.execute("while True: pass")).isInstanceOf(ScriptTimeoutException.class);
            assertThat(sandbox.call(ns.get("f"), 1)).isEqualTo(2);
        }
    }

    /**
     * The host interrupts the thread whose call runs a loop: the call ends with its own type, not a limit's
     * and not a plain ScriptException told apart by its message, the thread keeps its interrupt status, and
     * the sandbox keeps its state.
     */
    @Test
    void anInterruptedCallerGetsScriptInterruptedException() throws Exception {
        try (Sandbox sandbox = new Sandbox(SandboxConfig.builder().timeout(Duration.ofSeconds(20)).build())) {
            Map<String, Object> ns = new HashMap<>();
            sandbox.execute("def f(x):\n    return x + 1\n", ns);
            InterruptedCaller.Outcome stopped = InterruptedCaller.interruptAfter(500,
                    () -> sandbox.execute("while True: pass"));
            assertThat(stopped.failure()).isInstanceOf(ScriptInterruptedException.class)
                    .hasMessageContaining("the calling thread was interrupted");
            assertThat(stopped.statusKept()).isTrue();
            assertThat(sandbox.call(ns.get("f"), 1)).isEqualTo(2);
        }
    }

    /**
     * A call stopped while its input() waits in the host's reader keeps its interpreter when the reader returns
     * soon after the stop (as the REPL's does once the prompt takes the terminal back). Truffle's interrupt of
     * the guest inside the read closed GraalPy's stdin for good, so every such stop cost the interpreter (in
     * the REPL, Ctrl-C in input() lost the session); the stop now lets the read return first. What the read
     * got is the next input()'s.
     */
    @Test
    void aStopDuringInputKeepsTheInterpreterWhenTheReaderReturns() throws Exception {
        // returns once the caller has its answer, as the REPL's reader does when the prompt takes the terminal
        // back (a fixed delay from the read's start missed the stop's window on a cold JVM)
        java.util.concurrent.CountDownLatch answered = new java.util.concurrent.CountDownLatch(1);
        Reader slowReader = new Reader() {
            private boolean gave;

            @Override
            public int read(char[] buf, int off, int len) throws java.io.IOException {
                if (gave) {
                    return -1;
                }
                try {
                    answered.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
                gave = true;
                "late line\n".getChars(0, 10, buf, off);
                return 10;
            }

            @Override
            public void close() {
            }
        };
        SandboxConfig config = SandboxConfig.builder().enable("stdin").timeout(Duration.ofMillis(300)).build();
        try (Sandbox sandbox = new Sandbox(config).setIn(slowReader)) {
            Map<String, Object> ns = new HashMap<>();
            sandbox.execute("def f():\n    return 41\n", ns);
            try {
                assertThatThrownBy(() -> sandbox.execute("x = input()", ns)).isInstanceOf(ScriptTimeoutException.class);
            } finally {
                answered.countDown();
            }
            assertThat(sandbox.call(ns.get("f"))).isEqualTo(41);
            sandbox.execute("y = input()", ns);
            assertThat(ns).containsEntry("y", "late line");
        }
    }

    @Test
    void cancelledInterpreterIsReplacedAndOldHandlesRefused() throws Exception {
        StringWriter out = new StringWriter();
        try (Sandbox sandbox = new Sandbox(SandboxConfig.builder().timeout(Duration.ofMillis(1000)).enable("stdout")
                .build()).setOut(out)) {
            Map<String, Object> ns = new HashMap<>();
            sandbox.execute("def f(x):\n    return x + 1\n", ns);
            // one long builtin: cannot be interrupted, so the context is cancelled and replaced
            long millis = stoppedInside(out, "computing",
                    () -> sandbox.execute("print('computing', flush=True)\nx = 3 ** (3 * 10 ** 7)"));
            System.out.println("uninterruptible builtin: caller answered after " + millis + " ms (limit 1000 ms)");
            assertThat(millis).isLessThan(1000 + ResourceBombs.GRACE.toMillis());
            assertThat(sandbox.eval("40 + 2")).isEqualTo(42);
            assertThatThrownBy(() -> sandbox.call(ns.get("f"), 1)).hasMessageContaining("replaced");
        }
    }

    /**
     * The REPL's namespace (interact) survives a stop the guest yields to and is gone after one that costs
     * the interpreter; interactiveSessionLost tells the two apart, so the REPL can say so instead of leaving
     * the user to find out from a NameError.
     */
    @Test
    void interactiveSessionLostTellsAKeptNamespaceFromALostOne() throws Exception {
        StringWriter out = new StringWriter();
        try (Sandbox sandbox = new Sandbox(SandboxConfig.builder().timeout(Duration.ofMillis(1000)).enable("stdout")
                .build()).setOut(out)) {
            assertThat(sandbox.interactiveSessionLost()).isFalse();
            sandbox.interact("x = 5", "<stdin>");
            assertThatThrownBy(() -> sandbox.interact("while True: pass", "<stdin>"))
                    .isInstanceOf(ScriptTimeoutException.class);
            assertThat(sandbox.interactiveSessionLost()).isFalse();
            assertThat(sandbox.interact("x", "<stdin>")).isEqualTo("5");

            // one long builtin: cannot be interrupted, so the interpreter and the namespace in it are lost
            stoppedInside(out, "computing",
                    () -> sandbox.interact("print('computing', flush=True)\ny = 3 ** (3 * 10 ** 7)", "<stdin>"));
            assertThat(sandbox.interactiveSessionLost()).isTrue();
            assertThatThrownBy(() -> sandbox.interact("x", "<stdin>")).hasMessageContaining("NameError");
            assertThat(sandbox.interactiveSessionLost()).as("the next input's new namespace").isFalse();
            sandbox.interact("x = 6", "<stdin>");
            assertThat(sandbox.interact("x", "<stdin>")).isEqualTo("6");
        }
    }

    /**
     * Attack on the question, designed from it: a script that catches the stop and then enters a builtin
     * that does not yield (in a finally) must not leave a lost namespace reported as kept, nor keep its old
     * namespace reachable by the next input.
     */
    @Test
    void aScriptThatCatchesTheStopCannotHideTheLossOfTheNamespace() throws Exception {
        StringWriter out = new StringWriter();
        try (Sandbox sandbox = new Sandbox(SandboxConfig.builder().timeout(Duration.ofMillis(1000)).enable("stdout")
                .build()).setOut(out)) {
            sandbox.interact("secret = 41", "<stdin>");
            String script = "try:\n    print('in the loop', flush=True)\n    while True: pass\nfinally:\n"
                    + "    3 ** (3 * 10 ** 7)";
            long millis = stoppedInside(out, "in the loop", () -> sandbox.interact(script, "<stdin>"));
            // failed twice in fresh-clone CI with the marker printed (stop 53), not understood: the description,
            // made only on a failure, says what the next input finds
            assertThat(sandbox.interactiveSessionLost()).as(() -> "the stop answered after " + millis
                    + " ms; the next input's 'secret' gives " + answerOrError(sandbox, "secret")).isTrue();
            assertThatThrownBy(() -> sandbox.interact("secret", "<stdin>")).hasMessageContaining("NameError");
        }
    }

    private static String answerOrError(Sandbox sandbox, String input) {
        try {
            return sandbox.interact(input, "<stdin>");
        } catch (Exception e) {
            return e.toString();
        }
    }

    /**
     * Runs a call that the timeout must stop inside its code, not before it: on a loaded machine (the
     * builtins of earlier tests may still run in their cancelled contexts) the 1-s clock can run out while the
     * sandbox still checks the call's code, and that stop rightly keeps the interpreter, which is not what
     * the caller tests. The code prints the marker, flushed, once it runs; a call stopped before that is made
     * again, four attempts in all. Returns how long the caller waited for the stop that counted.
     */
    private static long stoppedInside(StringWriter out, String marker,
            org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        for (int attempt = 1; ; attempt++) {
            out.getBuffer().setLength(0);
            long start = System.nanoTime();
            assertThatThrownBy(call).isInstanceOf(ScriptTimeoutException.class);
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (out.toString().contains(marker)) {
                return millis;
            }
            System.out.println("stopped before its code ran (attempt " + attempt + "), so made again");
            assertThat(attempt).as("attempts stopped before the code ran").isLessThan(4);
        }
    }

    @Test
    void thousandLimitHitsLeaveNoThreadsOrHeapBehind() throws Exception {
        var threads = ManagementFactory.getThreadMXBean();
        var memory = ManagementFactory.getMemoryMXBean();
        SandboxConfig config = SandboxConfig.builder().timeout(Duration.ofMillis(15)).build();
        // recursion errors under a generous clock, so that a loaded machine does not turn them into timeouts
        SandboxConfig deep = SandboxConfig.builder().timeout(Duration.ofSeconds(10)).recursionLimit(20).build();
        try (Sandbox warm = new Sandbox(config); Sandbox warmDeep = new Sandbox(deep)) {
            assertThatThrownBy(() -> warm.execute("while True: pass")).isInstanceOf(ScriptTimeoutException.class);
            assertThatThrownBy(() -> warmDeep.execute("def f():\n    return f()\nf()"))
                    .isInstanceOf(RecursionLimitException.class);
        }
        settle(config, deep);
        int threadsBefore = threads.getThreadCount();
        long heapBefore = usedAfterGc(memory);
        long start = System.nanoTime();
        int timeouts = 0;
        int recursions = 0;
        try (Sandbox sandbox = new Sandbox(config); Sandbox recursing = new Sandbox(deep)) {
            for (int i = 0; i < 1000; i++) {
                if (i % 10 == 0) {
                    assertThatThrownBy(() -> sandbox.execute("while True: pass")).isInstanceOf(ScriptTimeoutException.class);
                    timeouts++;
                } else {
                    assertThatThrownBy(() -> recursing.execute("def f():\n    return f()\nf()"))
                            .isInstanceOf(RecursionLimitException.class);
                    recursions++;
                }
            }
            assertThat(recursing.eval("6 * 7")).isEqualTo(42);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        settle(config, deep);
        int threadsAfter = threads.getThreadCount();
        long heapAfter = usedAfterGc(memory);
        System.out.printf("1000 limit hits (%d timeouts, %d recursion) in %d ms; threads %d -> %d; heap %d -> %d MiB%n",
                timeouts, recursions, millis, threadsBefore, threadsAfter, heapBefore >> 20, heapAfter >> 20);
        assertThat(threadsAfter).as("threads now: %s", Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .sorted().toList()).isLessThanOrEqualTo(threadsBefore + 2);
        assertThat(heapAfter).isLessThan(heapBefore + (64L << 20));
        assertThat(CallMonitor.active()).isZero();
    }

    /**
     * Closing a sandbox hands its interpreter to a closer thread, because GraalPy's close waits for every
     * live thread that entered the context. Attacks on that hand-over: a host that kept a guest function
     * calls it after close (refused at once, as before), and objects whose finalizers loop forever are left
     * for the close (the closer still ends: nothing of the guest keeps running in the background).
     */
    @Test
    void aClosedSandboxsInterpreterIsClosedInTheBackgroundAndRunsNothingMore() throws Exception {
        Map<String, Object> ns = new HashMap<>();
        Sandbox sandbox = new Sandbox(SandboxConfig.builder().timeout(Duration.ofSeconds(30)).build());
        sandbox.execute("class Loop:\n    def __del__(self):\n        while True:\n            pass\n"
                + "keep = [Loop() for i in range(3)]\ndef f():\n    return 42\n", ns);
        assertThat(sandbox.call(ns.get("f"))).isEqualTo(42);
        sandbox.close();
        assertThatThrownBy(() -> sandbox.call(ns.get("f"))).hasMessageContaining("closed");
        // the closer may not have started yet: wait for a whole second without a closer inside GraalPy
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int quietSamples = 0;
        while (quietSamples < 10 && System.nanoTime() < deadline) {
            quietSamples = closerRunningGuestCode() ? 0 : quietSamples + 1;
            Thread.sleep(100);
        }
        assertThat(quietSamples).as("a closer thread was still inside GraalPy 20 s after close").isEqualTo(10);
    }

    /**
     * A host function the script calls closes the sandbox (review attack): the call ends as cancelled, not
     * as a violation of the script's, and the script runs no further host call after the close.
     */
    @Test
    void aSandboxClosedDuringItsOwnCallCancelsTheCall() throws Exception {
        java.util.List<Object> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Sandbox sandbox = new Sandbox(SandboxConfig.builder().timeout(Duration.ofSeconds(30)).build());
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        Map<String, Object> ns = new HashMap<>();
        ns.put("close_it", (Runnable) () -> {
            sandbox.close();
            closed.set(true);
        });
        ns.put("cb", (java.util.function.Consumer<Object>) x -> seen.add(closed.get() ? "after close " + x : x));
        assertThatThrownBy(() -> sandbox.eval("cb(0)\nclose_it()\nfor i in range(50):\n    cb(i)\n1", ns))
                .isExactlyInstanceOf(javax.script.ScriptException.class).hasMessageContaining("cancelled");
        Thread.sleep(500);
        assertThat(seen).noneMatch(x -> String.valueOf(x).startsWith("after close"));
    }

    /** The closer closes the context for real: within seconds it refuses to run anything. */
    @Test
    void theCloserClosesTheContext() throws Exception {
        ConfinedInterpreter it = ConfinedInterpreter.create(SandboxConfig.defaults());
        Thread user = new Thread(() -> it.evaluate("x = 1", "<test>", false, new Object[0], new Object[0], false, null, null));
        user.start();
        user.join();
        InterpreterCloser.close(it);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        boolean closed = false;
        while (!closed && System.nanoTime() < deadline) {
            try {
                it.context().eval("python", "1");
                Thread.sleep(20);
            } catch (IllegalStateException | org.graalvm.polyglot.PolyglotException refused) {
                closed = true;
            }
        }
        assertThat(closed).as("the context refuses code after the closer ran").isTrue();
    }

    private static boolean closerRunningGuestCode() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().startsWith("pysandbox-closer"))
                .anyMatch(e -> java.util.Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().startsWith("com.oracle")));
    }

    /**
     * The pool full for the configurations (its interpreters and their guest threads are not a leak: it fills
     * a configuration from its second take on, so the loop's sandboxes start a fill the baseline did not
     * have), then stoppers and idle housekeeping threads gone.
     */
    private static void settle(SandboxConfig... pooled) throws InterruptedException {
        for (SandboxConfig config : pooled) {
            InterpreterPool.prewarm(config);
            assertThat(InterpreterPool.awaitFull(config, Duration.ofMinutes(2))).as("pool filled").isTrue();
        }
        // stoppers and idle housekeeping threads end within a few seconds
        for (int i = 0; i < 30 && Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("pysandbox-stopper") || t.getName().startsWith("pysandbox-pool")
                        || t.getName().startsWith("pysandbox-closer")); i++) {
            Thread.sleep(500);
        }
    }

    private static long usedAfterGc(java.lang.management.MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
