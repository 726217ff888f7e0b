package org.pysandbox.policy;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the library keeps per host stream (a {@link java.io.Reader} or {@link java.io.Writer} a host handed
 * to a sandbox), found by the stream's identity and forgotten with it. Not a {@link java.util.WeakHashMap}:
 * that matches keys by {@code equals}, and two host writers that are equal by value (a data class, a writer
 * tagged with its channel's name) shared one guard, which wrote one tenant's output into the other's writer
 * (review 51). The values must not refer to their stream, or it would never be forgotten (review 51: every
 * writer stayed, ~2 MB a call).
 */
final class HostStreamRegistry<V> {
    private static final class Key extends WeakReference<Object> {
        final int hash;
        final Object value;

        Key(Object stream, Object value, ReferenceQueue<Object> queue) {
            super(stream, queue);
            this.hash = System.identityHashCode(stream);
            this.value = value;
        }
    }

    private final Map<Integer, List<Key>> byHash = new HashMap<>();
    private final ReferenceQueue<Object> forgotten = new ReferenceQueue<>();

    /** The value kept for this very stream, made by {@code make} on first use. */
    @SuppressWarnings("unchecked")
    synchronized V of(Object stream, Supplier<V> make) {
        expunge();
        int hash = System.identityHashCode(stream);
        List<Key> keys = byHash.computeIfAbsent(hash, h -> new ArrayList<>(1));
        for (Key k : keys) {
            if (k.get() == stream) {
                return (V) k.value;
            }
        }
        V value = make.get();
        keys.add(new Key(stream, value, forgotten));
        return value;
    }

    /** Number of streams kept (for tests). */
    synchronized int size() {
        expunge();
        return byHash.values().stream().mapToInt(List::size).sum();
    }

    private void expunge() {
        for (Object ref; (ref = forgotten.poll()) != null;) {
            Key k = (Key) ref;
            List<Key> keys = byHash.get(k.hash);
            if (keys != null) {
                keys.remove(k);
                if (keys.isEmpty()) {
                    byHash.remove(k.hash);
                }
            }
        }
    }
}
