package org.pysandbox.limits;

import java.io.Reader;
import java.io.Writer;
import java.util.Map;

import javax.script.ScriptException;

import org.pysandbox.config.SandboxConfig;

/** Runs sandbox requests somewhere: in a confined context of this JVM, or in a worker process. */
public interface Executor extends AutoCloseable {

    /**
     * One run of guest source, with the streams and configuration of the call. {@code writeBack}: whether the
     * names the script binds at top level are written back to {@code globals} (and {@code locals}); without
     * it {@code globals} is the script's inputs only (there are no separate locals), and what its globals hold
     * at the end is never converted.
     */
    record Request(String code, String fileName, Map<String, Object> globals, Map<String, Object> locals,
            boolean wantValue, Writer out, Writer err, Reader in, SandboxConfig config, boolean writeBack) {

        public Request {
            if (!writeBack && locals != null) {
                // the guest reports the changes of separate locals always (review 63: converted, then dropped)
                throw new IllegalArgumentException("a run without write-back takes its inputs as globals only");
            }
        }

        /** A run whose top-level names are written back, as {@code exec(code, globals, locals)} leaves them. */
        public Request(String code, String fileName, Map<String, Object> globals, Map<String, Object> locals,
                boolean wantValue, Writer out, Writer err, Reader in, SandboxConfig config) {
            this(code, fileName, globals, locals, wantValue, out, err, in, config, true);
        }
    }

    Object run(Request request) throws ScriptException;

    Object call(Object function, Object[] args, Writer out, Writer err, Reader in, SandboxConfig config)
            throws ScriptException;

    /**
     * Which interpreter (or worker process) runs this executor's guest code: a number that changes when the
     * one that ran earlier calls is gone, because a limit stop or a crash cost it (then the interpreter is
     * replaced here, as the next call would replace it). Script objects of earlier calls stay callable
     * exactly while it stays the same. Makes the interpreter when there is none yet.
     */
    long interpreterGeneration() throws ScriptException;

    /**
     * Whether a script object (a function or object a call returned) lives in the interpreter, or worker
     * process, that runs this executor's guest code now: only such an object can be called through it.
     */
    boolean madeHere(Object scriptObject);

    /**
     * Whether the interpreter of that generation ({@link #interpreterGeneration}) is gone. An executor whose
     * interpreter is costly to bring up (a worker process: seconds) answers without bringing one up; by
     * default this asks for the generation.
     */
    default boolean hasLost(long interpreterGeneration) throws ScriptException {
        return interpreterGeneration() != interpreterGeneration;
    }

    /**
     * The generation of the interpreter the last call (which succeeded) ran in, given the one noted before it.
     * A worker process can die after a caller checked its generation and before its call starts; the call then
     * starts a new worker, and what it defines lives there. In-process an interpreter is replaced only after a
     * call that failed, so the noted one stands (review 54: asking the executor there replaced a lost
     * interpreter, or failed a finished call when the engine was closed meanwhile).
     */
    default long lastCallGeneration(long noted) {
        return noted;
    }

    /**
     * Whether the interpreter of that generation was lost since the last call ended, which no call reported.
     * In-process an interpreter is only lost in a call, whose failure tells; a worker process can die between
     * calls. Asked before every call, so it must be cheap.
     */
    default boolean lostBetweenCalls(long interpreterGeneration) {
        return false;
    }

    /**
     * Runs code in this executor's interactive namespace, which outlives the call as {@code __main__} does in
     * Python's REPL, and returns {@code repr()} of the value of its last statement when that is an expression
     * whose value is not None, else null. Used by the command-line REPL.
     */
    default String runInteractive(Request request) throws ScriptException {
        throw new ScriptException("interactive sessions are not available with isolation '"
                + request.config().isolation().configName() + "'; use 'context'");
    }

    /**
     * Whether the namespace of {@link #runInteractive} is gone: a stop (a limit, or the caller's interrupt)
     * cost the interpreter that held it, so the next interactive run starts in a new, empty one. False before
     * the first interactive run. A stop still settling decides it and is waited for, bounded.
     */
    default boolean interactiveSessionLost() {
        return false;
    }

    @Override
    void close();
}
