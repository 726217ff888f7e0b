package org.pysandbox.limits;

import java.io.Reader;
import java.io.Writer;
import java.util.Map;

import javax.script.ScriptException;

import org.pysandbox.config.SandboxConfig;

/** Runs sandbox requests somewhere: in a confined context of this JVM, or in a worker process. */
public interface Executor extends AutoCloseable {

    /** One run of guest source, with the streams and configuration of the call. */
    record Request(String code, String fileName, Map<String, Object> globals, Map<String, Object> locals,
            boolean wantValue, Writer out, Writer err, Reader in, SandboxConfig config) {
    }

    Object run(Request request) throws ScriptException;

    Object call(Object function, Object[] args, Writer out, Writer err, Reader in, SandboxConfig config)
            throws ScriptException;

    /**
     * Runs code in this executor's interactive namespace, which outlives the call as {@code __main__} does in
     * Python's REPL, and returns {@code repr()} of the value of its last statement when that is an expression
     * whose value is not None, else null. Used by the command-line REPL.
     */
    default String runInteractive(Request request) throws ScriptException {
        throw new ScriptException("interactive sessions are not available with isolation '"
                + request.config().isolation().configName() + "'; use 'context'");
    }

    @Override
    void close();
}
