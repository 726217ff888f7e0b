package org.pysandbox.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pysandbox.config.SandboxConfig;

/**
 * The Truffle floor on its own: a context made by {@link ConfinedContextFactory} with NO Python policy
 * installed, so guest code has the real builtins, open(), os, polyglot and java. Each escape a broken
 * Python layer would let through must still find nothing: no file read or written outside the allowed
 * path, no process, thread, host class, polyglot eval or environment.
 */
class TruffleFloorTest {
    private static final String SECRET = "FLOOR-SECRET-55aa";
    private static Path dir;
    private static Path secret;
    private static Path allowed;
    private static Path created;
    private static Context context;

    @BeforeAll
    static void setUp() throws IOException {
        dir = Files.createTempDirectory("floor").toRealPath();
        allowed = Files.createDirectories(dir.resolve("allowed"));
        Files.writeString(allowed.resolve("ok.txt"), "readable");
        secret = Files.writeString(dir.resolve("secret.txt"), SECRET);
        Files.createSymbolicLink(allowed.resolve("link.txt"), secret);
        created = dir.resolve("created.txt");
        context = ConfinedContextFactory.newContext(SandboxConfig.builder().allowPath(allowed).build(),
                InputStream.nullInputStream(), OutputStream.nullOutputStream(), OutputStream.nullOutputStream());
    }

    @AfterAll
    static void tearDown() throws IOException {
        context.close(true);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static Stream<Arguments> escapes() {
        return Stream.of(
                Arguments.of("read a file outside the allowed path", "open(%SECRET%).read()"),
                Arguments.of("read through a symlink leaving the allowed path", "open(%ALLOWED% + '/link.txt').read()"),
                Arguments.of("read with .. out of the allowed path", "open(%ALLOWED% + '/../secret.txt').read()"),
                Arguments.of("write a new file", "open(%CREATED%, 'w').write('x')"),
                Arguments.of("write inside the allowed path", "open(%ALLOWED% + '/new.txt', 'w').write('x')"),
                Arguments.of("os.open for writing", "import os\nos.open(%CREATED%, os.O_CREAT | os.O_WRONLY)"),
                Arguments.of("os.system", "import os\nr = os.system('touch ' + %CREATED%)\nassert r == 0"),
                Arguments.of("subprocess", "import subprocess\nsubprocess.run(['touch', %CREATED%])"),
                Arguments.of("os.fork", "import os\nos.fork()"),
                Arguments.of("thread start", "import _thread\n_thread.start_new_thread(lambda: None, ())"),
                Arguments.of("java.type host class", "import java\njava.type('java.lang.Runtime')"),
                Arguments.of("polyglot eval", "import polyglot\npolyglot.eval(language='python', string='1')"),
                Arguments.of("environment variables", "import os\nassert os.environ.get('PATH') is not None"),
                Arguments.of("list the root directory", "import os\nos.listdir('/')"),
                Arguments.of("socket", "import socket\nsocket.create_connection(('127.0.0.1', 9))"),
                Arguments.of("ctypes native code", "import ctypes\nctypes.CDLL(None)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("escapes")
    void floorRefusesWithoutThePythonPolicy(String what, String code) throws IOException {
        String source = code.replace("%SECRET%", py(secret)).replace("%ALLOWED%", py(allowed))
                .replace("%CREATED%", py(created));
        Object result = null;
        try {
            result = context.eval("python", source);
        } catch (PolyglotException refused) {
            assertThat(refused.isGuestException() || refused.isHostException() || refused.isInternalError())
                    .as("refused by the floor: " + refused.getMessage()).isTrue();
            result = null;
        }
        assertThat(String.valueOf(result)).doesNotContain(SECRET);
        assertThat(created).as("no file created").doesNotExist();
        assertThat(allowed.resolve("new.txt")).as("allowed path stays read-only").doesNotExist();
        assertThat(context.eval("python", "open(" + py(allowed) + " + '/ok.txt').read()").asString())
                .as("the allowed path stays readable").isEqualTo("readable");
    }

    private static String py(Path p) {
        return "'" + p.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
