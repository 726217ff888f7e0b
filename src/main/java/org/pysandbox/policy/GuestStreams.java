package org.pysandbox.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The standard streams of one sandbox context, re-pointed before every call at the writers and reader
 * of that call (a javax.script ScriptContext, or the Sandbox's own). A disabled stream refuses writes,
 * so output without the feature fails loudly instead of vanishing, and the output budget caps what one
 * call may write. Nothing one call wrote or read is given to another call's writers or script: a byte
 * sequence cut mid-character is dropped when the next call has another writer (with the same writer the
 * next call continues it), and input read ahead from one reader is never read from another (see
 * {@link #holdsInputOtherThan}).
 */
public final class GuestStreams {
    private final GuestOutput out;
    private final GuestOutput err;
    private final GuestInput in;
    /** Where emptied leftovers go: not charged to the call's output budget. */
    private static final Writer NOWHERE = Writer.nullWriter();
    /**
     * Counts the calls detached: a write or read of a host stream that waits (HostOutput, HostInput) or
     * returns after a detach wants nothing for the call it was made for.
     */
    private final AtomicLong detached = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private volatile long maxOutput;
    private volatile boolean outputLimitHit;

    GuestStreams(boolean stdout, boolean stderr, boolean stdin, long maxOutput) {
        this.out = new GuestOutput("standard output", "stdout", stdout);
        this.err = new GuestOutput("standard error", "stderr", stderr);
        this.in = new GuestInput(stdin);
        this.maxOutput = maxOutput;
    }

    OutputStream out() {
        return out;
    }

    OutputStream err() {
        return err;
    }

    InputStream in() {
        return in;
    }

    /**
     * Points the streams at the given writers and reader for the next call and resets the output budget.
     * The previous call's unfinished character (output cut by a limit or a timeout) is dropped, not put at
     * the start of another writer's output; input this side read ahead from another reader is dropped.
     */
    public void bind(Writer stdout, Writer stderr, Reader stdin, long outputLimit) {
        // unchanged streams (a rule host's one ScriptContext) cost no lock: this is every call's path
        if (out.target != stdout) {
            out.rebind(stdout);
        }
        if (err.target != stderr) {
            err.rebind(stderr);
        }
        if (in.source != stdin) {
            in.rebind(stdin);
        }
        written.set(0);
        maxOutput = outputLimit;
        outputLimitHit = false;
    }

    /**
     * Whether the interpreter's own stdin buffers may hold text read ahead from a reader other than
     * {@code next}: its TextIOWrapper reads a chunk for one {@code input()}, and the rest would be the next
     * call's input even when that call has another reader (another request's ScriptContext). The caller
     * then empties them (ConfinedInterpreter.discardLeftovers) with the streams bound to nothing.
     */
    public boolean holdsInputOtherThan(Reader next) {
        return in.readSinceDiscard && in.source != next;
    }

    /**
     * The call the streams were bound for was answered (stopped by a limit): the writers point nowhere,
     * uncharged, until the next bind; a write waiting for a host writer another write is inside is dropped
     * (HostOutput), and a read of the host's input still blocked in it keeps what it reads for the next call of
     * the same reader (HostInput). A write already inside the host's writer ends when the writer returns: at
     * most one piece of 8 KiB reaches it after the caller has its answer. Never waits: a host writer or reader
     * that does not return holds only the guest thread that called it, not the thread stopping the call (the
     * JVM's one watchdog).
     */
    public void detach() {
        out.target = NOWHERE;
        err.target = NOWHERE;
        detached.incrementAndGet();
    }

    /**
     * Waits up to {@code millis} until no read of the host's input is in progress; false if one still is.
     * The stop of a call waits for this before it interrupts the guest: Truffle's interrupt of a thread inside
     * a read of the context's input closes GraalPy's channel over it for good, which costs the interpreter.
     * A read returns soon after a detach when its reader does (the REPL's, once the prompt takes the terminal
     * back: Ctrl-C in input() cost the session every time); one that never returns is interrupted as before.
     */
    public boolean awaitInputIdle(long millis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (in.reading.get() > 0) {
            if (System.nanoTime() - until >= 0) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** The reader the streams are bound to (a check, which reads nothing, keeps it). */
    public Reader input() {
        return in.source;
    }

    /**
     * Runs {@code emptying} with the writers bound to nothing, uncharged, then binds the call's own again.
     * stdin is unbound only when its read-ahead is being dropped ({@code input}); otherwise it keeps its
     * reader and what this side encoded from it (review 28: emptying only the output after a stopped call
     * also dropped the same reader's text, the next call's input).
     */
    public void discarding(boolean input, Runnable emptying) {
        Writer stdout = out.target;
        Writer stderr = err.target;
        Reader stdin = in.source;
        out.rebind(NOWHERE);
        err.rebind(NOWHERE);
        if (input) {
            in.rebind(Reader.nullReader());
        }
        boolean emptied = false;
        try {
            emptying.run();
            emptied = true;
        } finally {
            out.rebind(stdout);
            err.rebind(stderr);
            if (input) {
                in.rebind(stdin);
                // only an emptying that ran to its end (review 29: a call stopped by its limit inside it
                // counted as emptied, and the next call with another reader read the earlier one's text)
                in.readSinceDiscard = !emptied;
            }
        }
    }

    /** Flushes what was decoded so far to the current writers. */
    public void flush() throws IOException {
        out.flush();
        err.flush();
    }

    public boolean outputLimitHit() {
        return outputLimitHit;
    }

    public long bytesWritten() {
        return written.get();
    }

    /** Whether the call bound now is still the one the streams serve (see {@link #detach}). */
    private BooleanSupplier stillWanted() {
        long call = detached.get();
        return () -> detached.get() == call;
    }

    private void charge(int bytes) throws IOException {
        long limit = maxOutput;
        long total = written.addAndGet(bytes);
        if (limit > 0 && total > limit) {
            outputLimitHit = true;
            throw new IOException("output limit of " + limit + " bytes exceeded; raise pysandbox.maxOutput "
                    + "(SandboxConfig.maxOutput) to allow more");
        }
    }

    private final class GuestOutput extends OutputStream {
        private final String what;
        private final String feature;
        private final boolean enabled;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        private final ByteBuffer pending = ByteBuffer.allocate(8192);
        private final CharBuffer chars = CharBuffer.allocate(8192);
        volatile Writer target;
        /** Whether the guest wrote since the last flush: the host's writer is not flushed for nothing. */
        private boolean wrote;
        /** The guard of the writer last written to (looked up once per writer, not per write). */
        private Writer guarded;
        private HostOutput guard;

        GuestOutput(String what, String feature, boolean enabled) {
            this.what = what;
            this.feature = feature;
            this.enabled = enabled;
        }

        synchronized void rebind(Writer next) {
            target = next;
            wrote = false;
            guarded = null; // not kept alive by an idle interpreter
            guard = null;
            if (pending.position() > 0) { // an unfinished character (chars is drained by every write)
                pending.clear();
                decoder.reset();
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (!enabled) {
                throw new IOException(what + " is blocked by the sandbox; enable the feature '" + feature + "'");
            }
            // wanted is taken before the writer: a detach between the two then drops the write, never the
            // reverse, which let a whole write reach a writer the host had taken back (review 51)
            BooleanSupplier wanted = stillWanted();
            Writer w = target;
            if (w != NOWHERE) {
                charge(len);
            }
            wrote = true;
            while (len > 0) {
                int n = Math.min(len, pending.remaining());
                pending.put(b, off, n);
                off += n;
                len -= n;
                pending.flip();
                decoder.decode(pending, chars, false);
                pending.compact();
                drain(w, wanted);
            }
        }

        /** What was decoded goes to the writer; dropped when the call was stopped while it waited for the writer. */
        private void drain(Writer w, BooleanSupplier wanted) throws IOException {
            chars.flip();
            if (w != null && w != NOWHERE && chars.hasRemaining()) {
                guardOf(w).write(w, chars.array(), chars.position(), chars.remaining(), wanted);
            }
            chars.clear();
        }

        private HostOutput guardOf(Writer w) {
            if (w != guarded) {
                guard = HostOutput.of(w);
                guarded = w;
            }
            return guard;
        }

        @Override
        public synchronized void flush() throws IOException {
            // wanted is taken before the writer: a detach between the two then drops the flush, never the reverse
            BooleanSupplier wanted = stillWanted();
            Writer w = target;
            if (w != null && w != NOWHERE && wrote) {
                wrote = false;
                guardOf(w).flush(w, wanted);
            }
        }
    }

    private final class GuestInput extends InputStream {
        private final boolean enabled;
        private final CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        /** Between fills, at most a high surrogate whose low half the next read of the reader brings. */
        private final CharBuffer chars = CharBuffer.allocate(4096);
        private final ByteBuffer bytes = ByteBuffer.allocate(16384);
        volatile Reader source;
        /** Whether the interpreter may have read ahead from the source since its buffers were last emptied. */
        volatile boolean readSinceDiscard;
        /** Reads of the host's input in progress (see {@link #awaitInputIdle}). */
        final AtomicInteger reading = new AtomicInteger();

        GuestInput(boolean enabled) {
            this.enabled = enabled;
            bytes.flip();
        }

        /** Another reader: what was encoded from the previous one is dropped (callers skip an unchanged reader). */
        synchronized void rebind(Reader next) {
            chars.clear();
            bytes.clear().flip();
            encoder.reset();
            source = next;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            if (!enabled) {
                throw new IOException("standard input is blocked by the sandbox; enable the feature 'stdin'");
            }
            if (len == 0) {
                return 0;
            }
            readSinceDiscard = true;
            if (!bytes.hasRemaining() && !fill()) {
                return -1;
            }
            int n = Math.min(len, bytes.remaining());
            bytes.get(b, off, n);
            return n;
        }

        /** Encodes the source's next chars; false at its end. A surrogate pair cut by a read is kept whole. */
        private boolean fill() throws IOException {
            Reader r = source;
            if (r == null) {
                return false;
            }
            bytes.clear();
            boolean end = false;
            BooleanSupplier wanted = stillWanted();
            while (bytes.position() == 0 && !end) {
                int n;
                reading.incrementAndGet();
                try {
                    n = HostInput.read(r, chars.array(), chars.position(), chars.remaining(), wanted);
                } finally {
                    reading.decrementAndGet();
                }
                end = n <= 0;
                if (n > 0) {
                    chars.position(chars.position() + n);
                }
                chars.flip();
                encoder.encode(chars, bytes, end);
                if (end) {
                    encoder.flush(bytes);
                    encoder.reset();
                }
                chars.compact();
            }
            bytes.flip();
            return bytes.hasRemaining();
        }

        @Override
        public int available() {
            return bytes.remaining();
        }
    }
}
