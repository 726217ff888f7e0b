package org.pysandbox.limits;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the threads guest code runs on. Guest code runs on the caller's thread only when the checker
 * found it bounded (see {@link InProcessExecutor#run}): a caller must be
 * able to give up on a call that does not stop (a long builtin cannot be interrupted), and the guest
 * needs a large, known stack so that deep parser or generator nesting ends as a RecursionError or a
 * StackOverflowError on this thread instead of overflowing whatever small stack the caller had.
 */
public final class GuestThreads {
    /** System property: stack size of guest threads, such as {@code 16m} (default). */
    public static final String STACK_SIZE_PROPERTY = "pysandbox.guestStackSize";
    private static final long STACK_SIZE = Sizes.parseBytes(System.getProperty(STACK_SIZE_PROPERTY, "16m"),
            STACK_SIZE_PROPERTY);
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final ThreadGroup GROUP = new ThreadGroup("pysandbox-guest");

    private GuestThreads() {
    }

    public static long stackSize() {
        return STACK_SIZE;
    }

    /** Daemon threads with the guest stack size, so a stuck guest never keeps the JVM alive. */
    public static ThreadFactory factory(String purpose) {
        return r -> {
            Thread t = new Thread(GROUP, r, "pysandbox-" + purpose + "-" + COUNTER.incrementAndGet(), STACK_SIZE);
            t.setDaemon(true);
            return t;
        };
    }

    /** Daemon threads with the default stack, for the library's own housekeeping. */
    public static ThreadFactory housekeeping(String name) {
        return r -> {
            Thread t = new Thread(r, "pysandbox-" + name + "-" + COUNTER.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
