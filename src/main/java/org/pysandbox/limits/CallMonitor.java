package org.pysandbox.limits;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * The watchdog of every running guest call in this JVM: one daemon thread polls the calls every few
 * milliseconds for their deadline, output budget and memory budget, and trips the calls that passed
 * one. It also guards the host: when a garbage collection leaves the heap above
 * {@value #HEAP_GUARD_PROPERTY} (a fraction of the maximum heap, default 0.85), it stops the running
 * call that allocated the most, one per collection, until the heap recovers.
 */
final class CallMonitor {
    static final String HEAP_GUARD_PROPERTY = "pysandbox.heapGuard";
    private static final long POLL_NANOS = 10_000_000L;
    private static final long MIN_CULPRIT_BYTES = 16L << 20;
    private static final double HEAP_GUARD = heapGuard();
    private static final Set<GuardedCall> CALLS = ConcurrentHashMap.newKeySet();
    private static volatile long heapPressureGc;
    private static long handledPressureGc;
    private static long gcSeen;
    private static volatile Thread thread;

    private CallMonitor() {
    }

    private static double heapGuard() {
        String text = System.getProperty(HEAP_GUARD_PROPERTY, "0.85");
        try {
            double f = Double.parseDouble(text);
            if (f < 0 || f > 1) {
                throw new NumberFormatException();
            }
            return f;
        } catch (NumberFormatException e) {
            throw new org.pysandbox.config.SandboxConfigurationException(HEAP_GUARD_PROPERTY
                    + " must be a fraction between 0 (off) and 1, got '" + text + "'");
        }
    }

    static void watch(GuardedCall call) {
        CALLS.add(call);
        // not synchronized once the watchdog runs: every call of every thread passes here
        if (thread == null) {
            startWatchdog();
        }
    }

    /**
     * A call its caller has its answer for leaves the watched set at once: the watchdog then walks only
     * running calls instead of every call finished since its last poll (thousands per poll at rule rates,
     * on a core the callers need). A call not done yet (its caller gave up on it) stays until it ends.
     */
    static void forget(GuardedCall call) {
        if (call.isDone()) {
            CALLS.remove(call);
        }
    }

    private static synchronized void startWatchdog() {
        if (thread == null) {
            Thread watchdog = GuestThreads.housekeeping("watchdog").newThread(CallMonitor::loop);
            watchdog.start();
            MemoryMeter.maxHeap(); // loads the meter, which registers the GC listeners
            thread = watchdog;
        }
    }

    /** Running calls (for tests and diagnostics). */
    static int active() {
        return CALLS.size();
    }

    /** From the GC listener: remember when the heap stays too full after a collection. */
    static void afterGc(long usedAfterGc, long maxHeap) {
        synchronized (CallMonitor.class) {
            gcSeen++;
            if (HEAP_GUARD > 0 && maxHeap > 0 && usedAfterGc > HEAP_GUARD * maxHeap) {
                heapPressureGc = gcSeen;
            } else {
                heapPressureGc = 0;
            }
        }
    }

    private static void loop() {
        while (true) {
            LockSupport.parkNanos(POLL_NANOS);
            try {
                poll();
            } catch (RuntimeException e) {
                // a bean or a stopper failed; the next poll tries again
            }
        }
    }

    private static void poll() {
        long now = System.nanoTime();
        GuardedCall largest = null;
        long largestAllocated = -1;
        for (GuardedCall call : CALLS) {
            if (call.isDone()) {
                CALLS.remove(call);
                continue;
            }
            GuardedCall.Limit limit = call.check(now);
            if (limit != null) {
                call.trip(limit);
                CALLS.remove(call);
                continue;
            }
            long allocated = call.allocatedSinceStart();
            if (allocated > largestAllocated) {
                largest = call;
                largestAllocated = allocated;
            }
        }
        long pressure = heapPressureGc;
        if (pressure != 0 && pressure != handledPressureGc) {
            handledPressureGc = pressure;
            // only a call that allocated a real share can be the culprit; the heap must still be full now
            if (largest != null && largestAllocated >= MIN_CULPRIT_BYTES && MemoryMeter.heapStillFull(HEAP_GUARD)) {
                largest.trip(GuardedCall.Limit.HEAP);
                CALLS.remove(largest);
            }
        }
    }
}
