package org.pysandbox.security;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;

import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import javax.script.SimpleBindings;
import javax.script.SimpleScriptContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.config.SandboxConfigurationException;
import org.pysandbox.jsr223.ContextConfig;

/**
 * Issue 10, classes 3 and 10: allow-list entries that hand out signals, frames, tracing or the interpreter's
 * raw state are refused when the configuration is built (the docs promise {@code sys}, {@code posix} and
 * {@code _io} can never be allowed; {@code _signal} is how {@code raise_signal} ends the JVM). The same
 * entries given as a JSR-223 attribute fail the call with a ScriptException, so nothing of them runs.
 * WhiteBoxAttackTest runs payloads under these allow-lists too, for an implementation that accepts them
 * but hands out nothing raw.
 */
class RawAccessAllowListTest {
    static ScriptEngine engine;

    @BeforeAll
    static void start() {
        engine = new ScriptEngineManager().getEngineByName("pysandbox");
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine instanceof AutoCloseable c) {
            c.close();
        }
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("_signal", new String[] {"raise_signal"}),
                Arguments.of("_signal", new String[] {"signal", "SIG_IGN", "SIGTERM"}),
                Arguments.of("_signal", new String[] {"alarm"}),
                Arguments.of("_signal", new String[] {"*"}),
                Arguments.of("_signal", new String[] {}),
                Arguments.of("signal", new String[] {"raise_signal"}),
                Arguments.of("signal", new String[] {"signal"}),
                Arguments.of("signal", new String[] {"alarm", "setitimer"}),
                Arguments.of("sys", new String[] {"settrace"}),
                Arguments.of("sys", new String[] {"setprofile"}),
                Arguments.of("sys", new String[] {"modules"}),
                Arguments.of("sys", new String[] {"__dict__"}),
                Arguments.of("sys", new String[] {"*"}),
                Arguments.of("posix", new String[] {"system"}),
                Arguments.of("posix", new String[] {"*"}),
                Arguments.of("_io", new String[] {"FileIO"}),
                Arguments.of("_io", new String[] {"*"}));
    }

    @ParameterizedTest(name = "allowModule({0}, {1})")
    @MethodSource("refused")
    void builderRefuses(String module, String[] symbols) {
        assertThatThrownBy(() -> SandboxConfig.builder().allowModule(module, symbols).build())
                .isInstanceOf(SandboxConfigurationException.class);
    }

    @ParameterizedTest(name = "pysandbox.allowModules={0}:{1}")
    @MethodSource("refused")
    void attributeRefusesTheCall(String module, String[] symbols) {
        SimpleScriptContext ctx = new SimpleScriptContext();
        ctx.setBindings(new SimpleBindings(), ScriptContext.ENGINE_SCOPE);
        ctx.setAttribute(ContextConfig.ALLOW_MODULES, module + (symbols.length == 0 ? "" : ":" + String.join(",", symbols)),
                ScriptContext.ENGINE_SCOPE);
        String probe = "import " + module + "\nresult = [n for n in dir(" + module + ") if n in ('raise_signal', "
                + "'signal', 'alarm', 'settrace', 'setprofile', 'modules', 'system', 'FileIO')]\n"
                + "assert not result, result";
        assertThatThrownBy(() -> engine.eval(probe, ctx)).isInstanceOf(ScriptException.class);
    }
}
