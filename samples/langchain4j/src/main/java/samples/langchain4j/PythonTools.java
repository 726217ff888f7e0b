package samples.langchain4j;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;

/** The "run Python" tool an AI service offers its model, backed by the sandboxed engine. */
public final class PythonTools {
    private final PySandboxCodeExecutionEngine engine;

    public PythonTools(PySandboxCodeExecutionEngine engine) {
        this.engine = engine;
    }

    @Tool("Runs Python 3 code in a sandbox (no files, network or imports beyond math, itertools, datetime, re "
            + "and json; 2 s, 64 MiB). Returns JSON {value, stdout, error}; value is the last expression's.")
    public String runPython(@P("the Python code to run") String code) {
        return engine.execute(code);
    }
}
