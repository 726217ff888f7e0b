package org.pysandbox.isolation;

/**
 * The cause of a script exception that a worker process reported: the Python traceback as text (the
 * worker's Java objects never cross). It has no Java stack of its own.
 */
public final class RemoteTraceback extends Exception {
    private static final long serialVersionUID = 1L;

    public RemoteTraceback(String traceback) {
        super(traceback, null, false, false);
    }
}
