package org.pysandbox.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import javax.script.ScriptException;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pysandbox.Sandbox;
import org.pysandbox.config.SandboxConfig;

/**
 * Issue 10, class 9: values of a trusted polyglot context handed to a script (HostToGuest.fromOtherContext,
 * which copies them into Java data). Views of such values that refused calls of methods by member name,
 * once used here, let through a callable reached through a snapshot of a dict or list, through
 * {@code __dict__}, or returned by an allowed protocol method ({@code __getitem__}), which carries no member
 * name. The trusted context here has all access, so a call
 * of its {@code os.system} that got through would really create the marker file: the calibration test shows
 * it does when the host itself calls it. Each attack asserts the marker is absent, the trusted object
 * unchanged, and the sandbox still answers.
 */
class HostValueAttackTest {
    @TempDir
    static Path temp;
    static Context trusted;
    static Sandbox sandbox;

    /*
     * The trusted context's dangerous power is a module "os" whose system() does what `touch PATH` would:
     * GraalPy's real os.system cannot start a process in a JVM where pysandbox took _posixsubprocess away
     * (policy.PlatformAccess, JVM-wide), so a real os.system would prove nothing here.
     */
    static final String TRUSTED_SETUP = """
            import types
            def system(command):
                verb, path = command.split(' ', 1)
                open(path.strip("'"), 'w').close()
                return 0
            os = types.ModuleType('os')
            os.system = system
            os.sys = types.SimpleNamespace(modules={'os': os})
            class Registry:
                def __getitem__(self, name):
                    return getattr(os, name)
            class Service:
                def __init__(self):
                    self.name = 'svc'
                    self.tools = {'run': os.system, 'mod': os}
                    self.toolbox = [os.system, os]
                    self.os = os
                    self.registry = Registry()
                    self.runner = os.system
                def hello(self):
                    return 'hi'
            svc = Service()
            """;

    @BeforeAll
    static void setUp() throws Exception {
        // the sandbox first, as a host using pysandbox would: pysandbox switches GraalPy's platform access off
        // before GraalPy first starts in this JVM, and refuses to confine once it was started without that
        sandbox = new Sandbox(SandboxConfig.builder().timeout(Duration.ofSeconds(30)).build());
        sandbox.eval("1");
        trusted = Context.newBuilder("python").allowAllAccess(true).option("engine.WarnInterpreterOnly", "false")
                .build();
        trusted.eval("python", TRUSTED_SETUP);
    }

    @AfterAll
    static void tearDown() {
        sandbox.close();
        trusted.close();
    }

    static Value svc() {
        return trusted.getBindings("python").getMember("svc");
    }

    /** The marker mechanism works: the host calling os.system in the trusted context creates the file. */
    @Test
    void calibrationTheTrustedContextCanRunCommands() throws IOException {
        Path probe = temp.toRealPath().resolve("calibration");
        svc().getMember("tools").getHashValue("run").execute("touch '" + probe + "'");
        assertThat(probe).exists();
        Files.delete(probe);
    }

    static Stream<Arguments> attacks() {
        String cmd = "'touch " + "@@MARKER@@" + "'";
        return Stream.of(
                Arguments.of("member call", "svc.os.system(" + cmd + ")"),
                Arguments.of("bound runner member", "svc.runner(" + cmd + ")"),
                Arguments.of("dict snapshot item", "svc.tools['run'](" + cmd + ")"),
                Arguments.of("dict snapshot get", "svc.tools.get('run')(" + cmd + ")"),
                Arguments.of("dict snapshot values", "[f for f in svc.tools.values() if callable(f)][0](" + cmd + ")"),
                Arguments.of("dict snapshot items", "for k, v in svc.tools.items():\n    if k == 'run':\n        v(" + cmd + ")"),
                Arguments.of("dict snapshot copied", "dict(svc.tools)['run'](" + cmd + ")"),
                Arguments.of("module in a dict snapshot", "svc.tools['mod'].system(" + cmd + ")"),
                Arguments.of("list snapshot item", "svc.toolbox[0](" + cmd + ")"),
                Arguments.of("list snapshot iterated", "for f in svc.toolbox:\n    f(" + cmd + ")"),
                Arguments.of("list snapshot module", "svc.toolbox[1].system(" + cmd + ")"),
                Arguments.of("__getitem__ returning a callable", "svc.registry.__getitem__('system')(" + cmd + ")"),
                Arguments.of("__getitem__ by subscript", "svc.registry['system'](" + cmd + ")"),
                Arguments.of("module __dict__", "svc.os.__dict__['system'](" + cmd + ")"),
                Arguments.of("vars of the module", "vars(svc.os)['system'](" + cmd + ")"),
                Arguments.of("getattr of the module", "getattr(svc.os, 'system')(" + cmd + ")"),
                Arguments.of("match keyword __dict__", "match svc.os:\n    case object(__dict__=d):\n        d['system'](" + cmd + ")"),
                Arguments.of("match keyword system", "match svc.os:\n    case object(system=f):\n        f(" + cmd + ")"),
                Arguments.of("method __func__ globals", "svc.hello.__func__.__globals__['os'].system(" + cmd + ")"),
                Arguments.of("__class__ of the service", "svc.__class__.__init__.__globals__['os'].system(" + cmd + ")"),
                Arguments.of("__call__ member of the runner", "svc.runner.__call__(" + cmd + ")"),
                Arguments.of("__eq__ member then result", "svc.os.__eq__(svc.os)\nsvc.os.system.__call__(" + cmd + ")"),
                Arguments.of("dir walk", "for n in dir(svc.os):\n    if n == 'system':\n        getattr(svc.os, n)(" + cmd + ")"),
                Arguments.of("str.format walk", "text = '{0.os.system}'.format(svc)\n'{0.tools[run]}'.format(svc)"),
                Arguments.of("getattr of sys through os", "svc.os.sys.modules['os'].system(" + cmd + ")"),
                Arguments.of("assigning the service", "svc.name = 'changed'"),
                Arguments.of("assigning through the dict snapshot", "svc.tools['run'] = None"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void trustedCallablesNeverRun(String name, String code) throws Exception {
        // a marker of its own, so one attack that got through does not fail the others
        Path marker = temp.toRealPath().resolve("marker-" + java.util.UUID.randomUUID());
        Map<String, Object> globals = new HashMap<>();
        globals.put("svc", svc());
        try {
            sandbox.execute(code.replace("@@MARKER@@", marker.toString()), globals);
        } catch (ScriptException refused) {
            // a refusal is fine; the effects below are what matter
        } catch (RuntimeException e) {
            fail("only ScriptExceptions may leave the sandbox, got " + e);
        }
        assertThat(marker).as("os.system ran in the trusted context").doesNotExist();
        Value svc = svc();
        assertThat(svc.getMember("name").asString()).isEqualTo("svc");
        assertThat(svc.getMember("tools").getHashSize()).isEqualTo(2);
        assertThat(svc.getMember("tools").getHashValue("run").canExecute()).isTrue();
        assertThat(sandbox.eval("1 + 1")).isEqualTo(2);
    }
}
