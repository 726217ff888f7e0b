package org.pysandbox.limits;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.Map;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * What the JVM tells about memory, for the limits: bytes a thread allocated (the per-call budget, which
 * counts garbage too: it is an allocation budget, not a measure of what the call keeps), and the heap
 * in use after each garbage collection (learnt from GC notifications, for the host's heap guard).
 */
final class MemoryMeter {
    private static final com.sun.management.ThreadMXBean THREADS = threads();
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static volatile long maxHeap = MEMORY.getHeapMemoryUsage().getMax();

    static {
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((n, h) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                        onGc(GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()));
                    }
                }, null, null);
            }
        }
    }

    private MemoryMeter() {
    }

    private static com.sun.management.ThreadMXBean threads() {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (bean instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported()) {
            if (!sun.isThreadAllocatedMemoryEnabled()) {
                sun.setThreadAllocatedMemoryEnabled(true);
            }
            return sun;
        }
        return null;
    }

    private static void onGc(GarbageCollectionNotificationInfo info) {
        long used = 0;
        for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (isHeapPool(e.getKey())) {
                used += e.getValue().getUsed();
            }
        }
        CallMonitor.afterGc(used, maxHeap());
    }

    private static boolean isHeapPool(String name) {
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().equals(name)) {
                return pool.getType() == MemoryType.HEAP;
            }
        }
        return false;
    }

    /** Bytes the thread allocated so far, or -1 when the JVM cannot tell. */
    static long allocated(Thread thread) {
        return THREADS == null ? -1 : THREADS.getThreadAllocatedBytes(thread.threadId());
    }

    static long maxHeap() {
        long max = maxHeap;
        return max > 0 ? max : Runtime.getRuntime().maxMemory();
    }

    static boolean heapStillFull(double fraction) {
        return MEMORY.getHeapMemoryUsage().getUsed() > fraction * maxHeap();
    }
}
