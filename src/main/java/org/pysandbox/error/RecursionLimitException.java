package org.pysandbox.error;

/** The script exceeded the recursion limit ({@code pysandbox.recursionLimit}). */
public class RecursionLimitException extends ResourceLimitException {
    private static final long serialVersionUID = 1L;

    public RecursionLimitException(String message, String fileName, int lineNumber) {
        super(message, "pysandbox.recursionLimit", fileName, lineNumber);
    }
}
