package org.pysandbox.policy;

import java.io.IOException;
import java.io.Writer;
import java.util.function.BooleanSupplier;

/**
 * Every write of a script's output into one host {@link Writer}, in either isolation. A host writer can block
 * for ever (a pipe or socket nobody drains, which a script that prints enough fills), and nothing unblocks
 * it. The call is still stopped by its timeout, but the thread inside the writer stays there; without this
 * guard the next call's print blocked in the same writer, so that every call left another stuck thread and
 * interpreter behind until the JVM ran out of them (review 50). Here at most one write is inside a writer at
 * a time: a later write waits for it, checking every 50 ms whether its call still wants the output, and is
 * dropped when the call has been stopped, so that the call yields to its stop like any other. The wait also
 * keeps a stopped call's last write from mingling with the next call's output in that writer.
 */
public final class HostOutput {
    /** A waiting write checks this often whether its call was stopped. */
    private static final long RECHECK_MILLIS = 50;

    /** By the writer's identity, and forgotten with it (a guard does not refer to its writer). */
    private static final HostStreamRegistry<HostOutput> GUARDS = new HostStreamRegistry<>();

    /** Whether a write or flush is inside the writer. Guarded by this. */
    private boolean busy;

    private HostOutput() {
    }

    /** The guard of a writer: one per writer (this very object), whoever writes to it. */
    public static HostOutput of(Writer writer) {
        return GUARDS.of(writer, HostOutput::new);
    }

    /** Writers with a guard now (for tests). */
    static int guarded() {
        return GUARDS.size();
    }

    /**
     * Writes the chars to the guard's writer unless the call stops wanting them while another write is inside
     * it; false if dropped.
     */
    public boolean write(Writer writer, char[] buf, int off, int len, BooleanSupplier wanted) throws IOException {
        if (!enter(wanted)) {
            return false;
        }
        try {
            writer.write(buf, off, len);
        } finally {
            leave();
        }
        return true;
    }

    /** As {@link #write}, for a flush. */
    public boolean flush(Writer writer, BooleanSupplier wanted) throws IOException {
        if (!enter(wanted)) {
            return false;
        }
        try {
            writer.flush();
        } finally {
            leave();
        }
        return true;
    }

    private synchronized boolean enter(BooleanSupplier wanted) {
        while (busy) {
            if (!wanted.getAsBoolean()) {
                return false;
            }
            try {
                wait(RECHECK_MILLIS);
            } catch (InterruptedException e) {
                // the thread's stop: the output is dropped as a stopped call's is, and the status kept for it
                Thread.currentThread().interrupt();
                return false;
            }
        }
        if (!wanted.getAsBoolean()) {
            return false;
        }
        busy = true;
        return true;
    }

    private synchronized void leave() {
        busy = false;
        notifyAll();
    }
}
