package org.pysandbox.jsr223;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.util.List;

import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptEngineManager;
import javax.script.SimpleBindings;
import javax.script.SimpleScriptContext;

import org.junit.jupiter.api.Test;

/** Discovery through ScriptEngineManager and the factory's metadata and code generators. */
class FactoryTest {
    private final ScriptEngineManager manager = new ScriptEngineManager();

    @Test
    void foundByNameExtensionAndMimeType() {
        for (ScriptEngine engine : List.of(manager.getEngineByName("pysandbox"),
                manager.getEngineByName("python-sandbox"), manager.getEngineByExtension("py"),
                manager.getEngineByMimeType("text/x-python-sandbox"),
                manager.getEngineByMimeType("application/x-python-sandbox"))) {
            assertThat(engine).isInstanceOf(PySandboxEngine.class);
            // the manager hands its global scope to every engine it makes
            assertThat(engine.getBindings(ScriptContext.GLOBAL_SCOPE)).isSameAs(manager.getBindings());
        }
        assertThat(manager.getEngineFactories()).filteredOn(f -> f instanceof PySandboxEngineFactory).hasSize(1);
    }

    @Test
    void parametersAreHonest() {
        ScriptEngineFactory f = manager.getEngineByName("pysandbox").getFactory();
        assertThat(f.getEngineName()).isEqualTo("pysandbox");
        assertThat(f.getNames()).containsExactly("pysandbox", "python-sandbox");
        assertThat(f.getExtensions()).containsExactly("py");
        assertThat(f.getMimeTypes()).contains("text/x-python-sandbox").doesNotContain("text/x-python");
        assertThat(f.getLanguageName()).isEqualTo("python");
        assertThat(f.getLanguageVersion()).matches("3\\.\\d+\\.\\d+.*");
        assertThat(f.getParameter(ScriptEngine.ENGINE)).isEqualTo("pysandbox");
        assertThat(f.getParameter(ScriptEngine.ENGINE_VERSION)).isEqualTo(f.getEngineVersion());
        assertThat(f.getParameter(ScriptEngine.NAME)).isEqualTo("pysandbox");
        assertThat(f.getParameter(ScriptEngine.LANGUAGE)).isEqualTo("python");
        assertThat(f.getParameter(ScriptEngine.LANGUAGE_VERSION)).isEqualTo(f.getLanguageVersion());
        assertThat(f.getParameter("THREADING")).isEqualTo("MULTITHREADED");
        assertThat(f.getParameter("no.such.key")).isNull();
    }

    @Test
    void gettingAnEngineIsCheap() {
        ScriptEngineFactory f = new PySandboxEngineFactory();
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            PySandboxEngine engine = (PySandboxEngine) f.getScriptEngine();
            assertThat(engine.interpreterCount()).isZero();
        }
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms for 1000 engines").isLessThan(2000);
    }

    @Test
    void generatedCodeRuns() throws Exception {
        ScriptEngineFactory f = new PySandboxEngineFactory();
        assertThat(f.getMethodCallSyntax("obj", "m", "a", "b")).isEqualTo("obj.m(a, b)");
        assertThat(f.getMethodCallSyntax("obj", "m")).isEqualTo("obj.m()");
        String nasty = "it's \"quoted\"\\ with\nnewline\ttab \u0001 and \uD83D\uDE00";
        String program = f.getProgram(f.getOutputStatement(nasty), f.getOutputStatement("second"));
        assertThat(program).isEqualTo(f.getOutputStatement(nasty) + "\n" + f.getOutputStatement("second") + "\n");
        ScriptEngine engine = manager.getEngineByName("pysandbox");
        ScriptContext ctx = new SimpleScriptContext();
        SimpleBindings b = new SimpleBindings();
        b.put(ContextConfig.FEATURES, "stdout");
        ctx.setBindings(b, ScriptContext.ENGINE_SCOPE);
        StringWriter out = new StringWriter();
        ctx.setWriter(out);
        engine.eval(program, ctx);
        assertThat(out.toString()).isEqualTo(nasty + "\nsecond\n");
    }
}
