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
    private static final long STACK_SIZE = LimitProperties.bytes(STACK_SIZE_PROPERTY, "16m");
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final ThreadGroup GROUP = new ThreadGroup("pysandbox-guest");
    private static final ClassLoader LIBRARY_LOADER = GuestThreads.class.getClassLoader();

    private GuestThreads() {
    }

    public static long stackSize() {
        return STACK_SIZE;
    }

    /**
     * Daemon threads with the guest stack size, so a stuck guest never keeps the JVM alive. A guest thread is
     * made ahead, with its interpreter in the pool, by whichever thread fills the pool: it takes over nothing
     * of that thread (no inheritable thread-locals, the library's class loader), since host code it runs for a
     * tenant later (the host's writers and readers) must not see another tenant's request state, and an idle
     * pooled thread must not keep a host's class loader alive. During a call it has the caller's context
     * class loader ({@link #withCallersLoader}).
     */
    public static ThreadFactory factory(String purpose) {
        return r -> newThread(GROUP, r, "pysandbox-" + purpose + "-" + COUNTER.incrementAndGet(), STACK_SIZE);
    }

    /** Daemon threads with the default stack, for the library's own housekeeping; they inherit nothing either. */
    public static ThreadFactory housekeeping(String name) {
        return r -> newThread(null, r, "pysandbox-" + name + "-" + COUNTER.incrementAndGet(), 0);
    }

    private static Thread newThread(ThreadGroup group, Runnable r, String name, long stackSize) {
        Thread t = new Thread(group, r, name, stackSize, false);
        t.setDaemon(true);
        t.setContextClassLoader(LIBRARY_LOADER);
        return t;
    }

    /**
     * The task, run with the context class loader of the thread that calls this (the caller of a guest call):
     * host code the guest thread runs for that call (writers, readers) sees the loader it would see on the
     * caller's own thread.
     */
    static Runnable withCallersLoader(Runnable task) {
        ClassLoader callers = Thread.currentThread().getContextClassLoader();
        return () -> {
            Thread self = Thread.currentThread();
            self.setContextClassLoader(callers);
            try {
                task.run();
            } finally {
                self.setContextClassLoader(LIBRARY_LOADER);
            }
        };
    }
}
