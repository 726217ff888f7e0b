package org.pysandbox.limits;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.pysandbox.config.Isolation;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.policy.ConfinedInterpreter;

/**
 * Never-used confined interpreters, made ahead of time by a background daemon thread so that a new
 * sandbox does not pay GraalPy's context start-up (100-300 ms, seconds for the first) on the caller's
 * thread. Interpreters are keyed by everything that shapes them (features, modules, paths, recursion
 * limit); a key is filled once it was asked for a second time, or named by {@link #prewarm}. A host that
 * keeps one sandbox or one tenant's engine (a rule engine) asks once, and its first seconds do not share
 * the cores with interpreters it will never use. An interpreter leaves the pool for one tenant and
 * never comes back: only interpreters no tenant has used are pooled. Each has run the library's own
 * warm-up script ({@link ConfinedInterpreter#warmUp}) once, in a namespace that is then dropped, on the
 * guest thread that comes with it ({@link GuestWorker}).
 *
 * <p>Size per key: system property {@value #SIZE_PROPERTY} (default 2; 0 turns pooling off). At most
 * {@value #MAX_KEYS} keys are kept; the least recently asked-for key is dropped (its interpreters closed).
 */
public final class InterpreterPool {
    public static final String SIZE_PROPERTY = "pysandbox.pool.size";
    static final int MAX_KEYS = 8;
    private static final int SIZE = LimitProperties.integer(SIZE_PROPERTY, 2, 0, 64);
    /** System property: {@code false} pools interpreters without the warm-up run (about 0.2 MB and 0.1 s less each, slower first script). */
    public static final String WARM_UP_PROPERTY = "pysandbox.pool.warmUp";
    private static final boolean WARM_UP = !"false".equalsIgnoreCase(System.getProperty(WARM_UP_PROPERTY, "true"));
    private static final Map<SandboxConfig, Deque<PooledInterpreter>> READY = new LinkedHashMap<>(16, 0.75f, true);
    /**
     * How long the pool waits after a take before it makes the next interpreter (0.2-0.6 s of work on a warm
     * JVM): on a small machine that work took a core from the first call of the sandbox that took one, and
     * doubled it (a fresh sandbox's {@code 1+1}: 29 ms with an immediate refill, 16 ms with this wait, p50,
     * 2 cores, interpreter-only).
     */
    static final long REFILL_DELAY_MILLIS = 300;
    private static final ScheduledThreadPoolExecutor FILLER = filler();

    private InterpreterPool() {
    }

    private static ScheduledThreadPoolExecutor filler() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, GuestThreads.housekeeping("pool"));
        executor.setKeepAliveTime(10, TimeUnit.SECONDS);
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    public static int size() {
        return SIZE;
    }

    /** The part of a configuration that shapes an interpreter (per-call limits do not). */
    static SandboxConfig key(SandboxConfig config) {
        return config.toBuilder().timeout(SandboxConfig.DEFAULT_TIMEOUT).maxMemory(SandboxConfig.DEFAULT_MAX_MEMORY)
                .maxOutput(SandboxConfig.DEFAULT_MAX_OUTPUT).isolation(Isolation.CONTEXT).clearHostAccess().build();
    }

    /**
     * A never-used interpreter for the configuration: from the pool if one is ready, else made now, before
     * the pool starts making more (on a pool miss, and at a JVM's first sandbox, the two would share the
     * cores). The first time a configuration is asked for, the pool only notes it: filling it then cost a
     * host with a single engine half its JIT warm-up (50% of its steady rule throughput in second 10-15
     * instead of 7-9, 2 cores, four JVMs each), for interpreters that host never takes.
     */
    static PooledInterpreter take(SandboxConfig config) {
        SandboxConfig key = key(config);
        PooledInterpreter ready = null;
        boolean askedBefore;
        synchronized (READY) {
            askedBefore = READY.containsKey(key);
            Deque<PooledInterpreter> queue = READY.computeIfAbsent(key, k -> new ArrayDeque<>());
            ready = queue.poll();
            evictOldKeys();
        }
        PooledInterpreter taken = ready != null ? ready : PooledInterpreter.create(key);
        if (askedBefore) {
            refill(key, REFILL_DELAY_MILLIS);
        }
        return taken;
    }

    /**
     * Starts filling the pool for a configuration, so that the first sandbox with it is fast too (without it
     * a configuration is filled only once it was asked for twice).
     */
    public static void prewarm(SandboxConfig config) {
        SandboxConfig key = key(config);
        synchronized (READY) {
            READY.computeIfAbsent(key, k -> new ArrayDeque<>());
            evictOldKeys();
        }
        refill(key, 0);
    }

    /** Interpreters ready for the configuration now. */
    public static int ready(SandboxConfig config) {
        synchronized (READY) {
            Deque<PooledInterpreter> queue = READY.get(key(config));
            return queue == null ? 0 : queue.size();
        }
    }

    /** Waits until the pool for the configuration is full (tests and benchmarks). */
    public static boolean awaitFull(SandboxConfig config, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (ready(config) < SIZE) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private static void refill(SandboxConfig key, long delayMillis) {
        if (SIZE == 0) {
            return;
        }
        FILLER.schedule(() -> {
            while (true) {
                synchronized (READY) {
                    Deque<PooledInterpreter> queue = READY.get(key);
                    if (queue == null || queue.size() >= SIZE) {
                        return;
                    }
                }
                PooledInterpreter made;
                try {
                    made = PooledInterpreter.create(key);
                } catch (RuntimeException e) {
                    return; // the caller's own create() reports the problem
                }
                if (WARM_UP) {
                    try {
                        made.worker().submit(made.interpreter()::warmUp).get();
                    } catch (ExecutionException e) {
                        // a configuration the warm-up script does not suit: the interpreter is just not warmed
                    } catch (InterruptedException e) {
                        made.close();
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                synchronized (READY) {
                    Deque<PooledInterpreter> queue = READY.get(key);
                    if (queue == null || queue.size() >= SIZE) {
                        made.close();
                        return;
                    }
                    queue.add(made);
                }
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    private static void evictOldKeys() {
        Iterator<Map.Entry<SandboxConfig, Deque<PooledInterpreter>>> it = READY.entrySet().iterator();
        while (READY.size() > MAX_KEYS && it.hasNext()) {
            Map.Entry<SandboxConfig, Deque<PooledInterpreter>> oldest = it.next();
            oldest.getValue().forEach(PooledInterpreter::closeInBackground);
            it.remove();
        }
    }

    /** Closes every pooled interpreter (for hosts that unload the library). */
    public static void drain() {
        synchronized (READY) {
            READY.values().forEach(q -> q.forEach(PooledInterpreter::close));
            READY.clear();
        }
    }
}
