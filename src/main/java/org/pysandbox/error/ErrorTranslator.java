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
            if (e.getMessage() != null && e.getMessage().contains("StackOverflow")) {
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
        if (e.isInternalError() || !e.isGuestException()) {
            // The Truffle floor refused something the Python layer let through (a host SecurityException and the like).
            return new SandboxViolationException("SandboxViolation", "blocked by the GraalVM confinement: "
                    + e.getMessage(), null, site.fileName(), lineOf(e), -1);
        }
        if (e.isSyntaxError()) {
            SourceSection at = e.getSourceLocation();
            return new PythonScriptException("SyntaxError", e.getMessage(), site.fileName(),
                    at == null ? -1 : at.getStartLine(), at == null ? -1 : at.getStartColumn());
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
            result = new RecursionLimitException("script stopped: RecursionError: " + message + " (limit "
                    + interpreter.config().recursionLimit() + " frames)", file, line);
        } else if ("OSError".equals(type) && message.contains("output limit of")) {
            result = new OutputLimitException("script stopped: " + message, file, line);
        } else if ("MemoryError".equals(type)) {
            result = new MemoryLimitException("script stopped: MemoryError " + message, file, line);
        } else {
            result = new PythonScriptException(type, message, file, line, column);
        }
        result.initCause(e);
        return result;
    }

    private static int lineOf(PolyglotException e) {
        SourceSection at = e.getSourceLocation();
        return at == null ? -1 : at.getStartLine();
    }
}
