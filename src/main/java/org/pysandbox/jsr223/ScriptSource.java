package org.pysandbox.jsr223;

import javax.script.ScriptException;

import org.pysandbox.config.SandboxConfigurationException;
import org.pysandbox.error.PythonScriptException;
import org.pysandbox.error.RecursionLimitException;

/** Checks of script text done before it reaches an interpreter, and the last-resort error wrapping. */
final class ScriptSource {
    private ScriptSource() {
    }

    /**
     * Refuses text Python cannot compile for reasons better reported with an exact position here: NUL
     * characters and unpaired surrogates (what a Reader yields for broken input).
     */
    static void check(String code, String file) throws ScriptException {
        int line = 1;
        int column = 1;
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            String problem = null;
            if (c == 0) {
                problem = "source code cannot contain NUL characters";
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < code.length() && Character.isLowSurrogate(code.charAt(i + 1))) {
                    i++;
                    column++;
                    continue;
                }
                problem = "source code contains an unpaired surrogate (invalid UTF-16/UTF-8 input)";
            } else if (Character.isLowSurrogate(c)) {
                problem = "source code contains an unpaired surrogate (invalid UTF-16/UTF-8 input)";
            }
            if (problem != null) {
                throw new PythonScriptException("SyntaxError", problem, file, line, column);
            }
            if (c == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
    }

    /** Something that is not a ScriptException escaped the executor: still report it as one. */
    static ScriptException unexpected(Throwable e, String file) {
        ScriptException se;
        if (e instanceof StackOverflowError) {
            se = new RecursionLimitException("script stopped: it exhausted the host stack", file, -1);
        } else if (e instanceof SandboxConfigurationException) {
            se = new ScriptException(e.getMessage());
        } else {
            se = new ScriptException("pysandbox failed to run the script: " + e, file, -1);
        }
        se.initCause(e);
        return se;
    }
}
