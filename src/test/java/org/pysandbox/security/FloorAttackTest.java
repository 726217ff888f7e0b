package org.pysandbox.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pysandbox.policy.FloorHarness;

/**
 * GraalPy-specific escape routes against the floor alone, designed from GraalPy 25.0.3's own modules:
 * {@code __graalpython__}'s builtins ({@code read_file}, {@code run_path}, {@code extend}, {@code home}
 * and the language-home paths), {@code _io} and {@code posix} directly, the language home as a way out of
 * the file system (path traversal from an internal-resource root, and traceback source lines, the routes
 * of GR-75349), sockets, native code, {@code mmap}, {@code resource}, and the import machinery. Each runs
 * in a context built as production builds it with NO Python policy ({@link FloorHarness}), with a readable
 * allowed path, and must leave no trace. The writes into the extracted standard library are harmless if
 * they ever got through (an appended assignment, a new empty module), so that a regression shows up here
 * without breaking GraalPy for the machine's other JVMs. Routes that could end the JVM (recovering {@code _signal}) are
 * attacked in a child JVM by {@code policy.SignalFloorTest}.
 */
class FloorAttackTest {
    private static FloorHarness harness;
    private static String jvmDefaults;

    private static final String UP = "'/..' * 40";
    private static final String[][] ATTACKS = {
        // __graalpython__
        {"read_file", "import __graalpython__\n__graalpython__.read_file(%SECRET%)"},
        {"read_file of /etc/passwd", "import __graalpython__\n__graalpython__.read_file('/etc/passwd')"},
        {"run_path runs a host file (the guest cannot point __graalpython__.run_path, set by an option)",
            "import runpy\nrunpy.run_path(%DIR% + '/pwnsecret.py')['VALUE']"},
        {"read_file from the language home upwards",
            "import __graalpython__\n__graalpython__.read_file(__graalpython__.home + " + UP + " + %SECRET%)"},
        {"open from the stdlib home upwards", "import __graalpython__\nopen(__graalpython__.stdlib_home + " + UP
            + " + %SECRET%).read()"},
        {"open from the core home upwards", "import __graalpython__\nopen(__graalpython__.core_home + " + UP
            + " + '/etc/passwd').read()"},
        {"os.listdir from the home upwards", "import __graalpython__, os\nos.listdir(__graalpython__.home + " + UP
            + " + %DIR%)"},
        {"write into the language home", "import __graalpython__\nwith open(__graalpython__.stdlib_home + '/pwn.py', 'w') as f:\n"
            + "    f.write('x')"},
        {"append to the stdlib through _io", "import _io\nf = _io.FileIO(%STDLIB%, 'a')\nf.write(b'pwned = 1')\nf.close()"},
        {"plant in the stdlib through posix", "import posix\nfd = posix.open(%STDLIBDIR% + '/pwn.py', posix.O_CREAT | "
            + "posix.O_WRONLY)\nposix.write(fd, b'x')\nposix.close(fd)"},

        {"replicate_extensions_in_venv writes files",
            "import __graalpython__\n__graalpython__.replicate_extensions_in_venv(%DIR%, 2)"},
        {"extend a Java class", "import __graalpython__\n__graalpython__.extend('java.lang.Thread')"},
        {"super of a host adapter", "import __graalpython__\n__graalpython__.super(object())"},
        {"which searches PATH", "import __graalpython__\n__graalpython__.which('sh')"},
        {"determine_system_toolchain", "import __graalpython__\n__graalpython__.determine_system_toolchain()"},
        {"dump_heap writes a file", "import __graalpython__\n__graalpython__.dump_heap()"},
        {"builtin decorator patches builtins",
            "import __graalpython__, builtins\n@__graalpython__.builtin\ndef len(x):\n    return 0\nbuiltins.pwned = 1"},
        // _io and posix directly
        {"_io.FileIO read", "import _io\n_io.FileIO(%SECRET%).read()"},
        {"_io.FileIO write", "import _io\n_io.FileIO(%CREATED%, 'w').write(b'x')"},
        {"_io.open", "import _io\n_io.open(%SECRET%).read()"},
        {"_io.FileIO on a symlink out of the allowed path", "import _io\n_io.FileIO(%ALLOWED% + '/link.txt').read()"},
        {"posix.open and read", "import posix\nposix.read(posix.open(%SECRET%, posix.O_RDONLY), 100)"},
        {"posix.open O_CREAT", "import posix\nposix.open(%CREATED%, posix.O_CREAT | posix.O_WRONLY)"},
        {"posix.system", "import posix\nposix.system('touch ' + %CREATED%)"},
        {"posix.environ", "import posix\nposix.environ"},
        {"posix.fork", "import posix\nposix.fork()"},
        {"_posixsubprocess.fork_exec", "import _posixsubprocess\n_posixsubprocess.fork_exec(['touch', %CREATED%], "
            + "[b'/usr/bin/touch'], True, (), None, None, -1, -1, -1, -1, -1, -1, -1, -1, False, False, 0, None, "
            + "None, None, -1, None, False)"},
        // files through other readers
        {"traceback shows a host file's line", "import traceback\ntry:\n    exec(compile('1/0', %SECRET%, 'exec'))\n"
            + "except ZeroDivisionError:\n    r = traceback.format_exc()\nr"},
        {"traceback line through the language home", "import traceback, __graalpython__\ntry:\n"
            + "    exec(compile('1/0', __graalpython__.home + " + UP + " + %SECRET%, 'exec'))\n"
            + "except ZeroDivisionError:\n    r = traceback.format_exc()\nr"},
        {"linecache", "import linecache\nlinecache.getlines(%SECRET%)"},
        {"SourceFileLoader.get_data", "import importlib.machinery as m\nm.SourceFileLoader('x', %SECRET%).get_data(%SECRET%)"},
        {"zipimport", "import zipimport\nzipimport.zipimporter(%SECRET%)"},
        {"polyglot.eval from a path", "import polyglot\npolyglot.eval(path=%SECRET%, language='python')"},
        {"mmap a host file", "import mmap, os\nmmap.mmap(os.open(%SECRET%, os.O_RDONLY), 0, prot=mmap.PROT_READ)[:]"},
        {"import from a meta path finder on a host dir",
            "import sys, importlib.machinery as m\nsys.path_importer_cache.clear()\n"
            + "sys.meta_path.insert(0, m.PathFinder)\nsys.path.append(%DIR%)\nimport pwnsecret\npwnsecret.VALUE"},
        // network, native code, process limits
        {"TCP connect to the host", "import socket\nsocket.create_connection(('127.0.0.1', %TCP%), timeout=1)"},
        {"UDP send to the host", "import socket\nsocket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'x', "
            + "('127.0.0.1', %UDP%))"},
        {"_socket directly", "import _socket\n_socket.socket().connect(('127.0.0.1', %TCP%))"},
        {"ctypes", "import ctypes\nctypes.CDLL(None).system(b'touch ' + %CREATED%.encode())"},
        {"_ctypes.dlopen", "import _ctypes\n_ctypes.dlopen('libc.so.6')"},
        {"resource.setrlimit", "import resource\nresource.setrlimit(resource.RLIMIT_NOFILE, (16, 16))"},
        {"os.sched_setaffinity", "import os\nos.sched_setaffinity(0, {0})"},
        {"os.nice", "import os\nos.nice(19)"},
        // host classes through the import machinery and sys.modules
        {"java through importlib", "import importlib\nimportlib.import_module('java').type('java.lang.System')"
            + ".setProperty('floor.pwned', '1')"},
        {"java through sys.modules", "import sys, java\nsys.modules['java'].type('java.lang.System')"},
        {"host import of a class", "import java.lang.System as S\nS.setProperty('floor.pwned', '1')"},
        {"host import through __import__", "__import__('java.lang', fromlist=['System']).System.setProperty('floor.pwned', '1')"},
        {"polyglot bindings", "import polyglot\npolyglot.export_value('x', 1)\npolyglot.import_value('x')"},
        {"replace posix in sys.modules then use os", "import sys, posix\nsys.modules['posix'] = type(sys)('posix')\n"
            + "import os\nos.system('touch ' + %CREATED%)"},
        {"reload os after planting", "import sys, importlib\nsys.modules.pop('os', None)\nimport os\n"
            + "os.open(%CREATED%, os.O_CREAT | os.O_WRONLY)"},
    };

    @BeforeAll
    static void setUp() throws IOException {
        harness = new FloorHarness(true);
        jvmDefaults = FloorHarness.jvmDefaults();
    }

    @AfterAll
    static void tearDown() throws IOException {
        harness.close();
    }

    static Stream<Arguments> attacks() {
        return Arrays.stream(ATTACKS).map(a -> Arguments.of(a[0], a[1]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void graalPyRoutesFindNothingBelowTheFloor(String what, String code) throws IOException {
        String result = harness.attack(code);
        harness.assertNoEffect(what, result);
        assertThat(System.getProperty("floor.pwned")).as(what + ": no host class reached").isNull();
        assertThat(FloorHarness.jvmDefaults()).as(what + ": JVM time zone and locale unchanged").isEqualTo(jvmDefaults);
    }
}
