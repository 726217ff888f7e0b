package org.pysandbox.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.script.Bindings;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import javax.script.SimpleBindings;
import javax.script.SimpleScriptContext;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on the Java boundary, designed from its code: configuration keys written by the guest
 * ({@code ScriptGlobals}, {@code ContextConfig}), values of a trusted polyglot context ({@code HostToGuest}),
 * and state planted by one engine's script for another's.
 */
class HostBoundaryAttackTest {
    /** Every way the guest might name a configuration key in its namespace. */
    private static String plant(Path dir) {
        String d = dir.toString().replace("\\", "\\\\");
        return "ok = []\n"
                + "for k, v in (('pysandbox.allowPaths', '" + d + "'), ('pysandbox.features', 'stdout,interpreter'),"
                + " ('pysandbox.isolation', 'context'), ('pysandbox.allowModules', 'os:*'), ('pysandbox.timeout', '0')):\n"
                + "    try:\n"
                + "        globals()[k] = v\n"
                + "        ok.append(k)\n"
                + "    except Exception:\n"
                + "        pass\n"
                + "    try:\n"
                + "        exec(k.replace('.', '_') + ' = 1', globals())\n"
                + "    except Exception:\n"
                + "        pass\n"
                + "ok\n";
    }

    private static void assertGuestWritesChangeNothing(Map<String, Object> hostSettings, Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET");
        ScriptEngine engine = new ScriptEngineManager().getEngineByName("pysandbox");
        Bindings b = new SimpleBindings();
        b.putAll(hostSettings);
        SimpleScriptContext ctx = new SimpleScriptContext();
        ctx.setBindings(b, ScriptContext.ENGINE_SCOPE);
        engine.eval(plant(dir), ctx);
        assertThat(b.keySet()).filteredOn(k -> k.startsWith("pysandbox.")).containsExactlyInAnyOrderElementsOf(
                hostSettings.keySet());
        hostSettings.forEach((k, v) -> assertThat(b.get(k)).isEqualTo(v));
        String read = "open(" + "'" + secret.toString().replace("\\", "\\\\") + "').read()";
        assertThatThrownBy(() -> engine.eval(read, ctx)).isInstanceOf(ScriptException.class)
                .hasMessageNotContaining("TOP-SECRET");
        assertThatThrownBy(() -> engine.eval("import os\nos.getcwd()", ctx)).isInstanceOf(ScriptException.class);
        if (engine instanceof AutoCloseable c) {
            c.close();
        }
    }

    @Test
    void configurationKeysTheGuestWritesNeverReachTheBindingsOrItsNextCall(@TempDir Path dir) throws Exception {
        assertGuestWritesChangeNothing(Map.of(), dir);
        assertGuestWritesChangeNothing(Map.of("pysandbox.timeout", "20s"), dir);
    }

    @Test
    void inProcessIsolationTooTheNextCallKeepsTheHostsSettings(@TempDir Path dir) throws Exception {
        assertGuestWritesChangeNothing(Map.of("pysandbox.isolation", "process", "pysandbox.timeout", "60s"), dir);
    }

    @Test
    void aTrustedContextsObjectIsDataOnlyAndNothingOfItRuns(@TempDir Path dir) throws Exception {
        Path marker = dir.resolve("ran");
        try (Context trusted = Context.newBuilder("python").allowAllAccess(true).build()) {
            Value os = trusted.eval("python", "import os\nos");
            Value data = trusted.eval("python", "{'a': [1, 2, {'b': 'c'}], 'n': None}");
            Value fn = trusted.eval("python", "import os\nlambda cmd: os.system(cmd)");
            ScriptEngine engine = new ScriptEngineManager().getEngineByName("pysandbox");
            Bindings b = new SimpleBindings();
            b.put("os_", os);
            b.put("data", data);
            b.put("fn", fn);
            assertThat(engine.eval("data['a'][2]['b'] + str(data['n'])", b)).isEqualTo("cNone");
            String touch = "touch " + marker;
            for (String attack : List.of("os_.system('" + touch + "')", "os_.__dict__['system']('" + touch + "')",
                    "vars(os_)['system']('" + touch + "')", "getattr(os_, 'system')('" + touch + "')",
                    "fn('" + touch + "')", "[v for v in dir(os_)]", "type(os_).__call__(os_)",
                    "os_.__class__.__init__.__globals__")) {
                try {
                    Object result = engine.eval(attack, b);
                    assertThat(result).as(attack).isIn(null, List.of());
                } catch (ScriptException refused) {
                    // refused is fine: the point is that nothing ran
                }
            }
            assertThat(marker).doesNotExist();
            assertThat(trusted.eval("python", "1 + 1").asInt()).isEqualTo(2);
        }
    }

    @Test
    void stateOneEnginesScriptPlantsIsNotSeenByAnotherEngines() throws Exception {
        ScriptEngineManager manager = new ScriptEngineManager();
        String plant = "class P:\n    pass\n"
                + "for target in (str, int, list, dict, type(None)):\n"
                + "    try:\n        target.planted = 'yes'\n    except Exception:\n        pass\n"
                + "try:\n    __builtins__.planted = 'yes'\nexcept Exception:\n    pass\n"
                + "try:\n    __builtins__['planted'] = 'yes'\nexcept Exception:\n    pass\n"
                + "secret = 'tenant-a'\n";
        String look = "[hasattr(str, 'planted'), hasattr(int, 'planted'), hasattr(list, 'planted'), "
                + "'planted' in dir(__builtins__) if not isinstance(__builtins__, dict) else 'planted' in __builtins__, "
                + "'secret' in globals()]";
        for (int i = 0; i < 5; i++) {
            ScriptEngine a = manager.getEngineByName("pysandbox");
            a.eval(plant);
            ScriptEngine b = manager.getEngineByName("pysandbox");
            assertThat(b.eval(look)).isEqualTo(List.of(false, false, false, false, false));
        }
    }
}
