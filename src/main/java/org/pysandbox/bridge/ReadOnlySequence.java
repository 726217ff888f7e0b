package org.pysandbox.bridge;

import java.util.List;

import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;

/** A host list, collection or array as a read-only Python sequence; elements are wrapped when read. */
final class ReadOnlySequence implements ProxyArray {
    private final List<?> list;
    private final HostToGuest convert;

    ReadOnlySequence(List<?> list, HostToGuest convert) {
        this.list = list;
        this.convert = convert;
    }

    @Override
    public Object get(long index) {
        if (index < 0 || index >= list.size()) {
            throw new ArrayIndexOutOfBoundsException("index " + index + " out of range");
        }
        return convert.toGuest(list.get((int) index));
    }

    @Override
    public void set(long index, Value value) {
        throw convert.refuse("this sequence");
    }

    @Override
    public boolean remove(long index) {
        throw convert.refuse("this sequence");
    }

    @Override
    public long getSize() {
        return list.size();
    }

    @Override
    public String toString() {
        return list.toString();
    }
}
