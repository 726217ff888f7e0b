package org.pysandbox.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.lang.reflect.Field;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pysandbox.Sandbox;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.error.MemoryLimitException;
import org.pysandbox.error.OutputLimitException;
import org.pysandbox.error.ScriptTimeoutException;
import org.pysandbox.jsr223.ContextConfig;

/**
 * Review attacks on the guest thread that now comes with a pooled interpreter (GuestWorker, PooledInterpreter)
 * and on the javax.script engine's interpreter generations (Executor.interpreterGeneration). Each test asserts
 * that a concrete bad effect did not happen.
 */
class GuestThreadAttackTest {
    /** An uninterruptible builtin that outlasts a 300-ms limit plus the interrupt grace by far. */
    private static final String STUCK = "x = 3 ** (10 ** 8)";

    @BeforeAll
    static void warmUp() throws Exception {
        try (Sandbox sandbox = new Sandbox(SandboxConfig.builder().timeout(Duration.ofMinutes(2)).build())) {
            sandbox.execute("def f(x):\n    return x + 1\nf(1)");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // helpers (package-private and private state, read by reflection where there is no accessor)
    // ---------------------------------------------------------------------------------------------

    private static Object field(Object target, Class<?> type, String name) throws Exception {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
    }

    private static GuestWorker workerOf(InProcessExecutor executor) throws Exception {
        Object tenant = field(executor, InProcessExecutor.class, "tenant");
        assertThat(tenant).as("the executor has an interpreter").isNotNull();
        return (GuestWorker) field(tenant, tenant.getClass(), "worker");
    }

    /** The thread a guest worker runs its tasks on (a single-thread executor: its one live thread). */
    private static Thread threadOf(GuestWorker worker) throws Exception {
        AtomicReference<Thread> ran = new AtomicReference<>();
        worker.submit(() -> ran.set(Thread.currentThread())).get(30, TimeUnit.SECONDS);
        return ran.get();
    }

    @SuppressWarnings("unchecked")
    private static List<PooledInterpreter> pooled(SandboxConfig config) throws Exception {
        Map<SandboxConfig, Deque<PooledInterpreter>> ready = (Map<SandboxConfig, Deque<PooledInterpreter>>) field(null,
                InterpreterPool.class, "READY");
        synchronized (ready) {
            Deque<PooledInterpreter> queue = ready.get(InterpreterPool.key(config));
            return queue == null ? List.of() : new ArrayList<>(queue);
        }
    }

    private static Executor.Request request(String code, Map<String, Object> globals, SandboxConfig config) {
        return new Executor.Request(code, "<attack>", globals, null, true, Writer.nullWriter(), Writer.nullWriter(),
                Reader.nullReader(), config);
    }

    private static void assertEnds(Thread thread, long millis) throws InterruptedException {
        thread.join(millis);
        assertThat(thread.isAlive()).as(thread.getName() + " ended").isFalse();
    }

    // ---------------------------------------------------------------------------------------------
    // 1. the guest thread of a pooled interpreter
    // ---------------------------------------------------------------------------------------------

    /**
     * A limit stop that costs the interpreter (an uninterruptible builtin) must give the next call a fresh
     * interpreter AND a fresh thread, and the stuck thread must end; no two tenants ever share a thread.
     */
    @Test
    void aLostInterpreterTakesItsThreadWithItAndNoTenantGetsAnothersThread() throws Exception {
        SandboxConfig config = SandboxConfig.builder().recursionLimit(57).timeout(Duration.ofMinutes(1)).build();
        SandboxConfig stop = config.toBuilder().timeout(Duration.ofMillis(300)).build();
        InterpreterPool.prewarm(config);
        assertThat(InterpreterPool.awaitFull(config, Duration.ofMinutes(3))).isTrue();
        InProcessExecutor a = new InProcessExecutor(config, "tenant-a");
        InProcessExecutor b = new InProcessExecutor(config, "tenant-b");
        try {
            assertThat(a.run(request("1 + 1", new HashMap<>(), config))).isEqualTo(2);
            assertThat(b.run(request("2 + 2", new HashMap<>(), config))).isEqualTo(4);
            long generationA = a.interpreterGeneration();
            GuestWorker workerA = workerOf(a);
            Thread threadA = threadOf(workerA);
            Thread threadB = threadOf(workerOf(b));
            assertThat(threadA).isNotSameAs(threadB);

            Throwable thrown = null;
            try {
                a.run(request(STUCK, new HashMap<>(), stop));
            } catch (ScriptException e) {
                thrown = e;
            }
            assertThat(thrown).isInstanceOfAny(ScriptTimeoutException.class, MemoryLimitException.class);
            // settles the stop and replaces the interpreter
            long after = a.interpreterGeneration();
            assertThat(after).as("a fresh interpreter after the stop").isNotEqualTo(generationA);
            assertThat(a.run(request("40 + 2", new HashMap<>(), config))).isEqualTo(42);
            Thread fresh = threadOf(workerOf(a));
            assertThat(fresh).as("a fresh thread after the stop").isNotSameAs(threadA).isNotSameAs(threadB);
            // the other tenant keeps its own thread
            assertThat(threadOf(workerOf(b))).isSameAs(threadB);
            // the abandoned thread takes no further task and ends once its builtin is over (the context was
            // cancelled); waiting for that would take the builtin's 20-40 s
            java.util.concurrent.ThreadPoolExecutor old = (java.util.concurrent.ThreadPoolExecutor) field(workerA,
                    GuestWorker.class, "thread");
            assertThat(old.isShutdown()).as("the lost interpreter's worker is shut down").isTrue();
        } finally {
            a.close();
            b.close();
        }
    }

    /** Closing a sandbox ends its guest thread: no thread of a closed tenant stays around for anyone. */
    @Test
    void closingATenantEndsItsGuestThread() throws Exception {
        SandboxConfig config = SandboxConfig.builder().recursionLimit(58).timeout(Duration.ofMinutes(1)).build();
        InterpreterPool.prewarm(config);
        assertThat(InterpreterPool.awaitFull(config, Duration.ofMinutes(3))).isTrue();
        InProcessExecutor a = new InProcessExecutor(config, "tenant-a");
        assertThat(a.run(request("1 + 1", new HashMap<>(), config))).isEqualTo(2);
        Thread thread = threadOf(workerOf(a));
        a.close();
        assertEnds(thread, 20_000);
        assertThatThrownBy(() -> a.run(request("1 + 1", new HashMap<>(), config))).isInstanceOf(ScriptException.class);
    }

    /** Pooled interpreters of an evicted key, and all of them on drain, take their idle threads with them. */
    @Test
    void evictedAndDrainedPooledInterpretersEndTheirThreads() throws Exception {
        SandboxConfig evicted = SandboxConfig.builder().recursionLimit(61).build();
        InterpreterPool.prewarm(evicted);
        assertThat(InterpreterPool.awaitFull(evicted, Duration.ofMinutes(3))).isTrue();
        List<Thread> evictedThreads = new ArrayList<>();
        for (PooledInterpreter p : pooled(evicted)) {
            evictedThreads.add(threadOf(p.worker()));
        }
        assertThat(evictedThreads).isNotEmpty();
        try {
            for (int i = 1; i <= InterpreterPool.MAX_KEYS; i++) {
                InterpreterPool.prewarm(SandboxConfig.builder().recursionLimit(61 + i).build());
            }
            assertThat(pooled(evicted)).as("the oldest key was evicted").isEmpty();
        } finally {
            InterpreterPool.drain(); // stops the refills of the new keys; the evicted ones are no longer in the pool
        }
        for (Thread t : evictedThreads) {
            assertEnds(t, 30_000);
        }

        SandboxConfig drained = SandboxConfig.builder().recursionLimit(79).build();
        InterpreterPool.prewarm(drained);
        assertThat(InterpreterPool.awaitFull(drained, Duration.ofMinutes(3))).isTrue();
        List<Thread> drainedThreads = new ArrayList<>();
        for (PooledInterpreter p : pooled(drained)) {
            drainedThreads.add(threadOf(p.worker()));
        }
        assertThat(drainedThreads).isNotEmpty();
        InterpreterPool.drain();
        for (Thread t : drainedThreads) {
            assertEnds(t, 30_000);
        }
    }

    /**
     * The warm-up handles a ValueError on the very thread the tenant then gets: that exception must not be the
     * implicit context (per-thread exception state) of the tenant's first exception.
     */
    @Test
    void theWarmUpsHandledExceptionIsNotInTheTenantsThreadState() throws Exception {
        SandboxConfig config = SandboxConfig.builder().recursionLimit(59).timeout(Duration.ofMinutes(1)).build();
        InterpreterPool.prewarm(config);
        assertThat(InterpreterPool.awaitFull(config, Duration.ofMinutes(3))).isTrue();
        try (Sandbox sandbox = new Sandbox(config)) {
            Object seen = sandbox.eval("def probe():\n"
                    + "    try:\n"
                    + "        raise KeyError('probe')\n"
                    + "    except KeyError as e:\n"
                    + "        return repr(e.__context__)\n"
                    + "probe()");
            assertThat(seen).isEqualTo("None");
        }
    }

    /** The guard's depth counter is not left raised by the warm-up: the first run reaches the limit a later run does. */
    @Test
    void theFirstRunOnAWarmedThreadHasTheFullRecursionLimit() throws Exception {
        SandboxConfig config = SandboxConfig.builder().recursionLimit(60).timeout(Duration.ofMinutes(1)).build();
        InterpreterPool.prewarm(config);
        assertThat(InterpreterPool.awaitFull(config, Duration.ofMinutes(3))).isTrue();
        String deepest = "def d(n):\n"
                + "    try:\n"
                + "        return d(n + 1)\n"
                + "    except RecursionError:\n"
                + "        return n\n"
                + "d(0)";
        try (Sandbox sandbox = new Sandbox(config)) {
            Object first = sandbox.eval(deepest);
            Object second = sandbox.eval(deepest);
            assertThat(first).isEqualTo(second);
            assertThat((Integer) first).isGreaterThan(50);
        }
    }

    private static final InheritableThreadLocal<String> CALLER = new InheritableThreadLocal<>();

    /**
     * The guest thread of a pooled interpreter is made by the pool's filler thread, which another tenant's
     * call started: it inherits that caller's inheritable thread-locals and context class loader. The host's
     * writer runs on the guest thread (print), so a writer that finds its request, tenant or log context
     * through them would attribute tenant B's output to tenant A. Before the change, each tenant's guest
     * thread was made on its own first call's thread.
     */
    @Test
    void aPooledGuestThreadCarriesNothingOfAnotherTenantsCallerThread() throws Exception {
        awaitNoFillerThread();
        SandboxConfig config = SandboxConfig.builder().enable("stdout").recursionLimit(77).timeout(Duration.ofMinutes(1))
                .build();
        ClassLoader loaderOfA = new URLClassLoader(new URL[0], getClass().getClassLoader());
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread callerOfA = new Thread(() -> {
            CALLER.set("tenant-A");
            Thread.currentThread().setContextClassLoader(loaderOfA);
            try {
                // tenant A's first sandbox of a configuration: the pool starts filling from A's thread
                try (Sandbox a = new Sandbox(config)) {
                    a.execute("print('a')");
                }
                InterpreterPool.prewarm(config);
                InterpreterPool.awaitFull(config, Duration.ofMinutes(3));
            } catch (Throwable e) {
                failed.set(e);
            }
        });
        callerOfA.start();
        callerOfA.join(300_000);
        assertThat(failed.get()).isNull();
        assertThat(InterpreterPool.ready(config)).isPositive();

        List<String> seenBy = new CopyOnWriteArrayList<>();
        List<ClassLoader> loaders = new CopyOnWriteArrayList<>();
        Writer routing = new Writer() {
            @Override
            public void write(char[] cbuf, int off, int len) {
                seenBy.add(String.valueOf(CALLER.get()));
                loaders.add(Thread.currentThread().getContextClassLoader());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        AtomicReference<Throwable> failedB = new AtomicReference<>();
        Thread callerOfB = new Thread(() -> {
            CALLER.set("tenant-B");
            try (Sandbox b = new Sandbox(config)) {
                b.setOut(routing);
                b.execute("print('written by tenant B')");
            } catch (Throwable e) {
                failedB.set(e);
            }
        });
        callerOfB.start();
        callerOfB.join(120_000);
        assertThat(failedB.get()).isNull();
        assertThat(seenBy).isNotEmpty();
        org.assertj.core.api.SoftAssertions.assertSoftly(soft -> {
            soft.assertThat(seenBy).as("the inheritable thread-locals tenant B's output is written with")
                    .doesNotContain("tenant-A");
            soft.assertThat(loaders).as("the context class loader tenant B's output is written with")
                    .doesNotContain(loaderOfA);
        });
    }

    private static void awaitNoFillerThread() throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() - end < 0) {
            boolean filler = Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.getName().startsWith("pysandbox-pool-") && t.isAlive());
            if (!filler) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the pool's filler thread did not go idle");
    }

    // ---------------------------------------------------------------------------------------------
    // 2. interpreter generations and the javax.script engine
    // ---------------------------------------------------------------------------------------------

    /** An engine whose scripts may print (the same confinement, hence the same slot, for every call). */
    private static ScriptEngine engine() {
        ScriptEngine engine = new ScriptEngineManager().getEngineByName("pysandbox");
        engine.getContext().setAttribute(ContextConfig.FEATURES, "stdout", ScriptContext.ENGINE_SCOPE);
        return engine;
    }

    /**
     * An output-limit stop costs the interpreter but is not among the stops the engine checks the generation
     * for: the slot stays, with handles of the old interpreter. They must never resolve in the new one.
     */
    @Test
    void anOutputStopsOldScriptObjectsNeverRunInTheReplacement() throws Exception {
        ScriptEngine own = engine();
        try {
            own.eval("def seven():\n    return 7\n");
            assertThat(((javax.script.Invocable) own).invokeFunction("seven")).isEqualTo(7);
            own.getContext().setWriter(new StringWriter());
            own.getContext().setAttribute(ContextConfig.MAX_OUTPUT, "1000", ScriptContext.ENGINE_SCOPE);
            assertThatThrownBy(() -> own.eval("print('x' * 100000)")).isInstanceOf(OutputLimitException.class);
            own.getContext().removeAttribute(ContextConfig.MAX_OUTPUT, ScriptContext.ENGINE_SCOPE);
            assertThatThrownBy(() -> ((javax.script.Invocable) own).invokeFunction("seven"))
                    .isInstanceOf(ScriptException.class);
            assertThatThrownBy(() -> own.eval("seven()")).isInstanceOf(ScriptException.class);
            assertThat(own.eval("6 * 7")).isEqualTo(42);
        } finally {
            ((AutoCloseable) own).close();
        }
    }

    /**
     * After an output stop replaced the interpreter (the slot keeps the first interpreter's generation), a
     * timeout the NEW interpreter survives must not retire it: its script objects stay callable.
     */
    @Test
    void aStopTheInterpreterSurvivesAfterAnOutputStopKeepsItsScriptObjects() throws Exception {
        ScriptEngine own = engine();
        try {
            own.eval("def seven():\n    return 7\n");
            own.getContext().setWriter(new StringWriter());
            own.getContext().setAttribute(ContextConfig.MAX_OUTPUT, "1000", ScriptContext.ENGINE_SCOPE);
            assertThatThrownBy(() -> own.eval("print('x' * 100000)")).isInstanceOf(OutputLimitException.class);
            own.getContext().removeAttribute(ContextConfig.MAX_OUTPUT, ScriptContext.ENGINE_SCOPE);
            own.eval("def nine():\n    return 9\n");
            assertThat(((javax.script.Invocable) own).invokeFunction("nine")).isEqualTo(9);
            own.getContext().setAttribute(ContextConfig.TIMEOUT, "300ms", ScriptContext.ENGINE_SCOPE);
            assertThatThrownBy(() -> own.eval("while True: pass")).isInstanceOf(ScriptTimeoutException.class);
            own.getContext().removeAttribute(ContextConfig.TIMEOUT, ScriptContext.ENGINE_SCOPE);
            assertThat(((javax.script.Invocable) own).invokeFunction("nine")).isEqualTo(9);
        } finally {
            ((AutoCloseable) own).close();
        }
    }

    /** Sandboxes that are different tenants never run on one guest thread, even when both take warmed interpreters. */
    @Test
    void twoTenantsNeverShareAGuestThread() throws Exception {
        SandboxConfig config = SandboxConfig.builder().recursionLimit(63).timeout(Duration.ofMinutes(1)).build();
        InterpreterPool.prewarm(config);
        assertThat(InterpreterPool.awaitFull(config, Duration.ofMinutes(3))).isTrue();
        Set<Thread> seen = new HashSet<>();
        List<InProcessExecutor> tenants = new ArrayList<>();
        try {
            for (int i = 0; i < 2 * InterpreterPool.size() + 1; i++) {
                InProcessExecutor t = new InProcessExecutor(config, "tenant-" + i);
                tenants.add(t);
                assertThat(t.run(request("1 + 1", new HashMap<>(), config))).isEqualTo(2);
                assertThat(seen.add(threadOf(workerOf(t)))).as("tenant %d got a thread no other tenant had", i).isTrue();
            }
        } finally {
            tenants.forEach(InProcessExecutor::close);
        }
    }
}
