package org.pysandbox.jsr223;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.script.ScriptContext;
import javax.script.ScriptEngineManager;
import javax.script.SimpleBindings;
import javax.script.SimpleScriptContext;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pysandbox.error.ScriptTimeoutException;

/**
 * A host's streams outlive a call that was stopped while its script was inside one of them. A line typed
 * after a stopped {@code input()} belongs to the next call that reads the same reader, not to the stopped
 * one; a writer that never returns, or a slow one, holds neither that call, nor later calls, nor any other
 * sandbox's limits. The streams here ignore interrupts, as {@code System.in} and a full pipe do, so the
 * stopped call's thread stays inside them after the call ended.
 */
class HostStreamsAcrossStoppedCallsTest {
    /** A terminal-like reader: blocks until a line is typed, and an interrupt does not end the wait. */
    static final class TypedLines extends Reader {
        private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private String current = "";
        volatile int reads;

        void type(String line) {
            lines.add(line);
        }

        @Override
        public synchronized int read(char[] buf, int off, int len) {
            reads++;
            while (current.isEmpty()) {
                try {
                    current = lines.take();
                } catch (InterruptedException ignored) {
                    // a blocked terminal read does not end on an interrupt
                }
            }
            int n = Math.min(len, current.length());
            current.getChars(0, n, buf, off);
            current = current.substring(n);
            return n;
        }

        @Override
        public void close() {
        }
    }

    /** A writer into a pipe nobody drains: a write blocks until the test ends, and an interrupt does not end it. */
    static final class StuckWriter extends Writer {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch released = new CountDownLatch(1);

        @Override
        public void write(char[] cbuf, int off, int len) throws IOException {
            entered.countDown();
            while (released.getCount() > 0) {
                try {
                    released.await();
                } catch (InterruptedException ignored) {
                    // a blocked pipe write does not end on an interrupt
                }
            }
            throw new IOException("the pipe was closed");
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    /** A writer that takes its time over every write and notes when each began and ended, and how many overlapped. */
    static final class SlowWriter extends Writer {
        final long millisPerWrite;
        final java.util.List<long[]> writes = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        final java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
        volatile int mostInside;
        final StringBuffer text = new StringBuffer();

        SlowWriter(long millisPerWrite) {
            this.millisPerWrite = millisPerWrite;
        }

        @Override
        public void write(char[] cbuf, int off, int len) {
            long start = System.nanoTime();
            mostInside = Math.max(mostInside, inside.incrementAndGet());
            long until = start + millisPerWrite * 1_000_000;
            while (System.nanoTime() < until) {
                try {
                    Thread.sleep(Math.max(1, (until - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException ignored) {
                    // a slow pipe does not hurry for an interrupt
                }
            }
            text.append(cbuf, off, len);
            inside.decrementAndGet();
            writes.add(new long[] {start, System.nanoTime(), len});
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    /** Threads of this JVM blocked in the writer's write. */
    private static long threadsInsideAStuckWriter() {
        return Thread.getAllStackTraces().values().stream().filter(stack -> java.util.Arrays.stream(stack)
                .anyMatch(f -> f.getClassName().equals(StuckWriter.class.getName()) && f.getMethodName().equals("write")))
                .count();
    }

    private static ScriptContext context(String isolation, Reader in, Writer out, String timeout) {
        ScriptContext ctx = new SimpleScriptContext();
        SimpleBindings b = new SimpleBindings();
        b.put(ContextConfig.FEATURES, "stdin,stdout");
        b.put(ContextConfig.ISOLATION, isolation);
        b.put(ContextConfig.TIMEOUT, timeout);
        ctx.setBindings(b, ScriptContext.ENGINE_SCOPE);
        ctx.setWriter(out);
        ctx.setErrorWriter(new StringWriter());
        ctx.setReader(in);
        return ctx;
    }

    @ParameterizedTest
    @ValueSource(strings = {"context", "process"})
    void aLineTypedAfterAStoppedInputGoesToTheNextCall(String isolation) throws Exception {
        PySandboxEngine engine = (PySandboxEngine) new ScriptEngineManager().getEngineByName("pysandbox");
        try {
            TypedLines terminal = new TypedLines();
            StringWriter out = new StringWriter();
            // warm: a process worker's start is not part of the 2-s timeout below
            assertThat(engine.eval("6 * 7", context(isolation, terminal, out, "20s"))).isEqualTo(42);
            assertThatThrownBy(() -> engine.eval("input('name? ')", context(isolation, terminal, out, "1s")))
                    .isInstanceOf(ScriptTimeoutException.class);
            Thread.sleep(200);
            terminal.type("Ada\n");
            Thread.sleep(500);
            assertThat(engine.eval("input('again? ')", context(isolation, terminal, out, "20s")))
                    .as("the line typed after the stop").isEqualTo("Ada");
            terminal.type("Grace\n");
            assertThat(engine.eval("input()", context(isolation, terminal, out, "20s"))).isEqualTo("Grace");
            assertThat(terminal.reads).as("the stopped call's read was the only one of the first line").isEqualTo(2);
        } finally {
            engine.close();
        }
    }

    /**
     * A host writer that never returns (a pipe nobody drains, which a script that prints enough fills) holds
     * the call no longer than its timeout. In-process, stopping the call waited for that write on the JVM's
     * one watchdog thread, so no call of any sandbox in the JVM was stopped by a limit again; with process
     * isolation the caller waited for the write for ever, and every later call of the engine with it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"context", "process"})
    void aWriterThatNeverReturnsHoldsNeitherTheCallNorAnyLimit(String isolation) throws Exception {
        PySandboxEngine engine = (PySandboxEngine) new ScriptEngineManager().getEngineByName("pysandbox");
        PySandboxEngine neighbour = (PySandboxEngine) new ScriptEngineManager().getEngineByName("pysandbox");
        StuckWriter stuck = new StuckWriter();
        try {
            Reader none = Reader.nullReader();
            assertThat(engine.eval("6 * 7", context(isolation, none, new StringWriter(), "60s"))).isEqualTo(42);
            CompletableFuture<Throwable> call = CompletableFuture.supplyAsync(() -> catchThrowable(() -> engine.eval(
                    "print('x' * 100000)\nwhile True: pass", context(isolation, none, stuck, "2s"))));
            assertThat(stuck.entered.await(30, TimeUnit.SECONDS)).as("the write began").isTrue();
            assertThat(call.get(20, TimeUnit.SECONDS)).as("the call ended by its timeout")
                    .isInstanceOf(ScriptTimeoutException.class);
            CompletableFuture<Throwable> loop = CompletableFuture.supplyAsync(() -> catchThrowable(() -> neighbour.eval(
                    "while True: pass", context("context", none, new StringWriter(), "1s"))));
            assertThat(loop.get(20, TimeUnit.SECONDS)).as("another sandbox's timeout still stops it")
                    .isInstanceOf(ScriptTimeoutException.class);
            // review 50: each later call printing to the stuck writer blocked in it too, leaving a thread and an
            // interpreter behind per call, until a caller closing one of them waited for ever; now a print
            // waiting behind the stuck write is dropped at the stop and the call ends like any other
            int interpretersBefore = engine.interpreterCount();
            int calls = isolation.equals("process") ? 3 : 6;
            for (int i = 0; i < calls; i++) {
                CompletableFuture<Throwable> again = CompletableFuture.supplyAsync(() -> catchThrowable(() -> engine.eval(
                        "print('y' * 100)\nwhile True: pass", context(isolation, none, stuck, "1s"))));
                // a worker process starts again after each timeout: seconds, more on a busy machine
                assertThat(again.get(120, TimeUnit.SECONDS)).as("call " + i + " ended by its timeout")
                        .isInstanceOf(ScriptTimeoutException.class);
            }
            Thread.sleep(500);
            assertThat(threadsInsideAStuckWriter()).as("threads inside the stuck writer after " + calls + " more calls")
                    .isEqualTo(1);
            if (isolation.equals("context")) {
                // the first call's stop cost its interpreter (its guest is still in the writer): one replacement
                assertThat(engine.interpreterCount() - interpretersBefore).as("interpreters made for them")
                        .isLessThanOrEqualTo(1);
            }
            StringWriter out = new StringWriter();
            assertThat(engine.eval("print('next')\n7", context(isolation, none, out, "60s"))).isEqualTo(7);
            assertThat(out.toString()).isEqualTo("next\n");
        } finally {
            stuck.released.countDown();
            engine.close();
            neighbour.close();
        }
    }

    /**
     * Review 50: once a call is stopped, what its script printed stops reaching the host's writer, but for the
     * piece already inside it; and that piece never mingles with the next call's output to the same writer.
     */
    @ParameterizedTest
    @ValueSource(strings = {"context", "process"})
    void aStoppedCallsOutputEndsWithThePieceInsideTheWriter(String isolation) throws Exception {
        PySandboxEngine engine = (PySandboxEngine) new ScriptEngineManager().getEngineByName("pysandbox");
        try {
            Reader none = Reader.nullReader();
            assertThat(engine.eval("6 * 7", context(isolation, none, new StringWriter(), "60s"))).isEqualTo(42);
            SlowWriter slow = new SlowWriter(400);
            Throwable stopped = catchThrowable(() -> engine.eval("import sys\nsys.stdout.write('A' * 2000000)\n"
                    + "while True: pass", context(isolation, none, slow, "2s")));
            long answered = System.nanoTime();
            assertThat(stopped).isInstanceOf(ScriptTimeoutException.class);
            assertThat(engine.eval("print('next')\n7", context(isolation, none, slow, "60s"))).isEqualTo(7);
            Thread.sleep(1500);
            long late = slow.writes.stream().filter(w -> w[0] > answered + 100_000_000L && w[2] != "next\n".length())
                    .count();
            assertThat(late).as("writes of the stopped call begun after its caller had the timeout").isZero();
            assertThat(slow.mostInside).as("writes inside the writer at once").isEqualTo(1);
            assertThat(slow.text.toString()).matches("A*next\n");
        } finally {
            engine.close();
        }
    }
}
