package org.pysandbox.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.script.Bindings;
import javax.script.Compilable;
import javax.script.Invocable;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import javax.script.SimpleBindings;
import javax.script.SimpleScriptContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pysandbox.Sandbox;
import org.pysandbox.config.Isolation;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.error.RecursionLimitException;
import org.pysandbox.error.ScriptTimeoutException;
import org.pysandbox.jsr223.ContextConfig;

/**
 * Issue 10, class 4: the guest writing {@code pysandbox.*} keys (or any non-identifier key) into the host's
 * Bindings, written from reading ScriptGlobals/EngineBindings and ContextConfig (ENGINE_SCOPE is read before
 * GLOBAL_SCOPE, and the write-back replays every key the script bound). Each attack writes a configuration
 * key one way, then a second call in the same context tries to use what it granted itself. The effects
 * asserted: no non-identifier key appears in ENGINE_SCOPE, the configuration the host's context yields is
 * unchanged, and the second call still cannot read the secret, import {@code os}, print, recurse past the
 * limit or outrun the timeout. The tenant answers {@code 1+1} afterwards.
 */
class WriteBackAttackTest {
    @TempDir
    static Path temp;
    static Path secretDir;
    static Path secretFile;
    static ScriptEngine engine;

    /**
     * The host's timeout, which every case checks still holds by running an endless loop into it (34
     * cases): short, so the suite does not spend minutes waiting; the interpreter is warmed first, so the
     * first case's probe does not spend it on a cold start.
     */
    static final int HOST_TIMEOUT_SECONDS = 2;

    @BeforeAll
    static void setUp() throws Exception {
        secretDir = Files.createDirectories(temp.resolve("secret-dir")).toRealPath();
        secretFile = Files.writeString(secretDir.resolve("secret.txt"), AttackTest.SECRET + "\n");
        engine = new ScriptEngineManager().getEngineByName("pysandbox");
        ScriptContext warm = hostContext();
        warm.getBindings(ScriptContext.GLOBAL_SCOPE).put(ContextConfig.TIMEOUT, "60s");
        engine.eval("seen = []\ntry:\n    open('/nonexistent')\nexcept Exception:\n    seen.append(1)\n"
                + "try:\n    __import__('os')\nexcept ImportError:\n    pass\nseen", warm);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (engine instanceof AutoCloseable c) {
            c.close();
        }
    }

    static String py(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** Ways a script can put a key into the namespace it runs in (and so, on main, into ENGINE_SCOPE). */
    static Stream<Arguments> writers() {
        String dir = py(secretDir.toString());
        return Stream.of(
                Arguments.of("globals item", "globals()['pysandbox.allowPaths'] = " + dir + "\n"
                        + "globals()['pysandbox.allowModules'] = 'os:*;posix:*'"),
                Arguments.of("vars()", "vars()['pysandbox.allowPaths'] = " + dir + "\nvars()['pysandbox.allowModules'] = 'os:*'"),
                Arguments.of("locals() at top level", "locals()['pysandbox.allowPaths'] = " + dir),
                Arguments.of("globals().update", "globals().update({'pysandbox.allowPaths': " + dir
                        + ", 'pysandbox.allowModules': 'os:*', 'pysandbox.features': 'stdout'})"),
                Arguments.of("globals().setdefault", "globals().setdefault('pysandbox.allowPaths', " + dir + ")\n"
                        + "globals().setdefault('pysandbox.allowModules', {'os': ['listdir', 'system']})"),
                Arguments.of("exec writing globals()", "exec(\"globals()['pysandbox.allowPaths'] = \" + repr(" + dir + "))"),
                Arguments.of("exec into globals()", "exec(\"x = 1\", globals())\ng = globals()\n"
                        + "exec(\"g['pysandbox.allowModules'] = 'os:*'\", {'g': g})"),
                Arguments.of("function writing globals", "def w():\n    globals()['pysandbox.allowPaths'] = " + dir
                        + "\nw()"),
                Arguments.of("class body writing globals", "class W:\n    globals()['pysandbox.allowPaths'] = " + dir),
                Arguments.of("dict.__setitem__ on globals", "dict.__setitem__(globals(), 'pysandbox.allowPaths', " + dir + ")"),
                Arguments.of("features and streams", "globals()['pysandbox.features'] = 'stdout,interpreter,stdin'"),
                Arguments.of("recursion limit raised", "globals()['pysandbox.recursionLimit'] = '5000'"),
                Arguments.of("timeout removed", "globals()['pysandbox.timeout'] = '0'\nglobals()['pysandbox.maxOutput'] = '0'"),
                Arguments.of("isolation switched", "globals()['pysandbox.isolation'] = 'context'"),
                Arguments.of("a list value for paths", "globals()['pysandbox.allowPaths'] = [" + dir + ", '/']"),
                Arguments.of("non-identifier keys of other hosts", "globals()['javax.script.filename'] = 'x'\n"
                        + "globals()['1x'] = 1\nglobals()['a b'] = 2\nglobals()['pysandbox\\u2024allowPaths'] = " + dir));
    }

    /** A context as a host would set it up: its configuration in GLOBAL_SCOPE, its data in ENGINE_SCOPE. */
    static ScriptContext hostContext() {
        SimpleScriptContext ctx = new SimpleScriptContext();
        Bindings global = new SimpleBindings();
        global.put(ContextConfig.TIMEOUT, HOST_TIMEOUT_SECONDS + "s");
        global.put(ContextConfig.RECURSION_LIMIT, "50");
        ctx.setBindings(global, ScriptContext.GLOBAL_SCOPE);
        ctx.setBindings(new SimpleBindings(new HashMap<>(Map.of("data", 1))), ScriptContext.ENGINE_SCOPE);
        ctx.setWriter(new StringWriter());
        ctx.setErrorWriter(new StringWriter());
        return ctx;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writers")
    void scriptCannotConfigureItsNextCall(String name, String writer) throws Exception {
        ScriptContext ctx = hostContext();
        SandboxConfig before = ContextConfig.from(ctx);
        try {
            engine.eval(writer, ctx);
        } catch (ScriptException refused) {
            // refusing the write is a defence too; what matters is what the next call can do
        }
        assertNoConfigurationWritten(ctx, before);
        assertNextCallConfined(ctx);
    }

    @ParameterizedTest(name = "compiled: {0}")
    @MethodSource("writers")
    void compiledScriptCannotConfigureItsNextCall(String name, String writer) throws Exception {
        ScriptContext ctx = hostContext();
        SandboxConfig before = ContextConfig.from(ctx);
        try {
            ((Compilable) engine).compile(writer).eval(ctx);
        } catch (ScriptException refused) {
            // see above
        }
        assertNoConfigurationWritten(ctx, before);
        assertNextCallConfined(ctx);
    }

    @Test
    void invokedFunctionCannotConfigureLaterCalls() throws Exception {
        ScriptContext ctx = hostContext();
        SandboxConfig before = ContextConfig.from(ctx);
        engine.setContext(ctx);
        try {
            engine.eval("def w():\n    globals()['pysandbox.allowPaths'] = " + py(secretDir.toString()) + "\n"
                    + "    globals()['pysandbox.allowModules'] = 'os:*'\n    return 1\n", ctx);
            ((Invocable) engine).invokeFunction("w");
        } catch (ScriptException refused) {
            // see above
        } finally {
            engine.setContext(new SimpleScriptContext());
        }
        assertNoConfigurationWritten(ctx, before);
        assertNextCallConfined(ctx);
    }

    @Test
    void hostConfigurationInEngineScopeCannotBeRemovedOrReplaced() throws Exception {
        ScriptContext ctx = hostContext();
        ctx.getBindings(ScriptContext.ENGINE_SCOPE).put(ContextConfig.FEATURES, "math");
        SandboxConfig before = ContextConfig.from(ctx);
        try {
            engine.eval("g = globals()\nfor k in list(g):\n    if not k.isidentifier():\n        del g[k]\n"
                    + "g.pop('pysandbox.features', None)\ng['pysandbox.features'] = 'stdout,math'\n", ctx);
        } catch (ScriptException refused) {
            // see above
        }
        assertThat(ctx.getBindings(ScriptContext.ENGINE_SCOPE).get(ContextConfig.FEATURES)).isEqualTo("math");
        assertNoConfigurationWritten(ctx, before);
        assertNextCallConfined(ctx);
    }

    @Test
    void processIsolationCannotBeSwitchedOffByTheScript() throws Exception {
        ScriptContext ctx = hostContext();
        ctx.getBindings(ScriptContext.GLOBAL_SCOPE).put(ContextConfig.ISOLATION, "process");
        SandboxConfig before = ContextConfig.from(ctx);
        assertThat(before.isolation()).isEqualTo(Isolation.PROCESS);
        try {
            engine.eval("globals()['pysandbox.isolation'] = 'context'\n"
                    + "globals()['pysandbox.allowPaths'] = " + py(secretDir.toString()), ctx);
        } catch (ScriptException refused) {
            // see above
        }
        assertNoConfigurationWritten(ctx, before);
        assertThat(ContextConfig.from(ctx).isolation()).isEqualTo(Isolation.PROCESS);
    }

    @Test
    void sandboxApiNamespaceGetsOnlyIdentifierKeys() throws Exception {
        try (Sandbox sandbox = new Sandbox(SandboxConfig.builder().timeout(Duration.ofSeconds(30)).build())) {
            Map<String, Object> ns = new HashMap<>();
            try {
                sandbox.execute("globals()['pysandbox.allowPaths'] = '/'\nglobals()['a.b'] = 1\nvars()['1'] = 2\nok = 1", ns);
            } catch (ScriptException refused) {
                // see above
            }
            assertThat(ns.keySet()).allMatch(k -> k.matches("[A-Za-z_][A-Za-z0-9_]*"), "identifier keys only");
            assertThat(sandbox.eval("1 + 1")).isEqualTo(2);
        }
    }

    private static void assertNoConfigurationWritten(ScriptContext ctx, SandboxConfig before) {
        Bindings engineScope = ctx.getBindings(ScriptContext.ENGINE_SCOPE);
        for (String key : engineScope.keySet()) {
            if (!key.equals(ContextConfig.FEATURES)) {
                assertThat(key).as("key written back by the script").matches("[A-Za-z_][A-Za-z0-9_]*");
            }
        }
        SandboxConfig after = ContextConfig.from(ctx);
        assertThat(after.allowedPaths()).as("paths").isEqualTo(before.allowedPaths());
        assertThat(after.allowedModules()).as("modules").isEqualTo(before.allowedModules());
        assertThat(after.features()).as("features").isEqualTo(before.features());
        assertThat(after.timeout()).as("timeout").isEqualTo(before.timeout());
        assertThat(after.recursionLimit()).as("recursion limit").isEqualTo(before.recursionLimit());
        assertThat(after.maxOutput()).as("max output").isEqualTo(before.maxOutput());
        assertThat(after.isolation()).as("isolation").isEqualTo(before.isolation());
    }

    /** The next call of the same context reads no secret, imports nothing, prints nothing, keeps its limits. */
    private static void assertNextCallConfined(ScriptContext ctx) throws Exception {
        StringWriter out = new StringWriter();
        ctx.setWriter(out);
        Object probe = engine.eval("""
                seen = []
                try:
                    seen.append(open(%s).read())
                except Exception:
                    seen.append('denied')
                for name in ('os', 'posix'):
                    try:
                        __import__(name)
                        seen.append('imported ' + name)
                    except ImportError:
                        seen.append('blocked')
                try:
                    print('printed')
                    seen.append('printed')
                except Exception:
                    seen.append('no print')
                seen
                """.formatted(py(secretFile.toString())), ctx);
        assertThat(probe).isEqualTo(List.of("denied", "blocked", "blocked", "no print"));
        assertThat(out.toString()).doesNotContain("printed").doesNotContain(AttackTest.SECRET);
        try {
            engine.eval("def f(n):\n    return f(n + 1)\nf(0)", ctx);
            fail("recursion past the host's limit");
        } catch (RecursionLimitException expected) {
            // the host's limit of 50 held
        }
        long started = System.nanoTime();
        try {
            engine.eval("x = 0\nfor i in range(10 ** 10):\n    x += 1", ctx);
            fail("an endless loop ended");
        } catch (ScriptTimeoutException expected) {
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(HOST_TIMEOUT_SECONDS + 10));
        }
        assertThat(engine.eval("1 + 1", ctx)).isEqualTo(2);
    }
}
