package org.pysandbox.policy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.Reader;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Every read of a host's input {@link Reader} for a script's {@code input()} or {@code sys.stdin}, in either
 * isolation. A call can end (a timeout, a close) while its read is blocked in the host's reader, and nothing
 * unblocks a read of {@code System.in} or of a terminal: when the reader later returns, what it read belongs
 * to the next call that reads the same reader, not to the call that ended. So what a read returns after its
 * call has ended is kept here, per reader, and handed to the next read; and a second read of a reader never
 * starts while another is still blocked in it (it would race the first for the next line): it waits for that
 * one's text instead. Nothing another reader holds is ever handed out, so a call never sees input that was
 * meant for another {@code ScriptContext}'s reader.
 */
public final class HostInput {
    /** A read that ended its call checks again this often whether its call still wants the text. */
    private static final long RECHECK_MILLIS = 50;

    /** What is kept of one reader: text its last read got after its call ended, and whether a read is in it. */
    private static final class Kept {
        final StringBuilder text = new StringBuilder();
        /** The end of the reader, met by a read whose call had ended. */
        boolean end;
        /** Whether a read is blocked in the reader now. Guarded by this, which is notified when it returns. */
        boolean reading;
    }

    /** By the reader's identity, and forgotten with it. */
    private static final HostStreamRegistry<Kept> KEPT = new HostStreamRegistry<>();

    private HostInput() {
    }

    /**
     * Takes what reads of {@code reader} got after their call had ended, for a reader of the same input that
     * does not read through here (the terminal REPL's line editor); "" when nothing is kept. An end of input
     * met by such a read is dropped too: it was meant for the call that ended. Waits up to a second for a read
     * that is in the reader to return.
     */
    public static String takeKept(Reader reader) {
        Kept kept = KEPT.of(reader, Kept::new);
        synchronized (kept) {
            // a read in the reader now keeps what it gets when it returns: wait for that (review 53 found the
            // line kept just after this took nothing, and then handed to the next input()). Bounded: the REPL
            // makes its reads return within 50 ms, and a prompt must not wait for ever on another reader.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            for (long left; kept.reading && (left = until - System.nanoTime()) > 0;) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(kept, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            String text = kept.text.toString();
            kept.text.setLength(0);
            kept.end = false;
            return text;
        }
    }

    /**
     * Reads up to {@code len} chars of {@code reader}, as {@link Reader#read(char[], int, int)}, for a call that
     * still wants them while {@code wanted} says so. A read whose call has ended returns -1 at once (or when
     * the host's reader returns, if it was the one reading it), and what it read is kept for the next read.
     */
    public static int read(Reader reader, char[] buf, int off, int len, BooleanSupplier wanted) throws IOException {
        if (len == 0) {
            return 0;
        }
        Kept kept = KEPT.of(reader, Kept::new);
        synchronized (kept) {
            while (true) {
                if (!wanted.getAsBoolean()) {
                    return -1;
                }
                if (kept.text.length() > 0) {
                    int n = Math.min(len, kept.text.length());
                    kept.text.getChars(0, n, buf, off);
                    kept.text.delete(0, n);
                    return n;
                }
                if (kept.end) {
                    kept.end = false;
                    return -1;
                }
                if (!kept.reading) {
                    kept.reading = true;
                    break;
                }
                try {
                    kept.wait(RECHECK_MILLIS); // another read is in the reader: its text, or a recheck of wanted
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while another read of the host's input was in progress");
                }
            }
        }
        char[] got = new char[len];
        int n = -1;
        boolean returned = false;
        try {
            n = reader.read(got, 0, len);
            returned = true;
        } finally {
            synchronized (kept) {
                kept.reading = false;
                kept.notifyAll();
                if (returned && !wanted.getAsBoolean()) { // the call ended while this read was in the reader
                    if (n > 0) {
                        kept.text.append(got, 0, n);
                    } else if (n < 0) {
                        kept.end = true;
                    }
                    n = -1;
                }
            }
        }
        if (n > 0) {
            System.arraycopy(got, 0, buf, off, n);
        }
        return n;
    }
}
