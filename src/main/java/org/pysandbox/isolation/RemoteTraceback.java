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

    /** The traceback of {@code frames}, outermost first, as Python prints it. */
    static RemoteTraceback of(java.util.List<org.pysandbox.error.PythonFrame> frames) {
        StringBuilder b = new StringBuilder("Traceback (most recent call last):\n");
        for (org.pysandbox.error.PythonFrame f : frames) {
            b.append("  File \"").append(f.fileName()).append("\", line ").append(f.lineNumber()).append(", in ")
                    .append(f.function()).append('\n');
        }
        return new RemoteTraceback(b.toString());
    }
}
