package org.pysandbox.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * What the kernel timings count: wall-clock time (the default), or the calling thread's CPU time,
 * which leaves out the time the thread waited for a core. Only for raw GraalPy, CPython and Jython: since
 * pysandbox runs guest code on its own worker thread, the calling thread's CPU time does not see it, so
 * the pysandbox column is meaningful with the wall clock only.
 */
enum Clock {
    WALL, CPU;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    long nanos() {
        return this == WALL ? System.nanoTime() : THREADS.getCurrentThreadCpuTime();
    }

    /** The timer the CPython driver uses for the same clock. */
    String pythonTimer() {
        return this == WALL ? "perf_counter" : "thread_time";
    }

    String describe() {
        return this == WALL ? "wall-clock time" : "CPU time of the calling thread (JIT and GC threads not counted)";
    }
}
