package org.pysandbox.jsr223;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import javax.script.Bindings;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.Invocable;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import javax.script.SimpleBindings;
import javax.script.SimpleScriptContext;

import org.junit.jupiter.api.Test;
import org.pysandbox.HostAccessible;
import org.pysandbox.bridge.GuestObject;

/** Host calls on the caller's thread, lazy bindings and write-back of data only, through javax.script. */
class HostBoundaryTest {
    static final ThreadLocal<String> TRANSACTION = new ThreadLocal<>();

    /** Host code that needs the caller's thread-local, like Operaton's Context or a logging MDC. */
    public static final class Execution {
        @HostAccessible
        public String getTransaction() {
            return "getter:" + TRANSACTION.get();
        }

        @HostAccessible
        public String tagged(String prefix) {
            return prefix + TRANSACTION.get();
        }
    }

    /** A host map whose reads need the thread-local. */
    static final class ContextMap extends HashMap<String, Object> {
        @Override
        public Object get(Object key) {
            return "map:" + TRANSACTION.get();
        }

        @Override
        public boolean containsKey(Object key) {
            return true;
        }
    }

    private static ScriptEngine engine() {
        return new ScriptEngineManager().getEngineByName("pysandbox");
    }

    private static Bindings hostBindings() {
        Bindings b = new SimpleBindings();
        b.put("execution", new Execution());
        b.put("vars", new ContextMap());
        b.put("tx", (Supplier<Object>) () -> "fn:" + TRANSACTION.get());
        return b;
    }

    private static final String READ_ALL = "[execution.transaction, execution.tagged('m:'), vars['k'], tx()]";
    private static final List<Object> EXPECTED = List.of("getter:T1", "m:T1", "map:T1", "fn:T1");

    @Test
    void hostCodeSeesTheCallersThreadLocalsInEvalCompiledScriptInvokeFunctionAndGetInterface() throws Exception {
        ScriptEngine engine = engine();
        TRANSACTION.set("T1");
        try {
            assertThat(engine.eval(READ_ALL, hostBindings())).isEqualTo(EXPECTED);
            assertThat(((Compilable) engine).compile(READ_ALL).eval(hostBindings())).isEqualTo(EXPECTED);

            engine.setBindings(hostBindings(), ScriptContext.ENGINE_SCOPE);
            engine.eval("def read(e, v, f):\n    return [e.transaction, e.tagged('m:'), v['k'], f()]\n"
                    + "def run():\n    return read(execution, vars, tx)\n");
            Bindings b = hostBindings();
            Object viaInvoke = ((Invocable) engine).invokeFunction("read", b.get("execution"), b.get("vars"), b.get("tx"));
            assertThat(viaInvoke).isEqualTo(EXPECTED);
            assertThat(((Invocable) engine).invokeFunction("run")).isEqualTo(EXPECTED);
            Runner runner = ((Invocable) engine).getInterface(Runner.class);
            assertThat(runner.run()).isEqualTo(EXPECTED);
        } finally {
            TRANSACTION.remove();
        }
    }

    public interface Runner {
        Object run();
    }

    /** Bindings that count the reads of each key and fail for one key, like a lazy variable that cannot be read. */
    static final class CountingBindings extends SimpleBindings {
        final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();

        CountingBindings() {
            super(new HashMap<>());
            for (int i = 0; i < 50; i++) {
                super.put("v" + i, i);
            }
            super.put("broken", "never read");
        }

        private void count(Object key) {
            reads.computeIfAbsent(String.valueOf(key), k -> new AtomicInteger()).incrementAndGet();
            if ("broken".equals(key)) {
                throw new IllegalStateException("cannot deserialize 'broken'");
            }
        }

        @Override
        public Object get(Object key) {
            count(key);
            return super.get(key);
        }

        @Override
        public java.util.Set<Map.Entry<String, Object>> entrySet() {
            for (String k : keySet()) {
                count(k);
            }
            return super.entrySet();
        }

        @Override
        public java.util.Collection<Object> values() {
            for (String k : keySet()) {
                count(k);
            }
            return super.values();
        }
    }

    @Test
    void onlyTheBindingsAScriptNamesAreReadAndABrokenOneFailsOnlyScriptsThatNameIt() throws Exception {
        ScriptEngine engine = engine();
        CountingBindings b = new CountingBindings();
        assertThat(engine.eval("v1 + v2", b)).isEqualTo(3);
        assertThat(b.reads.keySet()).containsExactlyInAnyOrder("v1", "v2");
        assertThat(b.reads.get("v1").get()).isEqualTo(1);
        assertThat(((Compilable) engine).compile("v3 * 2").eval(b)).isEqualTo(6);
        assertThat(b.reads).doesNotContainKey("broken");
        assertThatThrownBy(() -> engine.eval("broken if v1 > 5 else v1", b)).isInstanceOf(ScriptException.class)
                .hasMessageContaining("broken");
    }

    /** Keywords are words of a rule but never names: not one is looked up, on the first call or later. */
    @Test
    void aRulesKeywordsAreNotLookedUpAsBindings() throws Exception {
        ScriptEngine engine = engine();
        CountingBindings b = new CountingBindings();
        CompiledScript rule = ((Compilable) engine).compile("v1 > 0 and v2 in (1, 2) if not v3 is None else False");
        for (int i = 0; i < 3; i++) {
            assertThat(rule.eval(b)).isEqualTo(true);
        }
        assertThat(b.reads.keySet()).containsExactlyInAnyOrder("v1", "v2", "v3");
    }

    @Test
    void scriptObjectsStayInTheEngineAndOnlyDataGoesBackToTheBindings() throws Exception {
        ScriptEngine engine = engine();
        Bindings b = new SimpleBindings();
        engine.setBindings(b, ScriptContext.ENGINE_SCOPE);
        engine.eval("def double(x):\n    return 2 * x\nclass C:\n    pass\nobj = C()\nn = double(21)\nitems = [1, obj]\n");
        assertThat(b).containsEntry("n", 42).doesNotContainKeys("double", "C", "obj", "items");
        assertThat(b.values()).noneMatch(v -> v instanceof GuestObject);
        // functions stay reachable to later scripts and to Invocable
        assertThat(engine.eval("double(n)")).isEqualTo(84);
        assertThat(((Invocable) engine).invokeFunction("double", 5)).isEqualTo(10);
    }

    /** A host that cannot store some values (like a process engine without a serializer for them). */
    static final class PickyBindings extends SimpleBindings {
        @Override
        public Object put(String name, Object value) {
            if (value instanceof List) {
                throw new IllegalArgumentException("Cannot find serializer for " + value);
            }
            return super.put(name, value);
        }
    }

    @Test
    void aValueTheHostCannotStoreDoesNotFailTheScript() throws Exception {
        ScriptEngine engine = engine();
        PickyBindings b = new PickyBindings();
        SimpleScriptContext ctx = new SimpleScriptContext();
        ctx.setBindings(b, ScriptContext.ENGINE_SCOPE);
        assertThat(engine.eval("a = [1, 2]\nb = 'kept'\nlen(a)", ctx)).isEqualTo(2);
        assertThat(b).containsEntry("b", "kept").doesNotContainKey("a");
    }

    @Test
    void manyThreadsEachSeeTheirOwnThreadLocal() throws Exception {
        ScriptEngine engine = engine();
        List<Thread> threads = new ArrayList<>();
        Map<String, Object> seen = new ConcurrentHashMap<>();
        for (int i = 0; i < 4; i++) {
            String id = "T" + i;
            threads.add(new Thread(() -> {
                TRANSACTION.set(id);
                try {
                    for (int k = 0; k < 5; k++) {
                        seen.merge(id, engine.eval("execution.transaction", hostBindings()), (a, c) -> a.equals(c) ? a : "MIXED");
                    }
                } catch (ScriptException e) {
                    seen.put(id, e);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(seen).containsEntry("T0", "getter:T0").containsEntry("T1", "getter:T1").containsEntry("T2", "getter:T2")
                .containsEntry("T3", "getter:T3");
    }
}
