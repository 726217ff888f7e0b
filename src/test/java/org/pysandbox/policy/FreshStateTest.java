package org.pysandbox.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import javax.script.ScriptException;

import org.junit.jupiter.api.Test;
import org.pysandbox.Sandbox;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.config.SandboxConfigurationException;

/**
 * Fresh state: what one run or one tenant does never reaches another, and the context-wide defences
 * (neutralised signals) hold even where a module is explicitly allowed.
 */
class FreshStateTest {
    @Test
    void tenantsDoNotShareAnything() throws Exception {
        try (Sandbox a = new Sandbox(); Sandbox b = new Sandbox()) {
            a.execute("""
                    class Marker: pass
                    Marker.leak = 'from-a'
                    int_cache = [].__class__
                    """);
            Map<String, Object> nsA = new HashMap<>();
            a.execute("shared = 41", nsA);
            assertThat(b.eval("'Marker' in globals() or 'shared' in globals()")).isEqualTo(false);
            assertThatThrownBy(() -> b.eval("shared")).isInstanceOf(ScriptException.class).hasMessageContaining("NameError");
        }
    }

    @Test
    void runsWithoutANamespaceStartFresh() throws Exception {
        try (Sandbox sandbox = new Sandbox()) {
            sandbox.execute("x = 1\ndef f(): return 2");
            assertThatThrownBy(() -> sandbox.eval("x")).isInstanceOf(ScriptException.class).hasMessageContaining("NameError");
            assertThat(sandbox.eval("sorted(globals())")).isEqualTo(java.util.List.of("__builtins__"));
        }
    }

    @Test
    void builtinsChangedByNoRun() throws Exception {
        try (Sandbox sandbox = new Sandbox()) {
            for (String attempt : new String[] {"__builtins__.len = None", "globals()['__builtins__'] = {}",
                    "g = {}\nexec('pass', g)\ng['__builtins__']['len'] = None", "del __builtins__.abs"}) {
                try {
                    sandbox.execute(attempt);
                } catch (ScriptException expected) {
                    // refused, as it should be; what matters is the next run
                }
                assertThat(sandbox.eval("len('abcd') + abs(-1)")).isEqualTo(5);
            }
        }
    }

    @Test
    void signalAndTheProcessFunctionsOfOsCannotBeAllowed() throws Exception {
        for (String module : new String[] {"signal", "_signal"}) {
            assertThatThrownBy(() -> SandboxConfig.builder().allowModule(module, "*"))
                    .isInstanceOf(SandboxConfigurationException.class).hasMessageContaining("can never be allowed")
                    .hasMessageContaining("signals reach the whole JVM");
        }
        for (String symbol : new String[] {"kill", "system", "_exit"}) {
            assertThatThrownBy(() -> SandboxConfig.builder().allowModule("os", "getpid", symbol))
                    .isInstanceOf(SandboxConfigurationException.class).hasMessageContaining("'" + symbol + "'");
        }
        try (Sandbox sandbox = new Sandbox(SandboxConfig.builder().allowModule("os", "getpid").build())) {
            assertThatThrownBy(() -> sandbox.execute("import os\nos.kill(os.getpid(), 15)"))
                    .isInstanceOf(ScriptException.class);
            assertThat(sandbox.eval("1 + 1")).isEqualTo(2);
        }
    }
}
