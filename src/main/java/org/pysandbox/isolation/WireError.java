package org.pysandbox.isolation;

import java.io.IOException;
import java.util.List;

import javax.script.ScriptException;

import org.graalvm.polyglot.PolyglotException;
import org.pysandbox.error.MemoryLimitException;
import org.pysandbox.error.OutputLimitException;
import org.pysandbox.error.PythonScriptException;
import org.pysandbox.error.RecursionLimitException;
import org.pysandbox.error.ResourceLimitException;
import org.pysandbox.error.SandboxViolationException;
import org.pysandbox.error.ScriptExitException;
import org.pysandbox.error.ScriptTimeoutException;

/**
 * A failure as it crosses from a worker: what kind of script exception it was and its fields, as data.
 * The host builds its own exception of the matching class from them ({@link #toException()}); an
 * object that arrived is never thrown, and an unknown kind becomes a plain ScriptException.
 *
 * @param kind       python, violation, exit, timeout, memory, output, recursion or script
 * @param message    the message without the parts the exception classes add themselves
 * @param status     the exit status of a {@code sys.exit} (an int, a str or None)
 * @param traceback  the guest frames, innermost last, or null
 */
record WireError(String kind, String pythonType, String message, String file, int line, int column, String setting,
        Object status, String traceback) {

    static WireError of(ScriptException e) {
        String kind;
        String message = rawMessage(e);
        String type = null;
        String setting = null;
        Object status = null;
        if (e instanceof ScriptExitException x) {
            kind = "exit";
            status = x.getStatus() instanceof Number n && !(n instanceof Integer) ? (Object) n.longValue() : x.getStatus();
            if (status != null && !(status instanceof Number) && !(status instanceof String)) {
                status = String.valueOf(status);
            }
        } else if (e instanceof SandboxViolationException v) {
            kind = "violation";
            type = v.getPythonType();
            setting = v.getSetting();
            message = strip(v.getPythonMessage(), setting == null ? "" : " (allowed by " + setting + ")");
        } else if (e instanceof PythonScriptException p) {
            kind = "python";
            type = p.getPythonType();
            message = p.getPythonMessage();
        } else if (e instanceof ResourceLimitException r) {
            kind = r instanceof ScriptTimeoutException ? "timeout" : r instanceof MemoryLimitException ? "memory"
                    : r instanceof OutputLimitException ? "output" : r instanceof RecursionLimitException ? "recursion"
                    : "script";
            message = strip(message, "; raise " + r.getSetting() + " to allow more");
        } else {
            kind = "script";
        }
        return new WireError(kind, type, message, e.getFileName(), e.getLineNumber(), e.getColumnNumber(), setting,
                status, traceback(e));
    }

    /** ScriptException.getMessage() appends the position; the constructors take the message without it. */
    private static String rawMessage(ScriptException e) {
        String m = e.getMessage();
        if (e.getFileName() != null) {
            String suffix = " in " + e.getFileName() + (e.getLineNumber() != -1 ? " at line number " + e.getLineNumber()
                    : "") + (e.getLineNumber() != -1 && e.getColumnNumber() != -1
                            ? " at column number " + e.getColumnNumber() : "");
            m = strip(m, suffix);
        }
        return m;
    }

    private static String strip(String s, String suffix) {
        return s != null && s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
    }

    /** The guest part of the failure's stack, as Python prints it. */
    private static String traceback(ScriptException e) {
        if (!(e.getCause() instanceof PolyglotException p) || !p.isGuestException()) {
            return null;
        }
        StringBuilder b = new StringBuilder("Traceback (most recent call last):\n");
        List<PolyglotException.StackFrame> frames = new java.util.ArrayList<>();
        for (PolyglotException.StackFrame f : p.getPolyglotStackTrace()) {
            if (f.isGuestFrame()) {
                frames.add(f);
            }
        }
        java.util.Collections.reverse(frames);
        for (PolyglotException.StackFrame f : frames) {
            var at = f.getSourceLocation();
            b.append("  File \"").append(at == null ? "<unknown>" : at.getSource().getName()).append("\", line ")
                    .append(at == null ? -1 : at.getStartLine()).append(", in ").append(f.getRootName()).append('\n');
        }
        return b.toString();
    }

    void writeTo(WireWriter w) throws IOException {
        w.value(kind).value(pythonType).value(message).value(file).value(line).value(column).value(setting)
                .value(status).value(traceback);
    }

    static WireError read(WireReader r) throws BadFrameException {
        String kind = r.string();
        String type = r.stringOrNull();
        String message = r.stringOrNull();
        String file = r.stringOrNull();
        int line = r.intValue();
        int column = r.intValue();
        String setting = r.stringOrNull();
        Object status = r.value();
        if (status != null && !(status instanceof Number) && !(status instanceof String)) {
            throw new BadFrameException("an exit status that is not an int, a str or None", "wrong type");
        }
        return new WireError(kind, type, message, file, line, column, setting, status, r.stringOrNull());
    }

    /** The host's own exception for this failure. */
    ScriptException toException() {
        String text = message == null ? "" : message;
        ScriptException e = switch (kind) {
            case "python" -> new PythonScriptException(type(), text, file, line, column);
            case "violation" -> new SandboxViolationException(type(), text, setting, file, line, column);
            case "exit" -> new ScriptExitException(status, file);
            case "timeout" -> new ScriptTimeoutException(text, file, line);
            case "memory" -> new MemoryLimitException(text, file, line);
            case "output" -> new OutputLimitException(text, file, line);
            case "recursion" -> new RecursionLimitException(text, file, line);
            default -> new ScriptException(text, file, line, column);
        };
        if (traceback != null) {
            e.initCause(new RemoteTraceback(traceback));
        }
        return e;
    }

    private String type() {
        return pythonType == null ? "Exception" : pythonType;
    }
}
