package org.pysandbox.limits;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import javax.script.ScriptException;

import org.pysandbox.config.SandboxConfig;
import org.pysandbox.error.MemoryLimitException;
import org.pysandbox.error.OutputLimitException;
import org.pysandbox.error.PythonScriptException;
import org.pysandbox.error.RecursionLimitException;
import org.pysandbox.error.ResourceLimitException;
import org.pysandbox.error.SandboxViolationException;
import org.pysandbox.error.ScriptTimeoutException;

/**
 * The resource-exhaustion bombs, shared by the in-process and the process-isolation suites. Each bomb
 * names the exception it must end with and the time it may take: its limit plus a stated grace.
 */
public final class ResourceBombs {
    /** Wall-clock limit the bombs run under. */
    public static final Duration TIMEOUT = Duration.ofMillis(1000);
    /** Memory budget the bombs run under. */
    public static final long MEMORY = 64L << 20;
    /** Output budget the bombs run under. */
    public static final long OUTPUT = 64L << 10;
    /**
     * Grace over the limit. The target is ~100 ms on an idle machine; the assertion allows more because
     * the suite runs on a loaded 2-core box beside other builds (measured values are printed).
     */
    public static final Duration GRACE = Duration.ofMillis(1500);

    private ResourceBombs() {
    }

    /** One bomb: code, what it must end with, and how long that may take. */
    public record Bomb(String name, String code, Class<? extends ScriptException> expected, Duration within,
            UnaryOperator<SandboxConfig.Builder> configure) {
        public SandboxConfig config() {
            SandboxConfig.Builder b = SandboxConfig.builder().timeout(TIMEOUT).maxMemory(MEMORY).maxOutput(OUTPUT);
            return configure.apply(b).build();
        }

        /**
         * The bomb's leading {@code import} lines. A suite runs them untimed first: on a loaded machine a
         * fresh interpreter's first import alone can take the whole 1-s limit, and the bomb is what is timed.
         */
        public String imports() {
            StringBuilder imports = new StringBuilder();
            for (String line : code.split("\n")) {
                if (!line.startsWith("import ")) {
                    break;
                }
                imports.append(line).append('\n');
            }
            return imports.toString();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static Bomb cpu(String name, String code, UnaryOperator<SandboxConfig.Builder> configure) {
        // no memory budget: these must be stopped by the clock, whatever they allocate meanwhile
        return new Bomb(name, code, ScriptTimeoutException.class, TIMEOUT.plus(GRACE),
                b -> configure.apply(b).maxMemory(0));
    }

    /** Stack bombs end as the recursion limit or, when unwinding a deep host stack is slow, the clock. */
    private static Bomb stack(String name, String code) {
        return new Bomb(name, code, ResourceLimitException.class, TIMEOUT.plus(GRACE), b -> b.maxMemory(0));
    }

    private static Bomb cpu(String name, String code) {
        return cpu(name, code, b -> b);
    }

    private static Bomb memory(String name, String code, UnaryOperator<SandboxConfig.Builder> configure) {
        // memory bombs must end in about a second whatever their time limit
        return new Bomb(name, code, MemoryLimitException.class, Duration.ofMillis(1000).plus(GRACE),
                b -> configure.apply(b).timeout(Duration.ofSeconds(20)));
    }

    private static Bomb memory(String name, String code) {
        return memory(name, code, b -> b);
    }

    private static Bomb blocked(String name, String code, UnaryOperator<SandboxConfig.Builder> configure) {
        return new Bomb(name, code, SandboxViolationException.class, GRACE, configure);
    }

    public static List<Bomb> all() {
        return List.of(
                cpu("tight loop", "while True: pass"),
                cpu("loop swallowing every exception", """
                        while True:
                            try:
                                while True:
                                    pass
                            except:
                                pass
                        """),
                cpu("looping finally block", """
                        try:
                            while True:
                                pass
                        finally:
                            while True:
                                pass
                        """),
                cpu("looping finally that swallows", """
                        def spin():
                            while True:
                                try:
                                    while True:
                                        pass
                                finally:
                                    continue
                        spin()
                        """),
                cpu("catastrophic regex (backtracking)", "import re\nre.match(r'(a*)*\\1b', 'a' * 40)", b -> b.enable("regex")),
                cpu("huge power (one uninterruptible builtin)", "x = 3 ** (3 * 10 ** 7)"),
                cpu("huge pow()", "x = pow(7, 3 * 10 ** 7)"),
                cpu("huge integer arithmetic", "x = 10 ** 1000000\ny = x * x * x\nz = y * y * y"),
                cpu("sorting a huge range", "x = sorted(range(10 ** 7), key=lambda v: -v)"),
                blocked("real sleep", "import time\ntime.sleep(1000)", b -> b.enable("time")),
                blocked("thread creation", "import threading\nthreading.Thread(target=lambda: None).start()", b -> b),
                blocked("lock deadlock", "import _thread\nl = _thread.allocate_lock()\nl.acquire()\nl.acquire()", b -> b),
                memory("growing list of buffers", "l = []\nwhile True:\n    l.append(bytearray(100000))"),
                memory("growing list of ints", "l = []\nwhile True:\n    l += [len(l)] * 100000"),
                memory("big string repeat", "x = 'a' * 10 ** 10"),
                memory("huge bytearray", "x = bytearray(10 ** 12)"),
                // GraalPy refuses the width itself, at once, before allocating anything
                new Bomb("format width", "x = '{:>{w}}'.format('', w=10 ** 10)", PythonScriptException.class, GRACE,
                        b -> b),
                memory("growing list of big lists", "l = []\nwhile True:\n    l.append([None] * (2 ** 22))"),
                memory("doubling string", "s = 'ab'\nwhile True:\n    s = s + s"),
                // GraalPy maps case slowly: this expansion allocates slower than a second's budget, so it ends by
                // whichever limit comes first
                new Bomb("case-mapping expansion", "s = '\\ufb03' * (10 ** 5)\nl = []\nwhile True:\n    l.append(s.upper())",
                        ResourceLimitException.class, TIMEOUT.plus(GRACE), b -> b),
                memory("zlib decompression bomb", """
                        import zlib
                        bomb = zlib.compress(b'\\0' * (10 ** 7), 9)
                        out = []
                        while True:
                            out.append(zlib.decompress(bomb))
                        """, b -> b.allowModule("zlib", "compress", "decompress")),
                new Bomb("print forever", "while True:\n    print('x' * 1000)", OutputLimitException.class,
                        GRACE, b -> b.enable("stdout")),
                new Bomb("print forever swallowing the error",
                        "while True:\n    try:\n        print('x' * 1000)\n    except:\n        pass",
                        OutputLimitException.class, GRACE, b -> b.enable("stdout")),
                new Bomb("plain recursion", "def f():\n    return f()\nf()", RecursionLimitException.class, GRACE,
                        b -> b),
                stack("recursion through lambdas", "f = lambda g: g(g)\nf(f)"),
                stack("nested generators", """
                        g = iter([1])
                        for i in range(20000):
                            g = (x for x in g)
                        next(g)
                        """),
                stack("deep expression tree", "x = 1" + "+1".repeat(100_000)),
                // whichever stage runs out of recursion (parser, checker, compiler): the recursion limit
                stack("deep unary chain", "x = " + "-".repeat(100_000) + "1"),
                new Bomb("deeply nested brackets (parser limit)", "x = " + "(".repeat(100_000) + "1" + ")".repeat(100_000),
                        PythonScriptException.class, GRACE, b -> b),
                new Bomb("deeply nested lists in source", "x = " + "[".repeat(50_000) + "]".repeat(50_000),
                        PythonScriptException.class, GRACE, b -> b),
                cpu("looping finalizer", """
                        class Bomb:
                            def __del__(self):
                                while True:
                                    pass
                        for i in range(1000):
                            Bomb()
                        while True:
                            pass
                        """));
    }
}
