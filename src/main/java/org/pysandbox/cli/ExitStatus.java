package org.pysandbox.cli;

import javax.script.ScriptException;

import org.pysandbox.config.SandboxConfigurationException;
import org.pysandbox.error.ResourceLimitException;
import org.pysandbox.error.SandboxViolationException;
import org.pysandbox.error.ScriptExitException;

/** The command's exit statuses, so that callers can tell a broken script from a blocked or runaway one. */
public final class ExitStatus {
    public static final int OK = 0;
    public static final int SCRIPT_ERROR = 1;
    public static final int USAGE = 2;
    public static final int VIOLATION = 3;
    public static final int LIMIT = 4;

    private ExitStatus() {
    }

    /**
     * The status for a failure. A script that calls {@code sys.exit(n)} (feature {@code exit}) ends with
     * {@code n}, as with Python; a non-integer status ends with 1.
     */
    public static int of(Throwable failure) {
        if (failure instanceof ScriptExitException exit) {
            return exit.exitCode();
        }
        if (failure instanceof SandboxViolationException) {
            return VIOLATION;
        }
        if (failure instanceof ResourceLimitException) {
            return LIMIT;
        }
        if (failure instanceof SandboxConfigurationException || failure instanceof IllegalArgumentException) {
            return USAGE;
        }
        if (failure instanceof ScriptException) {
            return SCRIPT_ERROR;
        }
        return SCRIPT_ERROR;
    }
}
