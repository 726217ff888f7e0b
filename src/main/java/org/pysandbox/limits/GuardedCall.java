package org.pysandbox.limits;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import javax.script.ScriptException;

import org.pysandbox.bridge.CallerThread;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.error.MemoryLimitException;
import org.pysandbox.error.OutputLimitException;
import org.pysandbox.error.ScriptInterruptedException;
import org.pysandbox.error.ScriptTimeoutException;

/**
 * One guest call under its limits. The guest runs on a worker thread and completes {@link #result};
 * the {@link CallMonitor} completes it first when a limit trips, so the caller is answered at once and
 * the stopping of the guest (interrupt, then cancel) happens behind its back.
 */
final class GuardedCall implements CallerThread.Mailbox {
    /** Why a call was stopped. */
    enum Limit { TIMEOUT, MEMORY, HEAP, OUTPUT, CALLER_INTERRUPTED }

    private final CompletableFuture<Object> result = new CompletableFuture<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final SandboxConfig config;
    private final String fileName;
    private final long deadline;
    private final BooleanSupplier outputLimitHit;
    private final Consumer<Limit> stopper;
    private volatile Thread thread;
    private volatile long allocatedAtStart;
    private volatile Limit tripped;
    /** The thread that made the call: host code runs there (see {@link #call(Callable)}). */
    private final Thread caller = Thread.currentThread();
    /**
     * Host work posted by the guest thread, and a wake-up when the outcome is known. None for a call its
     * caller performs itself (bounded code): there host code runs directly, and the outcome is known when
     * the caller gets to {@link #await}.
     */
    private final LinkedBlockingQueue<Runnable> mailbox;
    private static final Runnable WAKE = () -> { };
    private boolean mailboxClosed;

    GuardedCall(SandboxConfig config, String fileName, boolean onCaller, BooleanSupplier outputLimitHit,
            Consumer<Limit> stopper) {
        this.config = config;
        this.fileName = fileName;
        long timeout = config.timeout().toNanos();
        this.deadline = timeout == 0 ? 0 : System.nanoTime() + timeout;
        this.outputLimitHit = outputLimitHit;
        this.stopper = stopper;
        if (onCaller) {
            mailbox = null;
        } else {
            mailbox = new LinkedBlockingQueue<>();
            result.whenComplete((value, failure) -> mailbox.add(WAKE));
        }
    }

    /**
     * Runs host code for the guest on the caller's thread: posts it to the caller, which is waiting in
     * {@link #await}, and waits for it. On the caller's own thread (bounded code runs there) it runs directly.
     * Once the call is over (a limit stopped it) host work is refused, so a stopped guest cannot keep the
     * host busy.
     */
    @Override
    public <T> T call(Callable<T> work) throws Exception {
        if (Thread.currentThread() == caller) {
            return work.call();
        }
        FutureTask<T> task = new FutureTask<>(work);
        synchronized (this) {
            if (mailbox == null || mailboxClosed || result.isDone()) {
                throw new CancellationException("the sandbox call is over; host code is not run any more");
            }
            mailbox.add(task);
        }
        try {
            return task.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        } catch (InterruptedException e) {
            task.cancel(false);
            Thread.currentThread().interrupt();
            throw new CancellationException("the sandbox call was interrupted while host code ran for it");
        }
    }

    /** Ends host work for this call: nothing posted later runs, and what is still queued is cancelled. */
    private void closeMailbox() {
        synchronized (this) {
            mailboxClosed = true;
        }
        for (Runnable r; mailbox != null && (r = mailbox.poll()) != null;) {
            if (r instanceof FutureTask<?> task) {
                task.cancel(false);
            }
        }
    }

    /** Called on the worker thread before the guest runs. */
    void started() {
        allocatedAtStart = MemoryMeter.allocated(Thread.currentThread());
        thread = Thread.currentThread();
    }

    /** Called on the worker thread when the guest work is over, whatever happened. */
    void finished() {
        finished.countDown();
    }

    boolean awaitFinished(long millis) throws InterruptedException {
        return finished.await(millis, TimeUnit.MILLISECONDS);
    }

    boolean isFinished() {
        return finished.getCount() == 0;
    }

    void complete(Object value) {
        result.complete(value);
    }

    void fail(ScriptException e) {
        result.completeExceptionally(e);
    }

    Limit tripped() {
        return tripped;
    }

    /** Stops the call for the limit, once; true if this call did it. */
    boolean trip(Limit limit) {
        synchronized (this) {
            if (tripped != null || result.isDone()) {
                return false;
            }
            tripped = limit;
        }
        // the stopper first: it marks the tenant as settling before the caller can make its next call
        stopper.accept(limit);
        result.completeExceptionally(limitException(limit));
        return true;
    }

    /** The limit this call passed now, if any (polled by the monitor). */
    Limit check(long now) {
        if (deadline != 0 && now - deadline >= 0) {
            return Limit.TIMEOUT;
        }
        if (outputLimitHit.getAsBoolean()) {
            return Limit.OUTPUT;
        }
        // the budget counts what the call's thread allocated, garbage included (see docs/operations.md)
        long max = config.maxMemory();
        if (max > 0 && allocatedSinceStart() > max) {
            return Limit.MEMORY;
        }
        return null;
    }

    /** Bytes the guest thread allocated during this call (0 before it started). */
    long allocatedSinceStart() {
        Thread t = thread;
        if (t == null || allocatedAtStart < 0) {
            return 0;
        }
        return Math.max(0, MemoryMeter.allocated(t) - allocatedAtStart);
    }

    boolean isDone() {
        return result.isDone();
    }

    /** Waits for the outcome: the guest's value, its failure, or the limit that stopped it. */
    Object await() throws ScriptException {
        try {
            // serve the guest's host calls until the outcome is known (completing the result posts WAKE)
            for (Runnable r; mailbox != null && (r = mailbox.take()) != WAKE;) {
                r.run();
            }
            closeMailbox();
            return result.get();
        } catch (InterruptedException e) {
            closeMailbox();
            trip(Limit.CALLER_INTERRUPTED);
            Thread.currentThread().interrupt();
            throw limitException(Limit.CALLER_INTERRUPTED);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ScriptException se) {
                throw se;
            }
            ScriptException se = new ScriptException("sandbox call failed: " + e.getCause());
            se.initCause(e.getCause());
            throw se;
        }
    }

    ScriptException limitException(Limit limit) {
        return switch (limit) {
            case TIMEOUT -> new ScriptTimeoutException("script stopped: it ran longer than " + describe(config),
                    fileName, -1);
            case MEMORY -> new MemoryLimitException("script stopped: it allocated more than "
                    + bytes(config.maxMemory()) + " of memory", fileName, -1);
            case HEAP -> new MemoryLimitException("script stopped: the host's heap was nearly exhausted and this "
                    + "call had allocated the most (" + bytes(allocatedSinceStart()) + ")", fileName, -1);
            case OUTPUT -> new OutputLimitException("script stopped: it wrote more than " + config.maxOutput()
                    + " bytes of output", fileName, -1);
            case CALLER_INTERRUPTED -> new ScriptInterruptedException("script stopped: the calling thread was interrupted",
                    fileName);
        };
    }

    static String describe(SandboxConfig c) {
        long ms = c.timeout().toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s (pysandbox.timeout)" : ms + " ms (pysandbox.timeout)";
    }

    static String bytes(long n) {
        if (n >= (1L << 20) && n % (1L << 20) == 0) {
            return (n >> 20) + " MiB";
        }
        return n + " bytes";
    }
}
