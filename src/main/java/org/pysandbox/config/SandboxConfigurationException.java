package org.pysandbox.config;

/** A sandbox configuration that cannot be honoured: an unknown feature, a malformed attribute value. */
public class SandboxConfigurationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public SandboxConfigurationException(String message) {
        super(message);
    }

    public SandboxConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
