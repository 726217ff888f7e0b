package org.pysandbox.cli;

import javax.script.ScriptException;

import org.pysandbox.error.PythonScriptException;
import org.pysandbox.error.ResourceLimitException;
import org.pysandbox.error.ScriptExitException;

/**
 * Formats a script failure the way Python prints an uncaught exception, so the output reads like the
 * interpreter users know: a "Traceback" line, the file and line, then {@code Type: message}.
 */
final class Tracebacks {
    private Tracebacks() {
    }

    static String format(ScriptException failure) {
        if (failure instanceof ScriptExitException exit) {
            // Python prints a non-integer exit status and nothing else.
            Object status = exit.getStatus();
            return status == null || status instanceof Number ? "" : status + "\n";
        }
        StringBuilder text = new StringBuilder();
        String file = failure.getFileName();
        int line = failure.getLineNumber();
        String kind = failure instanceof PythonScriptException p ? p.getPythonType() : null;
        boolean syntax = kind != null && (kind.equals("SyntaxError") || kind.equals("IndentationError")
                || kind.equals("TabError"));
        if (!syntax) {
            text.append("Traceback (most recent call last):\n");
        }
        if (file != null) {
            text.append("  File \"").append(file).append('"');
            if (line > 0) {
                text.append(", line ").append(line);
            }
            text.append(syntax ? "" : ", in <module>").append('\n');
        }
        if (failure instanceof PythonScriptException p) {
            text.append(p.getPythonType());
            String message = p.getPythonMessage();
            if (message != null && !message.isEmpty()) {
                text.append(": ").append(message);
            }
        } else if (failure instanceof ResourceLimitException) {
            text.append(failure.getClass().getSimpleName().replace("Exception", "Error")).append(": ")
                    .append(stripPosition(failure));
        } else {
            text.append("SandboxError: ").append(stripPosition(failure));
        }
        text.append('\n');
        String option = failure instanceof ResourceLimitException limit ? OPTIONS.get(limit.getSetting()) : null;
        if (option != null) {
            text.append("(pysandbox: the limit is set with ").append(option).append(")\n");
        }
        return text.toString();
    }

    /** The command-line option for each limit's configuration attribute. */
    private static final java.util.Map<String, String> OPTIONS = java.util.Map.of(
            "pysandbox.timeout", "--timeout", "pysandbox.maxMemory", "--max-memory",
            "pysandbox.maxOutput", "--max-output", "pysandbox.recursionLimit", "--recursion-limit");

    /** ScriptException appends " in FILE at line number N" to its message; the traceback already says that. */
    private static String stripPosition(ScriptException failure) {
        String message = failure.getMessage();
        int at = message.lastIndexOf(" in " + failure.getFileName());
        return at > 0 && failure.getFileName() != null ? message.substring(0, at) : message;
    }
}
