package org.pysandbox.bridge;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyHashMap;
import org.graalvm.polyglot.proxy.ProxyIterator;

/** A host {@link Map} as a read-only Python mapping; values are wrapped again when read. */
final class ReadOnlyMap implements ProxyHashMap {
    private final Map<?, ?> map;
    private final HostToGuest convert;
    /** Reads of the host's own maps run host code: on the caller's thread (see {@link CallerThread}). */
    private final boolean plain;

    ReadOnlyMap(Map<?, ?> map, HostToGuest convert) {
        this.map = map;
        this.convert = convert;
        this.plain = CallerThread.plainJdkCollection(map);
    }

    private <T> T host(java.util.concurrent.Callable<T> read) {
        if (plain) {
            try {
                return read.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return CallerThread.run(read);
    }

    private Object key(Value key) {
        if (key.isString()) {
            return key.asString();
        }
        if (key.isNumber() && key.fitsInInt() && host(() -> map.keySet().stream().anyMatch(k -> k instanceof Integer))) {
            return key.asInt();
        }
        if (key.isNumber() && key.fitsInLong()) {
            return key.asLong();
        }
        if (key.isBoolean()) {
            return key.asBoolean();
        }
        return key.toString();
    }

    @Override
    public long getHashSize() {
        return host(map::size);
    }

    @Override
    public boolean hasHashEntry(Value key) {
        Object k = key(key);
        return host(() -> map.containsKey(k));
    }

    @Override
    public Object getHashValue(Value key) {
        Object k = key(key);
        Object[] found = host(() -> map.containsKey(k) ? new Object[] {map.get(k)} : null);
        return found == null ? null : convert.toGuest(found[0]);
    }

    @Override
    public void putHashEntry(Value key, Value value) {
        throw convert.refuse("this mapping");
    }

    @Override
    public boolean removeHashEntry(Value key) {
        throw convert.refuse("this mapping");
    }

    @Override
    public Object getHashEntriesIterator() {
        List<Map.Entry<?, ?>> snapshot = host(() -> new ArrayList<>(map.entrySet().stream()
                .map(e -> (Map.Entry<?, ?>) new java.util.AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue()))
                .toList()));
        List<Object> entries = new ArrayList<>(snapshot.size());
        for (Map.Entry<?, ?> e : snapshot) {
            entries.add(ProxyArray.fromArray(convert.toGuest(e.getKey()), convert.toGuest(e.getValue())));
        }
        Iterator<Object> it = entries.iterator();
        return ProxyIterator.from(it);
    }

    @Override
    public String toString() {
        return plain ? map.toString() : CallerThread.run(map::toString);
    }
}
