package org.pysandbox.error;

import javax.script.ScriptException;

/** A script was stopped because it exceeded a resource limit; subclasses say which. */
public abstract class ResourceLimitException extends ScriptException {
    private static final long serialVersionUID = 1L;
    private final String setting;

    protected ResourceLimitException(String message, String setting, String fileName, int lineNumber) {
        super(message + "; raise " + setting + " to allow more", fileName, lineNumber);
        this.setting = setting;
    }

    /** The configuration attribute that sets this limit. */
    public String getSetting() {
        return setting;
    }
}
