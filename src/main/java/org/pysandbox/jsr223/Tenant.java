package org.pysandbox.jsr223;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

import javax.script.ScriptException;

import org.pysandbox.config.Feature;
import org.pysandbox.config.HostAccessRule;
import org.pysandbox.config.Isolation;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.error.ScriptInterruptedException;
import org.pysandbox.limits.Executor;
import org.pysandbox.isolation.SandboxExecutors;

/**
 * The interpreters of one script engine: the engine is the tenant, and its interpreters are never handed
 * to another engine. There is a small set per confinement (features, modules, paths, recursion limit,
 * isolation), one for each thread that runs concurrently; each interpreter is used by one thread at a
 * time. Limits such as the timeout are not part of the key: they are applied per call.
 *
 * <p>Holds no reference to its engine, so a {@link java.lang.ref.Cleaner} can close it once the engine
 * is unreachable.
 */
final class Tenant implements Runnable {
    /** What makes two interpreters interchangeable. */
    record Key(Set<Feature> features, Map<String, List<String>> modules, List<Path> paths, int recursionLimit,
            Isolation isolation, List<HostAccessRule> hostAccess) {
        static Key of(SandboxConfig c) {
            return new Key(c.features(), c.allowedModules(), c.allowedPaths(), c.recursionLimit(), c.isolation(),
                    c.hostAccess());
        }

        /** Same permissions (the recursion limit aside): a function may be called with either. */
        boolean sameConfinement(Key other) {
            return features.equals(other.features) && modules.equals(other.modules) && paths.equals(other.paths)
                    && isolation == other.isolation && hostAccess.equals(other.hostAccess);
        }
    }

    /** One interpreter (behind its executor), locked while a thread uses it. */
    static final class Slot {
        final Key key;
        final Tenant tenant;
        final Executor executor;
        private final ReentrantLock lock = new ReentrantLock();
        private volatile boolean retired;
        /** The executor's interpreter when the slot was first used ({@link Executor#interpreterGeneration}); null before. */
        Long generation;

        Slot(Tenant tenant, SandboxConfig config) {
            this.tenant = tenant;
            this.key = Key.of(config);
            // Guest objects made here report this slot as their owner, so invocations find their way back.
            this.executor = SandboxExecutors.create(config, this);
        }

        boolean tryAcquire() {
            return !lock.isHeldByCurrentThread() && lock.tryLock();
        }

        /** Waits for this particular interpreter (to call a function that lives in it). */
        void acquire() throws ScriptException {
            if (lock.isHeldByCurrentThread()) {
                throw new ScriptException("a script of this engine called back into the host, which tried to call a "
                        + "function of the same interpreter again; re-entrant calls are not supported");
            }
            try {
                lock.lockInterruptibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ScriptInterruptedException("interrupted while waiting for the interpreter");
            }
        }

        void release() {
            lock.unlock();
        }

        boolean isRetired() {
            return retired;
        }

        void close() {
            retired = true;
            try {
                executor.close();
            } catch (RuntimeException ignored) {
                // closing a context that is already gone
            }
        }
    }

    private final Map<Key, List<Slot>> slots = new ConcurrentHashMap<>();
    /**
     * The slots of the configuration instance last asked for: ContextConfig hands out the same instance
     * while a host's settings stay the same, which spares computing and hashing its key on every call.
     */
    private record Recent(SandboxConfig config, List<Slot> slots) {
    }

    private volatile Recent recent;
    private volatile boolean closed;

    /** A free interpreter for the configuration, made if every one is busy; release it after use. */
    Slot acquire(SandboxConfig config) throws ScriptException {
        if (closed) {
            throw new ScriptException("this pysandbox engine is closed");
        }
        Recent recent = this.recent;
        List<Slot> list;
        if (recent != null && recent.config == config) {
            list = recent.slots;
        } else {
            list = slots.computeIfAbsent(Key.of(config), k -> new CopyOnWriteArrayList<>());
            this.recent = new Recent(config, list);
        }
        for (Slot slot : list) {
            if (slot.tryAcquire()) {
                if (!slot.isRetired()) {
                    return slot;
                }
                slot.release();
            }
        }
        Slot slot;
        try {
            slot = new Slot(this, config);
        } catch (IllegalArgumentException e) {
            ScriptException se = new ScriptException(ContextConfig.ISOLATION + ": " + e.getMessage());
            se.initCause(e);
            throw se;
        }
        slot.tryAcquire();
        list.add(slot);
        return slot;
    }

    /** Takes an interpreter out of service for good (its handles stop working); later calls get a new one. */
    void retire(Slot slot) {
        List<Slot> list = slots.get(slot.key);
        if (list != null) {
            list.remove(slot);
        }
        slot.close();
    }

    /** The slot whose executor runs the interpreter or worker that made a script object, or null. */
    Slot slotThatMade(Object scriptObject) {
        for (List<Slot> list : slots.values()) {
            for (Slot slot : list) {
                if (!slot.isRetired() && slot.executor.madeHere(scriptObject)) {
                    return slot;
                }
            }
        }
        return null;
    }

    /** Number of interpreters made so far (all confinements). */
    int size() {
        return slots.values().stream().mapToInt(List::size).sum();
    }

    boolean isClosed() {
        return closed;
    }

    /** Closes every interpreter; handles made by them stop working. */
    @Override
    public void run() {
        closed = true;
        for (List<Slot> list : slots.values()) {
            list.forEach(Slot::close);
        }
        slots.clear();
        recent = null;
    }
}
