package org.pysandbox.error;

/** The script exceeded the output limit ({@code pysandbox.maxOutput}). */
public class OutputLimitException extends ResourceLimitException {
    private static final long serialVersionUID = 1L;

    public OutputLimitException(String message, String fileName, int lineNumber) {
        super(message, "pysandbox.maxOutput", fileName, lineNumber);
    }
}
