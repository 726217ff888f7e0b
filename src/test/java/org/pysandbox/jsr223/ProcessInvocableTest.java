package org.pysandbox.jsr223;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import javax.script.Invocable;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.pysandbox.error.ScriptTimeoutException;
import org.pysandbox.isolation.RemoteGuestObject;

/**
 * Invocable with {@code pysandbox.isolation=process}: a script's functions and objects live in the engine's
 * worker process, and invokeFunction, invokeMethod and getInterface reach them there, with the state the
 * worker keeps (until stop 47 they were refused: "works with pysandbox.isolation=context only"). One engine,
 * one worker JVM for the class, since a worker costs seconds to start.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProcessInvocableTest {
    static {
        // no spare worker: a refusal that started a worker to find out would take a JVM start (review 44)
        System.setProperty("pysandbox.process.pool.size", "0");
    }

    private static final String SCRIPT = """
            def add(a, b):
                return a + b

            class Counter:
                def __init__(self):
                    self.n = 0
                def inc(self, k):
                    self.n += k
                    return self.n
                def twin(self):
                    return Counter()

            counter = Counter()
            """;

    public interface Adder {
        int add(int a, int b);
    }

    public interface Incrementer {
        long inc(long k);

        Incrementer twin();
    }

    private static ScriptEngine engine;

    @BeforeAll
    static void start() throws Exception {
        engine = new ScriptEngineManager().getEngineByName("pysandbox");
        engine.getContext().setAttribute(ContextConfig.ISOLATION, "process", ScriptContext.ENGINE_SCOPE);
        engine.getContext().setAttribute(ContextConfig.TIMEOUT, "60s", ScriptContext.ENGINE_SCOPE);
        engine.eval(SCRIPT);
    }

    @AfterAll
    static void close() throws Exception {
        ((AutoCloseable) engine).close();
    }

    @Test
    @Order(1)
    void invokeFunctionCallsTheWorkersFunction() throws Exception {
        assertThat(engine.get("add")).isInstanceOf(RemoteGuestObject.class);
        assertThat(((Invocable) engine).invokeFunction("add", 2, 3)).isEqualTo(5);
        assertThat(((Invocable) engine).invokeFunction("add", "py", "thon")).isEqualTo("python");
        assertThatThrownBy(() -> ((Invocable) engine).invokeFunction("add", 1, "x"))
                .isInstanceOf(ScriptException.class).hasMessageContaining("TypeError");
        assertThatThrownBy(() -> ((Invocable) engine).invokeFunction("missing"))
                .isInstanceOf(NoSuchMethodException.class);
    }

    @Test
    @Order(2)
    void invokeMethodKeepsTheObjectsStateInTheWorker() throws Exception {
        Object counter = engine.get("counter");
        assertThat(counter).isInstanceOf(RemoteGuestObject.class);
        assertThat(((Invocable) engine).invokeMethod(counter, "inc", 2)).isEqualTo(2);
        assertThat(((Invocable) engine).invokeMethod(counter, "inc", 3)).isEqualTo(5);
        assertThat(engine.eval("counter.n")).as("a later eval sees the same object").isEqualTo(5);
        assertThatThrownBy(() -> ((Invocable) engine).invokeMethod(counter, "nothing"))
                .isInstanceOf(NoSuchMethodException.class);
    }

    @Test
    @Order(3)
    void getInterfaceImplementsJavaInterfacesWithTheWorkersObjects() throws Exception {
        Adder adder = ((Invocable) engine).getInterface(Adder.class);
        assertThat(adder).isNotNull();
        assertThat(adder.add(40, 2)).isEqualTo(42);
        Incrementer counter = ((Invocable) engine).getInterface(engine.get("counter"), Incrementer.class);
        assertThat(counter).isNotNull();
        long before = ((Number) engine.eval("counter.n")).longValue();
        assertThat(counter.inc(10)).isEqualTo(before + 10);
        Incrementer twin = counter.twin();
        assertThat(twin.inc(1)).as("a returned script object becomes a proxy too").isEqualTo(1);
        assertThat(((Invocable) engine).getInterface(Runnable.class)).as("no function run").isNull();
    }

    /** Another engine (another tenant, another worker) cannot call this engine's objects. */
    @Test
    @Order(4)
    void anotherEngineCannotCallTheseObjects() throws Exception {
        ScriptEngine other = new ScriptEngineManager().getEngineByName("pysandbox");
        try {
            other.getContext().setAttribute(ContextConfig.ISOLATION, "process", ScriptContext.ENGINE_SCOPE);
            Object counter = engine.get("counter");
            assertThatThrownBy(() -> ((Invocable) other).invokeMethod(counter, "inc", 1))
                    .isInstanceOf(ScriptException.class).hasMessageContaining("belongs to another pysandbox engine");
            other.put("f", engine.get("add"));
            assertThatThrownBy(() -> ((Invocable) other).invokeFunction("f", 1, 2))
                    .isInstanceOf(ScriptException.class).hasMessageContaining("belongs to another pysandbox engine");
        } finally {
            ((AutoCloseable) other).close();
        }
        assertThat(((Invocable) engine).invokeMethod(engine.get("counter"), "inc", 0)).as("untouched")
                .isEqualTo(engine.eval("counter.n"));
    }

    /** A timeout costs the worker's interpreter: the old objects are refused, not answered by a new worker. */
    @Test
    @Order(5)
    void objectsOfAWorkerThatLostItsInterpreterAreRefused() throws Exception {
        Object counter = engine.get("counter");
        engine.getContext().setAttribute(ContextConfig.TIMEOUT, "1s", ScriptContext.ENGINE_SCOPE);
        try {
            assertThatThrownBy(() -> engine.eval("while True:\n    pass\n")).isInstanceOf(ScriptTimeoutException.class);
        } finally {
            engine.getContext().setAttribute(ContextConfig.TIMEOUT, "60s", ScriptContext.ENGINE_SCOPE);
        }
        assertThatThrownBy(() -> ((Invocable) engine).invokeMethod(counter, "inc", 1))
                .isInstanceOf(ScriptException.class).hasMessageContaining("worker process that was replaced");
        assertThatThrownBy(() -> ((Invocable) engine).invokeFunction("add", 1, 2))
                .isInstanceOf(ScriptException.class).hasMessageContaining("worker process that was replaced");
        assertThatThrownBy(() -> engine.eval("add(1, 2)")).as("the old binding is left out, and the error says why")
                .isInstanceOf(ScriptException.class).hasMessageContaining("NameError")
                .hasMessageContaining("the binding 'add' holds a script object that lives in another engine's worker "
                        + "process, or in one replaced");
        engine.eval(SCRIPT); // reads Counter and counter, whose stale handles are left out, not refused
        assertThat(((Invocable) engine).invokeFunction("add", 1, 2)).as("defined again, callable again").isEqualTo(3);
        assertThat(((Invocable) engine).invokeMethod(engine.get("counter"), "inc", 4)).isEqualTo(4);
    }

    /**
     * Review 44: a worker that died between calls (killed from outside here) left its handles looking
     * alive: re-running the setup script failed on its own stale 'Counter', and refusing a stale call first
     * started a new worker (10.6 s) only to retire it.
     */
    @Test
    @Order(6)
    void objectsOfAWorkerThatDiedBetweenCallsAreRefusedAtOnceAndTheSetupRunsAgain() throws Exception {
        engine.eval(SCRIPT);
        Object counter = engine.get("counter");
        killWorkers();
        long start = System.nanoTime();
        assertThatThrownBy(() -> ((Invocable) engine).invokeMethod(counter, "inc", 1))
                .isInstanceOf(ScriptException.class).hasMessageContaining("worker process that was replaced")
                .hasMessageNotContaining("pysandbox_target");
        assertThatThrownBy(() -> ((Invocable) engine).invokeFunction("add", 1, 2))
                .isInstanceOf(ScriptException.class).hasMessageContaining("worker process that was replaced");
        assertThat((System.nanoTime() - start) / 1_000_000).as("refused without starting a worker").isLessThan(3000);
        engine.eval(SCRIPT);
        assertThat(((Invocable) engine).invokeFunction("add", 2, 2)).isEqualTo(4);
        // review 45: the slot kept the dead worker's generation, so the next ordinary failure retired the new
        // worker with everything defined in it
        assertThatThrownBy(() -> engine.eval("1 / 0")).isInstanceOf(ScriptException.class)
                .hasMessageContaining("ZeroDivisionError");
        assertThat(((Invocable) engine).invokeFunction("add", 3, 3)).as("the state survives an ordinary error")
                .isEqualTo(6);
    }

    /**
     * Review 44: closing an engine waited for a call without a timeout for as long as it ran; and a closed
     * engine's objects were said to belong to another engine.
     */
    @Test
    @Order(7)
    void closingAnEngineEndsItsRunningCallAndItsObjectsSaySo() throws Exception {
        ScriptEngine closing = new ScriptEngineManager().getEngineByName("pysandbox");
        closing.getContext().setAttribute(ContextConfig.ISOLATION, "process", ScriptContext.ENGINE_SCOPE);
        closing.getContext().setAttribute(ContextConfig.TIMEOUT, "0", ScriptContext.ENGINE_SCOPE);
        closing.eval("def forever():\n    while True:\n        pass\n\ndef one():\n    return 1\n");
        java.util.concurrent.CompletableFuture<Throwable> call = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                ((Invocable) closing).invokeFunction("forever");
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        Thread.sleep(1000);
        assertThat(call).as("the call runs").isNotDone();
        long start = System.nanoTime();
        ((AutoCloseable) closing).close();
        assertThat((System.nanoTime() - start) / 1_000_000).as("close does not wait for the call").isLessThan(5000);
        assertThat(call.get(30, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(ScriptException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> ((Invocable) closing).invokeFunction("one"))
                .isInstanceOf(ScriptException.class).hasMessageContaining("the engine was closed");
    }

    /** A worker JVM: its command line (read whole from /proc, which ProcessHandle.Info may cut) names WorkerMain. */
    private static boolean isWorker(ProcessHandle p) {
        try {
            return new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc", p.pid() + "", "cmdline")),
                    java.nio.charset.StandardCharsets.UTF_8).contains("org.pysandbox.isolation.WorkerMain");
        } catch (java.io.IOException e) {
            return p.info().arguments().map(a -> List.of(a).contains("org.pysandbox.isolation.WorkerMain")).orElse(false);
        }
    }

    /**
     * A worker that died after the engine checked the slot's worker and before the call started (here: while
     * the engine read the call's bindings, host code) was replaced by the call itself, which defined its names
     * in the new worker; but the slot kept the dead worker's generation, so the next call found the slot lost
     * and retired it, with those names (stop 47's window).
     */
    @Test
    @Order(8)
    void whatACallDefinesSurvivesAWorkerThatDiedAsTheCallStarted() throws Exception {
        ScriptEngine e = new ScriptEngineManager().getEngineByName("pysandbox");
        java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
        javax.script.Bindings bindings = new javax.script.SimpleBindings() {
            @Override
            public boolean containsKey(Object key) {
                if ("window".equals(key) && armed.getAndSet(false)) {
                    try {
                        killWorkers();
                    } catch (Exception failed) {
                        throw new IllegalStateException(failed);
                    }
                }
                return super.containsKey(key);
            }

            @Override
            public Object get(Object key) {
                containsKey(key);
                return super.get(key);
            }
        };
        bindings.put(ContextConfig.ISOLATION, "process");
        e.setBindings(bindings, ScriptContext.ENGINE_SCOPE);
        assertThat(e.eval("1 + 1")).isEqualTo(2);
        armed.set(true);
        e.eval("window = 1\ndef answer():\n    return 41\n");
        assertThat(armed).as("the worker was killed while the call started").isFalse();
        assertThat(e.eval("answer() + window")).as("the call's definitions were kept").isEqualTo(42);
        ((AutoCloseable) e).close();
    }

    private static void killWorkers() throws Exception {
        List<ProcessHandle> workers = ProcessHandle.current().children().filter(ProcessInvocableTest::isWorker).toList();
        assertThat(workers).as("this engine's worker runs").isNotEmpty();
        for (ProcessHandle p : workers) {
            p.destroyForcibly();
            p.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
