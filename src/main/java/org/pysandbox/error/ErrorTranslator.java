package org.pysandbox.error;

import javax.script.ScriptException;

import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;
import org.pysandbox.policy.ConfinedInterpreter;

/**
 * Turns whatever escaped a guest call into the {@link ScriptException} subclass that says what happened,
 * so nothing but script exceptions reaches the host.
 */
public final class ErrorTranslator {
    private ErrorTranslator() {
    }

    /** What the call was doing when it failed, for messages and exception positions. */
    public record CallSite(String fileName, boolean timedOut, String timeoutText, boolean outputLimitHit) {
    }

    public static ScriptException translate(RuntimeException failure, ConfinedInterpreter interpreter, CallSite site) {
        if (site.timedOut()) {
            return new ScriptTimeoutException("script stopped: it ran longer than " + site.timeoutText(),
                    site.fileName(), -1);
        }
        if (site.outputLimitHit()) {
            return new OutputLimitException("script stopped: it wrote more than "
                    + interpreter.config().maxOutput() + " bytes of output", site.fileName(), -1);
        }
        if (!(failure instanceof PolyglotException e)) {
            ScriptException se = new ScriptException(failure.toString());
            se.initCause(failure);
            return se;
        }
        if (e.isResourceExhausted()) {
            if (isStackOverflow(e)) {
                return new RecursionLimitException("script stopped: it exhausted the host stack", site.fileName(), -1);
            }
            return new MemoryLimitException("script stopped: it exhausted memory (" + e.getMessage() + ")",
                    site.fileName(), -1);
        }
        if (e.isInterrupted() || e.isCancelled()) {
            ScriptException se = new ScriptException("script cancelled: " + e.getMessage(), site.fileName(), -1);
            se.initCause(e);
            return se;
        }
        if (e.isExit()) {
            return new ScriptExitException(e.getExitStatus(), site.fileName());
        }
        if (e.isHostException()) {
            ScriptException se = new ScriptException("host code called by the script failed: "
                    + e.asHostException(), site.fileName(), lineOf(e), -1);
            se.initCause(e.asHostException());
            return se;
        }
        if (e.isInternalError() && !String.valueOf(e.getMessage()).contains("SecurityException")) {
            // an error of GraalPy itself (sys.stdout.__sizeof__() raises ShouldNotReachHere in 25.0): not a
            // refusal, so not a violation the host would count against the script (review 27)
            PythonScriptException se = new PythonScriptException("SystemError", "the Python interpreter failed "
                    + "internally (an error of GraalPy, not a refusal of the sandbox): " + e.getMessage(),
                    site.fileName(), lineOf(e), -1);
            se.initCause(e);
            return se;
        }
        if (e.isInternalError() || !e.isGuestException()) {
            // The Truffle floor refused something the Python layer let through (a host SecurityException and the like).
            return new SandboxViolationException("SandboxViolation", "blocked by the GraalVM confinement: "
                    + e.getMessage(), null, site.fileName(), lineOf(e), -1);
        }
        if (e.isSyntaxError()) {
            int line = syntaxPosition(e, "lineno");
            int column = line < 1 ? -1 : syntaxPosition(e, "offset");
            if (line < 1) {
                SourceSection at = e.getSourceLocation();
                line = at == null ? -1 : at.getStartLine();
                column = at == null ? -1 : at.getStartColumn();
            }
            PythonScriptException syntax = new PythonScriptException(syntaxType(e), syntaxMessage(e), site.fileName(),
                    line, column);
            syntax.initCause(e);
            return syntax;
        }
        Value info = interpreter.exceptionInfo(e.getGuestObject(), site.fileName());
        String type = info.getArrayElement(0).asString();
        String message = info.getArrayElement(1).asString();
        boolean violation = info.getArrayElement(2).asBoolean();
        Value setting = info.getArrayElement(3);
        boolean recursion = info.getArrayElement(4).asBoolean();
        String file = info.getArrayElement(5).isNull() ? site.fileName() : info.getArrayElement(5).asString();
        int line = info.getArrayElement(6).asInt();
        int column = info.getArrayElement(7).asInt();
        ScriptException result;
        if (violation) {
            result = new SandboxViolationException(type, message, setting.isNull() ? null : setting.asString(), file,
                    line, column);
        } else if (recursion) {
            // the sandbox's own count names its limit; GraalPy's (the stack running out) does not
            String limit = message.contains("the sandbox allows") ? ""
                    : " (limit " + interpreter.config().recursionLimit() + " frames)";
            result = new RecursionLimitException("script stopped: RecursionError: " + message + limit, file, line);
        } else if ("OSError".equals(type) && message.contains("output limit of")) {
            result = new OutputLimitException("script stopped: " + message, file, line);
        } else if ("MemoryError".equals(type)) {
            result = new MemoryLimitException("script stopped: MemoryError " + message, file, line);
        } else {
            result = new PythonScriptException(type, message, file, line, column);
        }
        if (result instanceof PythonScriptException p) {
            p.setPythonFrames(frames(info.getArrayElement(8)));
        }
        result.initCause(e);
        return result;
    }

    /**
     * A Java stack overflow, as Truffle words it: "StackOverflowError" for an internal error, "Resource
     * exhausted: Stack overflow" for one in host code the script called (review 25: read as a memory limit).
     */
    public static boolean isStackOverflow(PolyglotException e) {
        String m = e.getMessage();
        return m != null && m.replace(" ", "").toLowerCase(java.util.Locale.ROOT).contains("stackoverflow");
    }

    /**
     * The frames of the script's own code, outermost first, from the traceback entries {@code (file, line,
     * function)} that {@code runtime.exception_info} read from the exception's real traceback (reading
     * {@code __traceback__} here asked the script's class, which could hand over a traceback of its own).
     * The polyglot stack trace cannot give them: the policy runs the script's code under its own entry points,
     * so Truffle's frames carry the runtime's names. Frames of the sandbox's runtime and of GraalPy's own
     * library are left out.
     */
    static java.util.List<PythonFrame> frames(Value entries) {
        java.util.ArrayDeque<PythonFrame> frames = new java.util.ArrayDeque<>();
        for (long i = 0, n = entries.getArraySize(); i < n; i++) {
            Value entry = entries.getArrayElement(i);
            String file = entry.getArrayElement(0).asString();
            if (isScriptFile(file)) {
                frames.addLast(new PythonFrame(file, entry.getArrayElement(1).asInt(), entry.getArrayElement(2).asString()));
                if (frames.size() > PythonScriptException.MAX_FRAMES) {
                    frames.removeFirst();
                }
            }
        }
        return java.util.List.copyOf(frames);
    }

    private static boolean isScriptFile(String file) {
        return !file.startsWith("<pysandbox") && !file.startsWith("<frozen") && !file.contains("/lib-python/")
                && !file.contains("/lib-graalpython/") && !file.contains("pysandbox_");
    }

    /** The SyntaxError subclass (IndentationError, TabError) when the guest object says so. */
    private static String syntaxType(PolyglotException e) {
        try {
            Value exception = e.getGuestObject();
            Value type = exception == null ? null : exception.getMetaObject();
            if (type != null && type.getMetaSimpleName() != null && type.getMetaSimpleName().endsWith("Error")) {
                return type.getMetaSimpleName();
            }
        } catch (RuntimeException ignored) {
            // fall back to the base type
        }
        return "SyntaxError";
    }

    /**
     * The error's own {@code lineno} or {@code offset}, -1 when it has none. The polyglot location cannot be
     * relied on: for an error the compiler raised from a checked tree, re-raised by the policy, it is the
     * policy's raise, not the guest's line.
     */
    private static int syntaxPosition(PolyglotException e, String member) {
        Value value = syntaxMember(e, member);
        return value != null && value.fitsInInt() ? value.asInt() : -1;
    }

    /** A member of the guest's SyntaxError object, or null when it has none or cannot be read. */
    private static Value syntaxMember(PolyglotException e, String member) {
        try {
            Value exception = e.getGuestObject();
            return exception == null ? null : exception.getMember(member);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /**
     * The bare message: GraalPy's polyglot message is {@code str()} of the exception with the type in front,
     * {@code "SyntaxError: expected ':' (t.py, line 2)"}, so without care a traceback repeats both.
     */
    static String syntaxMessage(PolyglotException e) {
        Value msg = syntaxMember(e, "msg");
        return msg != null && msg.isString() ? msg.asString() : stripSyntaxMessage(e.getMessage());
    }

    static String stripSyntaxMessage(String message) {
        if (message == null) {
            return null;
        }
        String m = message.replaceFirst("^(SyntaxError|IndentationError|TabError): ", "");
        return m.replaceFirst(" \\([^()]*, line \\d+\\)$", "");
    }

    private static int lineOf(PolyglotException e) {
        SourceSection at = e.getSourceLocation();
        return at == null ? -1 : at.getStartLine();
    }
}
