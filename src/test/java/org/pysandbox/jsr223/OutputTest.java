package org.pysandbox.jsr223;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.script.ScriptContext;
import javax.script.ScriptEngineManager;
import javax.script.SimpleBindings;
import javax.script.SimpleScriptContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pysandbox.error.SandboxViolationException;
import org.pysandbox.error.ScriptInterruptedException;

/** print/sys.stderr/input go to the streams of the context of that very call, even with two threads at once. */
class OutputTest {
    static PySandboxEngine engine;

    @BeforeAll
    static void start() {
        engine = (PySandboxEngine) new ScriptEngineManager().getEngineByName("pysandbox");
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static ScriptContext context(String features, StringWriter out, StringWriter err, String input) {
        ScriptContext ctx = new SimpleScriptContext();
        SimpleBindings b = new SimpleBindings();
        if (features != null) {
            b.put(ContextConfig.FEATURES, features);
        }
        ctx.setBindings(b, ScriptContext.ENGINE_SCOPE);
        ctx.setWriter(out);
        ctx.setErrorWriter(err);
        ctx.setReader(new StringReader(input));
        return ctx;
    }

    @Test
    void twoThreadsTwoContextsNoCrossing() throws Exception {
        int rounds = 40;
        int before = engine.interpreterCount();
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (String who : List.of("alpha", "beta")) {
                results.add(pool.submit(() -> {
                    StringWriter out = new StringWriter();
                    StringWriter err = new StringWriter();
                    ScriptContext ctx = context("stdout,stderr", out, err, "");
                    ctx.setAttribute("who", who, ScriptContext.ENGINE_SCOPE);
                    together.await(60, TimeUnit.SECONDS);
                    for (int i = 0; i < rounds; i++) {
                        ctx.setAttribute("i", i, ScriptContext.ENGINE_SCOPE);
                        engine.eval("import sys\nfor k in range(3):\n    print(who, i, k)\nsys.stderr.write(who + '!')", ctx);
                    }
                    StringBuilder expected = new StringBuilder();
                    for (int i = 0; i < rounds; i++) {
                        for (int k = 0; k < 3; k++) {
                            expected.append(who).append(' ').append(i).append(' ').append(k).append('\n');
                        }
                    }
                    assertThat(out.toString()).isEqualTo(expected.toString());
                    assertThat(err.toString()).isEqualTo((who + "!").repeat(rounds));
                    return who;
                }));
            }
            for (Future<String> f : results) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        // concurrent calls ran on separate interpreters of this engine, reused across rounds
        assertThat(engine.interpreterCount() - before).isBetween(0, 2);
    }

    @Test
    void inputComesFromTheContextReader() throws Exception {
        StringWriter out = new StringWriter();
        ScriptContext ctx = context("stdin,stdout", out, new StringWriter(), "Ada\nLovelace\n");
        assertThat(engine.eval("first = input()\nsecond = input('? ')\nfirst + ' ' + second", ctx))
                .isEqualTo("Ada Lovelace");
        assertThat(out.toString()).isEqualTo("? ");
    }

    /**
     * One engine serving requests, each with its own context: the interpreter's stdin wrapper reads a chunk
     * for one input(), and the rest of the first request's input was the second request's input().
     */
    @Test
    void inputOneRequestLeftUnreadIsNeverTheNextRequests() throws Exception {
        ScriptContext first = context("stdin", new StringWriter(), new StringWriter(),
                "first\nsecond line\nSECRET of the first\n");
        assertThat(engine.eval("input()", first)).isEqualTo("first");
        // the same context reads on where its last call stopped: read-ahead stays with its reader
        assertThat(engine.eval("input()", first)).isEqualTo("second line");
        ScriptContext second = context("stdin", new StringWriter(), new StringWriter(), "second\n");
        assertThat(engine.eval("input()", second)).isEqualTo("second");
        assertThat(engine.eval("import sys\nsys.stdin.read()", second)).isEqualTo("");
    }

    /**
     * A stopped run skips the flush of its finally: what it printed without a newline stayed in the
     * interpreter's buffer and was the first output of the next call, in another request's writer.
     */
    @Test
    void whatAStoppedCallPrintedNeverReachesTheNextCallsWriter() throws Exception {
        StringWriter stoppedOut = new StringWriter();
        ScriptContext stopped = context("stdout", stoppedOut, new StringWriter(), "");
        stopped.setAttribute(ContextConfig.TIMEOUT, "1s", ScriptContext.ENGINE_SCOPE);
        assertThatThrownBy(() -> engine.eval("print('line one')\nprint('SECRET', end='')\nwhile True: pass", stopped))
                .isInstanceOf(org.pysandbox.error.ScriptTimeoutException.class);
        StringWriter nextOut = new StringWriter();
        assertThat(engine.eval("print('next')\n7", context("stdout", nextOut, new StringWriter(), ""))).isEqualTo(7);
        assertThat(nextOut.toString()).isEqualTo("next\n");
        assertThat(stoppedOut.toString()).isEqualTo("line one\n");
    }

    /**
     * Review 28: emptying a stopped call's output also dropped the reader's encoded text, and compiling a
     * script dropped the read-ahead: the same context's next input() lost its text (or got half a character).
     */
    @Test
    void aStoppedCallOrACompileKeepsTheSameReadersInput() throws Exception {
        String euros = "\u20ac".repeat(4000);
        ScriptContext ctx = context("stdin", new StringWriter(), new StringWriter(), "first\n" + euros + "\nthird\nfourth\n");
        ctx.setAttribute(ContextConfig.TIMEOUT, "1s", ScriptContext.ENGINE_SCOPE);
        assertThat(engine.eval("input()", ctx)).isEqualTo("first");
        assertThatThrownBy(() -> engine.eval("while True: pass", ctx))
                .isInstanceOf(org.pysandbox.error.ScriptTimeoutException.class);
        assertThat(engine.eval("input()", ctx)).isEqualTo(euros);
        ((javax.script.Compilable) engine).compile("print(input())");
        assertThat(engine.eval("input()", ctx)).isEqualTo("third");
        assertThat(engine.eval("input()", ctx)).isEqualTo("fourth");
    }

    /**
     * Review 29: GraalPy reads and writes the streams through java.nio channels, which close for good when
     * their thread is interrupted during an operation; a print loop stopped by its timeout left every later
     * print of the engine failing with BrokenPipeError (here by the second to fourth round).
     */
    @Test
    void aPrintLoopStoppedByItsTimeoutLeavesTheStreamsWorking() throws Exception {
        for (int round = 0; round < 5; round++) {
            StringWriter loopOut = new StringWriter();
            ScriptContext loop = context("stdout", loopOut, new StringWriter(), "");
            loop.setAttribute(ContextConfig.TIMEOUT, "1s", ScriptContext.ENGINE_SCOPE);
            // a warm JIT prints the default 4 MiB in less than the second: the timeout must stop it
            loop.setAttribute(ContextConfig.MAX_OUTPUT, "1g", ScriptContext.ENGINE_SCOPE);
            assertThatThrownBy(() -> engine.eval("while True: print('x' * 50)", loop)).as("round " + round)
                    .isInstanceOf(org.pysandbox.error.ScriptTimeoutException.class);
            StringWriter out = new StringWriter();
            assertThat(engine.eval("print('hello', input())\n1", context("stdout,stdin", out, new StringWriter(),
                    "next\n"))).as("round " + round).isEqualTo(1);
            assertThat(out.toString()).as("round " + round).isEqualTo("hello next\n");
        }
    }

    /**
     * Review 30: a rule (bounded code, run on the caller's thread) from a host thread whose interrupt status
     * was set emptied another context's read-ahead there, which closed GraalPy's stdin channel for good and
     * counted as emptied: the next context read the first one's line, then every input() failed. Truffle's
     * interrupt of a stopped rule also cleared the host's own status. Such a call now runs on the guest
     * thread, where an interrupted caller is a stop like any other, and the host keeps its status.
     */
    @Test
    void aCallFromAnInterruptedHostThreadBreaksNothingAndKeepsTheStatus() throws Exception {
        ScriptContext rule = context(null, new StringWriter(), new StringWriter(), "");
        rule.setAttribute("amount", 5, ScriptContext.ENGINE_SCOPE);
        rule.setAttribute("limit", 10, ScriptContext.ENGINE_SCOPE);
        for (int i = 0; i < 3; i++) {
            assertThat(engine.eval("amount > limit", rule)).isEqualTo(false);
        }
        StringWriter first = new StringWriter();
        engine.eval("print(input())", context("stdin,stdout", first, new StringWriter(), "A line 1\nA line 2\n"));
        assertThat(first.toString()).isEqualTo("A line 1\n");
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> engine.eval("amount > limit", rule)).isInstanceOf(ScriptInterruptedException.class)
                    .hasMessageContaining("calling thread was interrupted");
        } finally {
            assertThat(Thread.interrupted()).as("the host's interrupt status is still set").isTrue();
        }
        for (int i = 0; i < 3; i++) {
            StringWriter out = new StringWriter();
            engine.eval("print(input())", context("stdin,stdout", out, new StringWriter(), "B line " + i + "\n"));
            assertThat(out.toString()).isEqualTo("B line " + i + "\n");
        }
    }

    @Test
    void outputWithoutTheFeatureIsAViolationNotLost() {
        StringWriter out = new StringWriter();
        ScriptContext ctx = context(null, out, new StringWriter(), "");
        assertThatThrownBy(() -> engine.eval("print('hello')", ctx)).isInstanceOf(SandboxViolationException.class)
                .hasMessageContaining("stdout");
        assertThat(out.toString()).isEmpty();
        assertThatThrownBy(() -> engine.eval("input()", context(null, out, new StringWriter(), "x\n")))
                .isInstanceOf(SandboxViolationException.class).hasMessageContaining("stdin");
    }
}
