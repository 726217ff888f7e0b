package org.pysandbox.jsr223;

import javax.script.CompiledScript;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptException;

/**
 * A script parsed and policy-checked by {@link PySandboxEngine#compile}. Immutable and thread-safe: it can
 * be evaluated concurrently, with any ScriptContext or Bindings (also those of other engines of the
 * factory, as JMeter does). Each evaluation runs in an interpreter of the engine that compiled it, under
 * the confinement and limits of the context passed in; every interpreter keeps its checked code, so the
 * source is checked once per interpreter, not once per evaluation.
 */
final class PySandboxCompiledScript extends CompiledScript {
    private final PySandboxEngine engine;
    private final String source;
    private final String fileName;

    PySandboxCompiledScript(PySandboxEngine engine, String source, String fileName) {
        this.engine = engine;
        this.source = source;
        this.fileName = fileName;
    }

    @Override
    public Object eval(ScriptContext context) throws ScriptException {
        java.util.Objects.requireNonNull(context, "context");
        return engine.run(source, context, fileName);
    }

    @Override
    public ScriptEngine getEngine() {
        return engine;
    }
}
