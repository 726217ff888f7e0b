package org.pysandbox.isolation;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Worker processes started ahead of time, per heap size, so that a new process-isolated sandbox does not
 * wait for a JVM and GraalPy to start (seconds). Like interpreters, a worker serves one tenant and is
 * never handed to another. Size per heap size: system property {@value #SIZE_PROPERTY} (default 1).
 */
final class WorkerPool {
    static final String SIZE_PROPERTY = "pysandbox.process.pool.size";
    private static final int SIZE = Integer.getInteger(SIZE_PROPERTY, 1);
    private static final Map<String, Deque<WorkerProcess>> READY = new HashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (READY) {
                READY.values().forEach(q -> q.forEach(WorkerProcess::kill));
            }
        }, "pysandbox-worker-pool-shutdown"));
    }

    private WorkerPool() {
    }

    /** A fresh worker with the heap size: a pooled one if ready or starting, else a new one. */
    static WorkerProcess take(String heap) throws IOException {
        WorkerProcess worker;
        synchronized (READY) {
            Deque<WorkerProcess> queue = READY.computeIfAbsent(heap, h -> new ArrayDeque<>());
            worker = queue.poll();
            while (worker != null && !worker.isAlive()) {
                worker = queue.poll();
            }
        }
        refill(heap);
        return worker != null ? worker : new WorkerProcess(heap);
    }

    static void prewarm(String heap) {
        synchronized (READY) {
            READY.computeIfAbsent(heap, h -> new ArrayDeque<>());
        }
        refill(heap);
    }

    /** Starts workers up to the pool size; starting is a fork, warming happens in the child. */
    private static void refill(String heap) {
        synchronized (READY) {
            Deque<WorkerProcess> queue = READY.get(heap);
            while (queue.size() < SIZE) {
                try {
                    queue.add(new WorkerProcess(heap));
                } catch (IOException e) {
                    return; // the caller's own start reports the problem
                }
            }
        }
    }
}
