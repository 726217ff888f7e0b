package org.pysandbox.error;

/**
 * The script called {@code sys.exit()} (or {@code exit()}) with a failure status. Exiting ends the script
 * only, never the interpreter or the JVM; a status of 0 or None ends it normally without this exception.
 */
public class ScriptExitException extends PythonScriptException {
    private static final long serialVersionUID = 1L;
    private final Object status;

    public ScriptExitException(Object status, String fileName) {
        super("SystemExit", String.valueOf(status), fileName, -1, -1);
        this.status = status;
    }

    /**
     * The exit status the script passed: an Integer, a String, or null. An int outside Java's int range comes
     * as its decimal text, so that a failure status never turns into 0 when it is narrowed.
     */
    public Object getStatus() {
        return status;
    }

    /** The status as a process exit code (1 for a non-integer status, as Python does). */
    public int exitCode() {
        if (status instanceof Number n) {
            return n.intValue();
        }
        return status == null ? 0 : 1;
    }
}
