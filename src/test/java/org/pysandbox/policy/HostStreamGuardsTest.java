package org.pysandbox.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.pysandbox.Sandbox;
import org.pysandbox.config.Feature;
import org.pysandbox.config.SandboxConfig;

/**
 * Review 51 of HostOutput and HostInput, which keep something per host stream: a guard whose value referred
 * to its writer was never forgotten (every writer a host ever passed stayed, ~2 MB a call), and streams were
 * matched by equals, so that two writers equal by value shared one guard, which wrote one tenant's output
 * into the other's writer.
 */
class HostStreamGuardsTest {
    /** A writer equal to every other of its tag, as a data class or a writer named after its channel is. */
    static final class TaggedWriter extends StringWriter {
        final String tag;

        TaggedWriter(String tag) {
            this.tag = tag;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TaggedWriter t && t.tag.equals(tag);
        }

        @Override
        public int hashCode() {
            return tag.hashCode();
        }
    }

    /** A reader equal to every other of its tag, which blocks until released, then gives its text. */
    static final class TaggedReader extends Reader {
        final String tag;
        final String text;
        final CountDownLatch release = new CountDownLatch(1);
        private final StringReader source;

        TaggedReader(String tag, String text) {
            this.tag = tag;
            this.text = text;
            this.source = new StringReader(text);
        }

        @Override
        public int read(char[] buf, int off, int len) throws java.io.IOException {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
            return source.read(buf, off, len);
        }

        @Override
        public void close() {
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TaggedReader t && t.tag.equals(tag);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tag);
        }
    }

    @Test
    void guardsAreForgottenWithTheirWriters() throws Exception {
        int before = HostOutput.guarded();
        for (int i = 0; i < 200; i++) {
            Writer w = new StringWriter();
            char[] text = "x".repeat(10_000).toCharArray();
            assertThat(HostOutput.of(w).write(w, text, 0, text.length, () -> true)).isTrue();
        }
        assertThat(HostOutput.guarded()).isGreaterThanOrEqualTo(before + 200);
        long until = System.currentTimeMillis() + 20_000;
        while (HostOutput.guarded() > before + 10 && System.currentTimeMillis() < until) {
            System.gc();
            Thread.sleep(50);
        }
        assertThat(HostOutput.guarded()).as("guards left of 200 dropped writers").isLessThanOrEqualTo(before + 10);
    }

    @Test
    void writersEqualByValueHaveAGuardEach() {
        TaggedWriter a = new TaggedWriter("stdout");
        TaggedWriter b = new TaggedWriter("stdout");
        assertThat(a).isEqualTo(b);
        assertThat(HostOutput.of(a)).isNotSameAs(HostOutput.of(b)).isSameAs(HostOutput.of(a));
    }

    /** What a stopped read of one reader got is never handed to a read of a reader merely equal to it. */
    @Test
    void readersEqualByValueKeepTheirOwnText() throws Exception {
        TaggedReader a = new TaggedReader("stdin", "tenant A's secret\n");
        TaggedReader b = new TaggedReader("stdin", "tenant B's line\n");
        b.release.countDown();
        AtomicBoolean aWanted = new AtomicBoolean(true);
        char[] buf = new char[100];
        CompletableFuture<Integer> stopped = CompletableFuture.supplyAsync(() -> {
            try {
                return HostInput.read(a, new char[100], 0, 100, aWanted::get);
            } catch (java.io.IOException e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(200);
        aWanted.set(false); // A's call ended while its read was blocked in A's reader
        a.release.countDown();
        assertThat(stopped.get(10, TimeUnit.SECONDS)).isEqualTo(-1);
        int n = HostInput.read(b, buf, 0, buf.length, () -> true);
        assertThat(new String(buf, 0, n)).isEqualTo("tenant B's line\n");
        n = HostInput.read(a, buf, 0, buf.length, () -> true);
        assertThat(new String(buf, 0, n)).as("A's next read gets what its stopped read kept").isEqualTo("tenant A's secret\n");
    }

    /**
     * takeKept (the terminal REPL's prompt takes a stopped input()'s line through it) hands out only the text
     * kept for that very reader, once, and waits for a read still in a reader for a bounded time only: a host
     * reader that never returns cannot hold whoever takes.
     */
    @Test
    void takeKeptTakesOnlyItsOwnReadersTextOnceAndNeverWaitsLong() throws Exception {
        TaggedReader a = new TaggedReader("stdin", "tenant A's secret\n");
        TaggedReader b = new TaggedReader("stdin", "tenant B's line\n");
        AtomicBoolean aWanted = new AtomicBoolean(true);
        CompletableFuture<Integer> stopped = readOnItsOwnThread(a, aWanted);
        Thread.sleep(200);
        aWanted.set(false);
        a.release.countDown();
        assertThat(stopped.get(10, TimeUnit.SECONDS)).isEqualTo(-1);
        assertThat(HostInput.takeKept(b)).as("a reader equal by value").isEmpty();
        assertThat(HostInput.takeKept(a)).isEqualTo("tenant A's secret\n");
        assertThat(HostInput.takeKept(a)).as("taken once").isEmpty();

        TaggedReader stuck = new TaggedReader("stdin", "never\n"); // its read never returns until released
        AtomicBoolean stuckWanted = new AtomicBoolean(true);
        CompletableFuture<Integer> inStuck = readOnItsOwnThread(stuck, stuckWanted);
        Thread.sleep(200);
        stuckWanted.set(false);
        long start = System.nanoTime();
        assertThat(HostInput.takeKept(stuck)).isEmpty();
        long waited = (System.nanoTime() - start) / 1_000_000;
        assertThat(waited).as("waited for the read in the reader, boundedly").isBetween(900L, 3000L);
        stuck.release.countDown();
        assertThat(inStuck.get(10, TimeUnit.SECONDS)).isEqualTo(-1);
    }

    /** A read of reader on a daemon thread of its own (the common pool may have one thread on two cores). */
    private static CompletableFuture<Integer> readOnItsOwnThread(Reader reader, AtomicBoolean wanted) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(HostInput.read(reader, new char[100], 0, 100, wanted::get));
            } catch (java.io.IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return result;
    }

    /** The reviewer's scenario end to end: two tenants whose host writers are equal by value. */
    @Test
    void twoSandboxesWithWritersEqualByValueEachWriteToTheirOwn() throws Exception {
        SandboxConfig config = SandboxConfig.builder().enable(Feature.STDOUT).timeout(Duration.ofSeconds(60)).build();
        try (Sandbox a = new Sandbox(config); Sandbox b = new Sandbox(config)) {
            TaggedWriter outA = new TaggedWriter("stdout");
            TaggedWriter outB = new TaggedWriter("stdout");
            a.setOut(outA).execute("print('A: tenant A secret')");
            b.setOut(outB).execute("print('B: tenant B output')");
            assertThat(outA.toString()).isEqualTo("A: tenant A secret\n");
            assertThat(outB.toString()).isEqualTo("B: tenant B output\n");
        }
    }
}
