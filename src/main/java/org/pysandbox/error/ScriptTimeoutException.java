package org.pysandbox.error;

/** The script exceeded the wall-clock time limit ({@code pysandbox.timeout}). */
public class ScriptTimeoutException extends ResourceLimitException {
    private static final long serialVersionUID = 1L;

    public ScriptTimeoutException(String message, String fileName, int lineNumber) {
        super(message, "pysandbox.timeout", fileName, lineNumber);
    }
}
