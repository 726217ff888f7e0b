package org.pysandbox.isolation;

/**
 * An opaque handle to a guest object that lives in a worker process (the process-isolation counterpart
 * of {@link org.pysandbox.bridge.GuestObject}): the host can pass it back to the sandbox that made it
 * or call it through that sandbox, as long as the worker process it lives in is alive. On the wire it is
 * two numbers (worker, object); the worker maps them back to its own objects and to nothing else.
 */
public final class RemoteGuestObject {
    private final long worker;
    private final long id;

    RemoteGuestObject(long worker, long id) {
        this.worker = worker;
        this.id = id;
    }

    long worker() {
        return worker;
    }

    long id() {
        return id;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RemoteGuestObject other && other.worker == worker && other.id == id;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(worker) * 31 + Long.hashCode(id);
    }

    @Override
    public String toString() {
        return "GuestObject[worker " + worker + ", #" + id + "]";
    }
}
