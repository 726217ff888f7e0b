package org.pysandbox.jsr223;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;

import javax.script.Bindings;
import javax.script.CompiledScript;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import javax.script.SimpleBindings;
import javax.script.SimpleScriptContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pysandbox.error.PythonFrame;
import org.pysandbox.error.PythonScriptException;
import org.pysandbox.error.SandboxViolationException;

/** compile() parses and checks once; a CompiledScript runs with any context, under that context's confinement. */
class CompilableTest {
    static ScriptEngineManager manager = new ScriptEngineManager();
    static PySandboxEngine engine;

    @BeforeAll
    static void start() {
        engine = (PySandboxEngine) manager.getEngineByName("pysandbox");
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void compiledOnceEvaluatedManyTimes() throws Exception {
        CompiledScript script = engine.compile("total = sum(values)\ntotal * factor");
        assertThat(script.getEngine()).isSameAs(engine);
        for (int i = 0; i < 20; i++) {
            Bindings b = engine.createBindings();
            b.put("values", java.util.List.of(i, 1, 2));
            b.put("factor", 2);
            assertThat(script.eval(b)).isEqualTo((i + 3) * 2);
            assertThat(b.get("total")).isEqualTo(i + 3);
        }
        // with the engine's own context, and through a Reader
        engine.put("values", java.util.List.of(5));
        engine.put("factor", 3);
        assertThat(script.eval()).isEqualTo(15);
        assertThat(engine.compile(new StringReader("values[0] + 1")).eval()).isEqualTo(6);
    }

    @Test
    void bindingsAndContextsOfOtherEnginesWork() throws Exception {
        CompiledScript script = engine.compile("a + b");
        ScriptEngine other = manager.getEngineByName("pysandbox");
        Bindings foreign = other.createBindings();
        foreign.put("a", 1);
        foreign.put("b", 2);
        assertThat(script.eval(foreign)).isEqualTo(3);
        ScriptContext ctx = new SimpleScriptContext();
        ctx.setBindings(new SimpleBindings(), ScriptContext.ENGINE_SCOPE);
        ctx.setAttribute("a", "x", ScriptContext.ENGINE_SCOPE);
        ctx.setAttribute("b", "y", ScriptContext.ENGINE_SCOPE);
        assertThat(script.eval(ctx)).isEqualTo("xy");
    }

    @Test
    void compileRejectsBadSourceWithPosition() {
        assertThatThrownBy(() -> engine.compile("x = 1\ny = (2 +\n")).isInstanceOf(PythonScriptException.class)
                .satisfies(e -> assertThat(((ScriptException) e).getLineNumber()).isGreaterThanOrEqualTo(2))
                .hasMessageContaining("SyntaxError");
        // the policy check runs at compile time too: a blocked dunder never becomes a CompiledScript
        assertThatThrownBy(() -> engine.compile("x = ().__class__.__bases__[0].__subclasses__()"))
                .isInstanceOf(SandboxViolationException.class);
    }

    @Test
    void evaluationUsesTheConfinementOfItsContext() throws Exception {
        CompiledScript script = engine.compile("import math\nmath.floor(2.5)");
        Bindings withMath = engine.createBindings();
        withMath.put(ContextConfig.FEATURES, "math");
        assertThat(script.eval(withMath)).isEqualTo(2);
        // the same compiled script, with a context that does not grant math, is refused
        assertThatThrownBy(() -> script.eval(engine.createBindings())).isInstanceOf(SandboxViolationException.class)
                .hasMessageContaining("math");
    }

    /**
     * The rule cache is keyed by the exact set of names bound (kept as a sorted array): a rule cached for
     * {a, b} must not answer for bindings without b (that is a NameError) or with b replaced by an unrelated
     * name, in whatever order the host's map lists them.
     */
    @Test
    void aCachedRuleNeverAnswersForOtherBindingNames() throws Exception {
        CompiledScript rule = engine.compile("a > b");
        for (int i = 0; i < 3; i++) {
            Bindings b = engine.createBindings();
            b.put("b", 1);
            b.put("a", 2 + i);
            assertThat(rule.eval(b)).isEqualTo(true);
        }
        Bindings missing = engine.createBindings();
        missing.put("a", 2);
        assertThatThrownBy(() -> rule.eval(missing)).isInstanceOfSatisfying(PythonScriptException.class,
                e -> assertThat(e.getPythonMessage()).isEqualTo("name 'b' is not defined"));
        Bindings other = engine.createBindings();
        other.put("a", 2);
        other.put("c", 1);
        assertThatThrownBy(() -> rule.eval(other)).isInstanceOfSatisfying(PythonScriptException.class,
                e -> assertThat(e.getPythonMessage()).isEqualTo("name 'b' is not defined"));
        javax.script.SimpleBindings reordered = new javax.script.SimpleBindings(new java.util.LinkedHashMap<>());
        reordered.put("a", 0);
        reordered.put("b", 1);
        assertThat(rule.eval(reordered)).isEqualTo(false);
    }

    /**
     * Settings are read on every call; the parsed configuration is reused only while their values are
     * the same immutable ones. A Collection the host changes in place between calls, or a String it
     * replaces, takes effect on the next call, also on a rule's fast path.
     */
    @Test
    void settingsChangedBetweenCallsTakeEffectOnTheNextCall() throws Exception {
        CompiledScript rule = engine.compile("__import__('math').floor(x) if x > 0 else 0");
        CompiledScript bounded = engine.compile("x > 0");
        java.util.List<String> features = new java.util.ArrayList<>(java.util.List.of("math"));
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 3; i++) {
                Bindings b = engine.createBindings();
                b.put("x", 2.5);
                b.put("pysandbox.features", features);
                assertThat(rule.eval(b)).isEqualTo(2);
                assertThat(bounded.eval(b)).isEqualTo(true);
            }
            features.clear(); // the same list, now empty: math is refused
            Bindings b = engine.createBindings();
            b.put("x", 2.5);
            b.put("pysandbox.features", features);
            assertThatThrownBy(() -> rule.eval(b)).isInstanceOf(SandboxViolationException.class)
                    .hasMessageContaining("math");
            assertThat(bounded.eval(b)).isEqualTo(true);
            features.add("math");
        }
        for (String setting : new String[] {"math", "", "math", "stdout"}) {
            Bindings b = engine.createBindings();
            b.put("x", 2.5);
            b.put("pysandbox.features", setting);
            if (setting.equals("math")) {
                assertThat(rule.eval(b)).isEqualTo(2);
            } else {
                assertThatThrownBy(() -> rule.eval(b)).isInstanceOf(SandboxViolationException.class);
            }
        }
    }

    /**
     * A rule (one bounded expression) is, from its second evaluation over plain data, a call of a guest
     * function of the names it reads (runtime.evaluate_rule): same answers, same errors with file and line,
     * no names written back; a script object among the bindings (which could run guest methods) takes the
     * full path again, whose output is flushed before the host is answered.
     */
    @Test
    void aRuleAnswersTheSameOnItsFastPathAndLeavesItForScriptObjects() throws Exception {
        CompiledScript rule = engine.compile("\n(amount // limit > 1) and country in allowed");
        for (int i = 0; i < 5; i++) {
            Bindings b = engine.createBindings();
            b.put("amount", 100 + i);
            b.put("limit", i % 2 == 0 ? 10 : 100);
            b.put("country", "NL");
            b.put("allowed", java.util.List.of("NL", "DE"));
            b.put("unused", "kept as it was");
            b.put("pysandbox.features", "stdout");
            assertThat(rule.eval(b)).as("evaluation %d", i).isEqualTo(i % 2 == 0);
            assertThat(b.keySet()).containsExactlyInAnyOrder("amount", "limit", "country", "allowed", "unused",
                    "pysandbox.features");
        }
        Bindings zero = engine.createBindings();
        zero.putAll(java.util.Map.of("amount", 1, "limit", 0, "country", "NL", "allowed", java.util.List.of()));
        assertThatThrownBy(() -> rule.eval(zero)).isInstanceOfSatisfying(PythonScriptException.class, e -> {
            assertThat(e.getPythonType()).isEqualTo("ZeroDivisionError");
            assertThat(e.getLineNumber()).isEqualTo(2);
            assertThat(e.getPythonFrames()).extracting(PythonFrame::function).containsExactly("<module>");
        });

        // made under the same confinement (features) as the evaluations: a script object crosses only there
        Bindings making = engine.createBindings();
        making.put("pysandbox.features", "stdout");
        Object deep = engine.eval("""
                class Deep:
                    def __floordiv__(self, other):
                        def down(n):
                            try:
                                return down(n + 1)
                            except RecursionError:
                                return n
                        print('ran guest code')
                        return down(0)
                Deep()
                """, making);
        CompiledScript quotient = engine.compile("amount // limit");
        java.util.function.Function<Object, Bindings> bindings = amount -> {
            Bindings b = engine.createBindings();
            b.putAll(java.util.Map.of("amount", amount, "limit", 1, "pysandbox.features", "stdout"));
            return b;
        };
        assertThat(quotient.eval(bindings.apply(7))).isEqualTo(7);
        assertThat(quotient.eval(bindings.apply(8))).isEqualTo(8);
        // the guest method runs as in any script: the same depth left for its recursion, its output written
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.Writer before = engine.getContext().getWriter();
        engine.getContext().setWriter(out);
        try {
            Object inScript = engine.eval("q = amount // limit\nq", bindings.apply(deep));
            assertThat(inScript).isInstanceOf(Integer.class);
            assertThat(quotient.eval(bindings.apply(deep))).isEqualTo(inScript);
        } finally {
            engine.getContext().setWriter(before);
        }
        assertThat(out.toString()).isEqualTo("ran guest code\nran guest code\n");
    }
}
