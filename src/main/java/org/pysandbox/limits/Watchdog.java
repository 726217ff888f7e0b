package org.pysandbox.limits;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.graalvm.polyglot.Context;

/**
 * Stops calls that run past their wall-clock limit. At the deadline it interrupts the context, which
 * keeps the context usable; if the guest is inside something that does not yield to interrupts, it
 * cancels the context for good after a short grace period.
 */
public final class Watchdog {
    private static final ScheduledExecutorService TIMER = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "pysandbox-watchdog");
        t.setDaemon(true);
        return t;
    });
    private static final Duration INTERRUPT_GRACE = Duration.ofMillis(200);

    private Watchdog() {
    }

    /** Why a watched call was stopped, if it was. */
    public enum Stop { NONE, TIMEOUT, CANCELLED }

    /** Watches one call; close it when the call returns. */
    public static final class Watch implements AutoCloseable {
        private final AtomicReference<Stop> stop = new AtomicReference<>(Stop.NONE);
        private final ScheduledFuture<?> task;
        private volatile boolean done;

        private Watch(Context context, Duration limit) {
            this.task = limit.isZero() ? null : TIMER.schedule(() -> fire(context), limit.toNanos(), TimeUnit.NANOSECONDS);
        }

        private void fire(Context context) {
            if (done) {
                return;
            }
            stop.set(Stop.TIMEOUT);
            Thread.ofVirtual().start(() -> {
                try {
                    context.interrupt(INTERRUPT_GRACE);
                } catch (java.util.concurrent.TimeoutException e) {
                    if (!done) {
                        stop.set(Stop.CANCELLED);
                        try {
                            context.close(true);
                        } catch (RuntimeException ignored) {
                            // already closing
                        }
                    }
                } catch (RuntimeException ignored) {
                    // the context finished or closed meanwhile
                }
            });
        }

        public boolean timedOut() {
            return stop.get() != Stop.NONE;
        }

        /** True when the context had to be cancelled and can no longer be used. */
        public boolean contextLost() {
            return stop.get() == Stop.CANCELLED;
        }

        @Override
        public void close() {
            done = true;
            if (task != null) {
                task.cancel(false);
            }
        }
    }

    public static Watch watch(Context context, Duration limit) {
        return new Watch(context, limit);
    }
}
