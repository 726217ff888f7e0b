package org.pysandbox.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The floor holds alone: contexts built as production builds them, with NO Python policy (see
 * {@link FloorHarness}), under both kinds of file system production uses (deny-all, and a read-only
 * allowed path). Every escape runs with the real builtins, {@code os}, {@code sys} and {@code posix}, and
 * must leave no trace: no host file read, no write, process, thread, host class, environment, host
 * configuration change, and no change seen by another tenant.
 */
class TruffleFloorTest {
    private static FloorHarness denyAll;
    private static FloorHarness readOnly;
    private static String jvmDefaults;

    @BeforeAll
    static void setUp() throws IOException {
        denyAll = new FloorHarness(false);
        readOnly = new FloorHarness(true);
        jvmDefaults = FloorHarness.jvmDefaults();
    }

    @AfterAll
    static void tearDown() throws IOException {
        denyAll.close();
        readOnly.close();
    }

    /**
     * File attacks run under both file systems; the rest under the allowed path only, the configuration
     * that grants the guest the most (a fresh context per attack costs time on a shared 2-core box).
     */
    static Stream<Arguments> escapes() {
        List<Arguments> all = new ArrayList<>();
        for (int i = 0; i < ATTACKS.length; i++) {
            if (i < FILE_ATTACKS) {
                all.add(Arguments.of("deny-all", ATTACKS[i][0], ATTACKS[i][1]));
            }
            all.add(Arguments.of("allowed path", ATTACKS[i][0], ATTACKS[i][1]));
        }
        return all.stream();
    }

    /** The first entries of {@link #ATTACKS}: reads and writes of files. */
    private static final int FILE_ATTACKS = 26;

    private static final String[][] ATTACKS = {
        // host files stay unreadable
        {"read a host file", "open(%SECRET%).read()"},
        {"read /etc/passwd", "open('/etc/passwd').read()"},
        {"read through a symlink leaving the allowed path", "open(%ALLOWED% + '/link.txt').read()"},
        {"read through a symlinked directory", "open(%ALLOWED% + '/up/secret.txt').read()"},
        {"read with .. out of the allowed path", "open(%ALLOWED% + '/../secret.txt').read()"},
        {"os.open and os.read", "import os\nfd = os.open(%SECRET%, os.O_RDONLY)\nos.read(fd, 100)"},
        {"list a host directory", "import os\nos.listdir(%DIR%)"},
        {"scandir the root", "import os\n[e.name for e in os.scandir('/')]"},
        {"import a module from a host directory", "import sys\nsys.path.insert(0, %DIR%)\nimport pwnsecret\npwnsecret.VALUE"},
        {"stat a host file", "import os\nos.stat(%SECRET%).st_size"},
        // no writes
        {"write a new file", "open(%CREATED%, 'w').write('x')"},
        {"write inside the allowed path", "open(%ALLOWED% + '/new.txt', 'w').write('x')"},
        {"append to an allowed file", "open(%ALLOWED% + '/ok.txt', 'a').write('x')"},
        {"os.open O_CREAT", "import os\nos.write(os.open(%CREATED%, os.O_CREAT | os.O_WRONLY), b'x')"},
        {"truncate an allowed file", "import os\nos.truncate(%ALLOWED% + '/ok.txt', 0)"},
        {"delete an allowed file", "import os\nos.remove(%ALLOWED% + '/ok.txt')"},
        {"rename the secret", "import os\nos.rename(%SECRET%, %CREATED%)"},
        {"mkdir", "import os\nos.mkdir(%CREATED%)"},
        {"symlink", "import os\nos.symlink(%SECRET%, %CREATED%)"},
        {"chmod", "import os\nos.chmod(%SECRET%, 0o777)"},
        {"utime", "import os\nos.utime(%SECRET%, (0, 0))"},
        {"shutil.copy", "import shutil\nshutil.copy(%SECRET%, %CREATED%)"},
        {"append to GraalPy's standard library", "with open(%STDLIB%, 'a') as f:\n    f.write('pwned = 1')"},
        {"plant a module in GraalPy's standard library", "with open(%STDLIBDIR% + '/pwn.py', 'w') as f:\n    f.write('x')"},
        {"touch GraalPy's standard library", "import os\nos.utime(%STDLIB%, None)"},
        {"tempfile", "import tempfile\ntempfile.mkstemp(dir=%DIR%)"},
        // no processes
        {"os.system", "import os\nos.system('touch ' + %CREATED%)"},
        {"os.popen", "import os\nos.popen('cat ' + %SECRET%).read()"},
        {"subprocess", "import subprocess\nsubprocess.run(['touch', %CREATED%])"},
        {"os.fork", "import os\nos.fork()"},
        {"os.execv replaces the JVM", "import os\nos.execv('/bin/sh', ['sh', '-c', 'touch ' + %CREATED%])"},
        {"os.posix_spawn", "import os\nos.posix_spawn('/usr/bin/touch', ['touch', %CREATED%], {})"},
        {"pty.spawn", "import pty\npty.spawn(['touch', %CREATED%])"},
        // no threads
        {"_thread.start_new_thread",
            "import _thread, time\n_thread.start_new_thread(time.sleep, (30,))\n'started'"},
        {"threading.Thread", "import threading, time\nthreading.Thread(target=time.sleep, args=(30,)).start()"},
        {"ThreadPoolExecutor", "import concurrent.futures as f, time\nf.ThreadPoolExecutor(2).submit(time.sleep, 30)"},
        {"faulthandler timer thread", "import faulthandler\nfaulthandler.dump_traceback_later(30)"},
        {"signal.alarm timer thread", "import signal\nsignal.alarm(30)"},
        {"signal.setitimer thread", "import signal\nsignal.setitimer(signal.ITIMER_REAL, 30)"},
        // no host classes or other languages
        {"java.type", "import java\njava.type('java.lang.System').setProperty('floor.pwned', '1')"},
        {"import a Java package", "import java.lang\njava.lang.System.setProperty('floor.pwned', '1')"},
        {"polyglot.eval", "import polyglot\npolyglot.eval(language='python', string='1')"},
        {"polyglot.import_value", "import polyglot\npolyglot.import_value('anything')"},
        {"host object through __graalpython__.extend",
            "import __graalpython__\n__graalpython__.extend('java.lang.Thread')"},
        {"build_java_class", "import __graalpython__\n__graalpython__.build_java_class(object, 'X', 'java.lang.Object')"},
        {"interop type registry", "import polyglot\npolyglot.register_interop_type('java.lang.System', object)"},
        // no environment
        {"os.environ", "import os\ndict(os.environ)"},
        {"os.getenv", "import os\nos.getenv('PATH')"},
        {"posix.environ", "import posix\ndict(posix.environ)"},
        {"os.putenv then read", "import os\nos.putenv('FLOOR', '1')\nos.getenv('PATH')"},
        // no host configuration change
        {"time.tzset", "import time\ntime.tzset()"},
        {"locale.setlocale", "import locale\nlocale.setlocale(locale.LC_ALL, 'de_DE.UTF-8')"},
        {"os.chdir", "import os\nos.chdir('/tmp')\nos.getcwd()"},
        {"os.umask", "import os\nos.umask(0o777)"},
        {"close the host's standard descriptors", "import os\nfor fd in (0, 1, 2): os.close(fd)"},
        {"os.kill the JVM", "import os\nos.kill(os.getpid(), 9)"},
        {"os._exit", "import os\nos._exit(3)"},
        {"sys.exit", "import sys\nsys.exit(3)"},
        {"setrecursionlimit and switch interval", "import sys\nsys.setrecursionlimit(10)\nsys.setswitchinterval(100)"},
        // other tenants untouched
        {"patch builtins", "import builtins\nbuiltins.len = lambda x: 0\nbuiltins.pwned = 1"},
        {"plant in sys.modules", "import sys\nsys.modules['pwnmod'] = sys\nsys.modules['json'] = None"},
        {"patch a shared stdlib module", "import json\njson.dumps = lambda *a, **k: 'pwned'\njson.pwned = 1"},
        {"clear sys.modules", "import sys\nsys.modules.clear()"},
        {"atexit handler", "import atexit\natexit.register(lambda: open(%CREATED%, 'w'))"},
    };

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("escapes")
    void floorAloneLeavesNoTrace(String fileSystem, String what, String code) throws IOException {
        FloorHarness harness = "deny-all".equals(fileSystem) ? denyAll : readOnly;
        String result = harness.attack(code);
        harness.assertNoEffect(what, result);
        assertThat(System.getProperty("floor.pwned")).as(what + ": no host class reached").isNull();
        assertThat(FloorHarness.jvmDefaults()).as(what + ": JVM time zone and locale unchanged").isEqualTo(jvmDefaults);
    }

    @Test
    void theAllowedPathIsReadableAndOrdinaryPythonRuns() {
        assertThat(readOnly.attack("open(%ALLOWED% + '/ok.txt').read()")).isEqualTo("'readable'");
        assertThat(readOnly.attack("import os\nsorted(os.listdir(%ALLOWED%))")).isEqualTo("['link.txt', 'ok.txt', 'up']");
        assertThat(denyAll.attack("import json, re, collections, datetime, decimal\njson.dumps(sorted({3, 1, 2}))"))
                .isEqualTo("'[1, 2, 3]'");
    }

    /** The checks can fail: a leak of each kind is noticed (so a passing attack means no leak). */
    @Test
    void theHarnessNoticesEachKindOfTrace() throws IOException {
        try (FloorHarness control = new FloorHarness(false)) {
            assertThatThrownBy(() -> control.assertNoEffect("secret in result", "x FLOOR-SECRET-55aa"))
                    .isInstanceOf(AssertionError.class);
            assertThatThrownBy(() -> control.assertNoEffect("passwd", "root:x:0:0:root"))
                    .isInstanceOf(AssertionError.class);
            control.attack("print('FLOOR-SECRET' + '-55aa')");
            assertThatThrownBy(() -> control.assertNoEffect("secret printed", "None")).isInstanceOf(AssertionError.class);
            control.attack("1");
            Thread sleeper = new Thread(() -> sleepQuietly(2000), "floor-control");
            sleeper.start();
            assertThatThrownBy(() -> control.assertNoEffect("thread", "None")).isInstanceOf(AssertionError.class);
            sleeper.interrupt();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
