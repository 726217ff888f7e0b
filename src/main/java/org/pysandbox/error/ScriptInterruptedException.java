package org.pysandbox.error;

import javax.script.ScriptException;

/**
 * The call ended because the host thread that made it was interrupted, while the script ran or while the
 * call waited for the sandbox (a previous call being stopped, an interpreter being replaced or started).
 * Neither a violation nor a limit: the host asked for the stop. The thread's interrupt status is kept.
 */
public class ScriptInterruptedException extends ScriptException {
    private static final long serialVersionUID = 1L;

    public ScriptInterruptedException(String message) {
        super(message);
    }

    public ScriptInterruptedException(String message, String fileName) {
        super(message, fileName, -1);
    }
}
