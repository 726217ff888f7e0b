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

    ReadOnlyMap(Map<?, ?> map, HostToGuest convert) {
        this.map = map;
        this.convert = convert;
    }

    private Object key(Value key) {
        if (key.isString()) {
            return key.asString();
        }
        if (key.isNumber() && key.fitsInInt() && map.keySet().stream().anyMatch(k -> k instanceof Integer)) {
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
        return map.size();
    }

    @Override
    public boolean hasHashEntry(Value key) {
        return map.containsKey(key(key));
    }

    @Override
    public Object getHashValue(Value key) {
        Object k = key(key);
        return map.containsKey(k) ? convert.toGuest(map.get(k)) : null;
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
        List<Object> entries = new ArrayList<>(map.size());
        for (Map.Entry<?, ?> e : map.entrySet()) {
            entries.add(ProxyArray.fromArray(convert.toGuest(e.getKey()), convert.toGuest(e.getValue())));
        }
        Iterator<Object> it = entries.iterator();
        return ProxyIterator.from(it);
    }

    @Override
    public String toString() {
        return map.toString();
    }
}
