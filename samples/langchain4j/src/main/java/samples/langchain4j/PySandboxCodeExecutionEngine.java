package samples.langchain4j;

import java.io.StringWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.script.ScriptException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.langchain4j.code.CodeExecutionEngine;

import org.pysandbox.Sandbox;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.error.PythonScriptException;

/**
 * LangChain4j's {@link CodeExecutionEngine} on pysandbox: model-written Python runs confined (no files,
 * network, environment or host objects) with a time limit, a memory limit and bounded output, in a fresh
 * namespace per call. The answer is JSON a model can read: {@code {"value", "stdout", "error"}}, where
 * {@code error} is null or {@code {"type", "message", "line"}}.
 *
 * <p>LangChain4j's own {@code GraalVmPythonExecutionEngine} (module
 * langchain4j-code-execution-engine-graalvm-polyglot) builds a GraalPy context with no time, memory or
 * output limit; this one is a drop-in replacement wherever a {@code CodeExecutionEngine} is taken.
 */
public final class PySandboxCodeExecutionEngine implements CodeExecutionEngine, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Sandbox sandbox;

    public PySandboxCodeExecutionEngine() {
        this(defaultConfig());
    }

    /** The engine's limits and modules: 2 s, 64 MiB, 16 KiB of output, a few pure modules. */
    public static SandboxConfig defaultConfig() {
        return SandboxConfig.builder()
                .enable("stdout", "math", "itertools", "datetime", "regex")
                .allowModule("json", "loads", "dumps")
                .timeout(Duration.ofSeconds(2))
                .maxMemory(64L * 1024 * 1024)
                .maxOutput(16 * 1024)
                .build();
    }

    public PySandboxCodeExecutionEngine(SandboxConfig config) {
        this.sandbox = new Sandbox(config);
        warmUp(sandbox);
    }

    /**
     * Starts the interpreter now, so that the model's first snippet does not spend its time limit on the
     * start-up (seconds on a busy machine). A failure here is of no interest: the first real call reports.
     */
    private static void warmUp(Sandbox sandbox) {
        try {
            sandbox.eval("0");
        } catch (ScriptException e) {
            // the snippet cannot fail; a limit hit while starting is reported again by the first real call
        }
    }

    /** Runs one snippet; the value is that of its last line when it is an expression, like a notebook cell. */
    @Override
    public synchronized String execute(String code) {
        StringWriter out = new StringWriter();
        sandbox.setOut(out).setErr(out);
        Map<String, Object> result = new LinkedHashMap<>();
        try {
            result.put("value", data(sandbox.eval(code)));
            result.put("stdout", out.toString());
            result.put("error", null);
        } catch (ScriptException e) {
            Map<String, Object> error = new LinkedHashMap<>();
            // a Python error keeps its Python type; a sandbox refusal or limit names its Java class
            error.put("type", e instanceof PythonScriptException p && p.getPythonType() != null
                    ? p.getPythonType() : e.getClass().getSimpleName());
            error.put("message", e instanceof PythonScriptException p && p.getPythonMessage() != null
                    ? p.getPythonMessage() : e.getMessage());
            error.put("line", e.getLineNumber() > 0 ? e.getLineNumber() : null);
            result.put("value", null);
            result.put("stdout", out.toString());
            result.put("error", error);
        }
        try {
            return JSON.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Data stays data; anything else (a function, an object) becomes its description. */
    private static Object data(Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(PySandboxCodeExecutionEngine::data).toList();
        }
        if (value instanceof java.util.Set<?> set) {
            return set.stream().map(PySandboxCodeExecutionEngine::data).toList();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), data(v)));
            return copy;
        }
        return "<" + value.getClass().getSimpleName() + ">";
    }

    @Override
    public void close() {
        sandbox.close();
    }
}
