package org.pysandbox.error;

/**
 * The script tried something the sandbox blocks. The message says what was blocked; {@link #getSetting()}
 * names the feature or configuration that would allow it, when there is one.
 */
public class SandboxViolationException extends PythonScriptException {
    private static final long serialVersionUID = 1L;
    private final String setting;

    public SandboxViolationException(String pythonType, String blocked, String setting, String fileName, int lineNumber,
            int columnNumber) {
        super(pythonType, blocked + (setting == null ? "" : " (allowed by " + setting + ")"), fileName, lineNumber,
                columnNumber);
        this.setting = setting;
    }

    /** The feature or setting that would allow the blocked action, or null when nothing can. */
    public String getSetting() {
        return setting;
    }
}
