package org.pysandbox.limits;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import javax.script.ScriptException;

import org.pysandbox.config.SandboxConfig;
import org.pysandbox.error.MemoryLimitException;
import org.pysandbox.error.OutputLimitException;
import org.pysandbox.error.ScriptTimeoutException;

/**
 * One guest call under its limits. The guest runs on a worker thread and completes {@link #result};
 * the {@link CallMonitor} completes it first when a limit trips, so the caller is answered at once and
 * the stopping of the guest (interrupt, then cancel) happens behind its back.
 */
final class GuardedCall {
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

    GuardedCall(SandboxConfig config, String fileName, BooleanSupplier outputLimitHit, Consumer<Limit> stopper) {
        this.config = config;
        this.fileName = fileName;
        long timeout = config.timeout().toNanos();
        this.deadline = timeout == 0 ? 0 : System.nanoTime() + timeout;
        this.outputLimitHit = outputLimitHit;
        this.stopper = stopper;
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
            return result.get();
        } catch (InterruptedException e) {
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
            case CALLER_INTERRUPTED -> new ScriptException("script stopped: the calling thread was interrupted",
                    fileName, -1);
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
