package org.pysandbox.error;

/** The script exceeded the memory limit ({@code pysandbox.maxMemory}). */
public class MemoryLimitException extends ResourceLimitException {
    private static final long serialVersionUID = 1L;

    public MemoryLimitException(String message, String fileName, int lineNumber) {
        super(message, "pysandbox.maxMemory", fileName, lineNumber);
    }
}
