package org.pysandbox.limits;

import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that runs an interpreter's guest code, with the guest stack ({@link GuestThreads}). It
 * belongs to its interpreter from the start: the pool runs the warm-up on it, so that a thread's first
 * entry into the context (0.3-0.5 ms interpreter-only, measured) is not on a new sandbox's first call.
 * While pooled it stays alive when idle; once a tenant has it, it ends after a minute without calls (the
 * next call starts a new one).
 */
final class GuestWorker {
    private final ThreadPoolExecutor thread = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), GuestThreads.factory("guest"));

    /** Runs a task on the thread; {@link java.util.concurrent.RejectedExecutionException} once shut down. */
    void execute(Runnable task) {
        thread.execute(task);
    }

    Future<?> submit(Runnable task) {
        return thread.submit(task);
    }

    /** Tasks this thread finished: the pool's warm-up is the first. */
    long tasksRun() {
        return thread.getCompletedTaskCount();
    }

    /** The interpreter now has a tenant: an idle thread need not be kept for a first call any longer. */
    void taken() {
        thread.allowCoreThreadTimeOut(true);
    }

    /** No further tasks; a running one finishes (or is abandoned by its caller) and the thread ends. */
    void shutdown() {
        thread.shutdown();
    }
}
