package org.pysandbox.bridge;

import java.util.List;

import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;

/** A host list, collection or array as a read-only Python sequence; elements are wrapped when read. */
final class ReadOnlySequence implements ProxyArray {
    private final List<?> list;
    private final HostToGuest convert;

    /** Reads of the host's own lists run host code: on the caller's thread (see {@link CallerThread}). */
    private final boolean plain;

    ReadOnlySequence(List<?> list, HostToGuest convert) {
        this.list = list;
        this.convert = convert;
        this.plain = CallerThread.plainJdkCollection(list);
    }

    @Override
    public Object get(long index) {
        Object[] item = plain ? read(index) : CallerThread.run(() -> read(index));
        return convert.toGuest(item[0]);
    }

    private Object[] read(long index) {
        if (index < 0 || index >= list.size()) {
            throw new ArrayIndexOutOfBoundsException("index " + index + " out of range");
        }
        return new Object[] {list.get((int) index)};
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
        return plain ? list.size() : CallerThread.run(list::size);
    }

    @Override
    public String toString() {
        return plain ? list.toString() : CallerThread.run(list::toString);
    }
}
