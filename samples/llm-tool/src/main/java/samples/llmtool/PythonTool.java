package samples.llmtool;

import java.io.StringWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.script.ScriptException;

import org.pysandbox.Sandbox;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.error.PythonScriptException;
import org.pysandbox.error.ResourceLimitException;
import org.pysandbox.error.SandboxViolationException;

/**
 * A "run Python" tool for an LLM agent: evaluates untrusted, model-written code with a timeout, a memory
 * limit and captured output, and returns the structured result tool-calling frameworks expect:
 * {@code {"status", "value", "stdout", "error"}}. Nothing the model writes can reach files, the network,
 * the environment or the host JVM; a runaway snippet costs at most its time limit.
 */
public final class PythonTool implements AutoCloseable {

    /** What the tool hands back to the model. {@code status} is ok, error, violation or limit. */
    public record Result(String status, Object value, String stdout, Map<String, Object> error) {
        public String toJson() {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("status", status);
            fields.put("value", value);
            fields.put("stdout", stdout);
            fields.put("error", error);
            return Json.write(fields);
        }
    }

    private final Sandbox sandbox;

    public PythonTool() {
        this(defaultConfig());
    }

    /** The tool's limits and modules. */
    public static SandboxConfig defaultConfig() {
        return SandboxConfig.builder()
                .enable("stdout", "math", "itertools", "datetime", "regex")
                .allowModule("json", "loads", "dumps")
                .timeout(Duration.ofSeconds(2))
                .maxMemory(64L * 1024 * 1024)
                .maxOutput(16 * 1024)
                .build();
    }

    public PythonTool(SandboxConfig config) {
        this.sandbox = new Sandbox(config);
        // Start the interpreter now, so that the model's first snippet does not spend its time limit on
        // the start-up (seconds on a busy machine); if even this runs out of time, the first call reports.
        try {
            sandbox.eval("0");
        } catch (ScriptException e) {
            // nothing to report yet
        }
    }

    /**
     * Runs one snippet in a fresh namespace (nothing carries over from earlier calls). The value is that
     * of the last line when it is an expression, like a notebook cell.
     */
    public synchronized Result run(String code) {
        StringWriter out = new StringWriter();
        sandbox.setOut(out).setErr(out);
        try {
            Object value = sandbox.eval(code);
            return new Result("ok", jsonSafe(value), out.toString(), null);
        } catch (SandboxViolationException e) {
            return new Result("violation", null, out.toString(), error(e, e.getPythonType(), e.getPythonMessage()));
        } catch (ResourceLimitException e) {
            return new Result("limit", null, out.toString(), error(e, e.getClass().getSimpleName(), e.getMessage()));
        } catch (PythonScriptException e) {
            return new Result("error", null, out.toString(), error(e, e.getPythonType(), e.getPythonMessage()));
        } catch (ScriptException e) {
            return new Result("error", null, out.toString(), error(e, "ScriptException", e.getMessage()));
        }
    }

    private static Map<String, Object> error(ScriptException e, String type, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", type);
        error.put("message", message);
        error.put("line", e.getLineNumber() > 0 ? e.getLineNumber() : null);
        return error;
    }

    /** Values a model can read: data stays data, anything else (a function, an object) becomes its description. */
    private static Object jsonSafe(Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(PythonTool::jsonSafe).toList();
        }
        if (value instanceof java.util.Set<?> set) {
            return set.stream().map(PythonTool::jsonSafe).toList();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), jsonSafe(v)));
            return copy;
        }
        return "<" + value.getClass().getSimpleName() + ">";
    }

    @Override
    public void close() {
        sandbox.close();
    }

    /** Model-written snippets, good and bad, and what the tool returns for each. */
    public static void main(String[] args) {
        List<String> snippets = List.of(
                "import math\nprimes = [n for n in range(2, 50) if all(n % d for d in range(2, math.isqrt(n) + 1))]\n"
                        + "print(len(primes), 'primes')\nsum(primes)",
                "from json import loads\nloads('{\"a\": [1, 2, 3]}')['a'][-1] * 10",
                "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\nfib(10) / 0",
                "open('/etc/passwd').read()",
                "__import__('os').environ['HOME']",
                "while True:\n    pass",
                "blocks = [bytearray(1024 * 1024) for _ in range(512)]\nlen(blocks)");
        try (PythonTool tool = new PythonTool()) {
            for (String snippet : snippets) {
                System.out.println(">>> " + snippet.replace("\n", "\n... "));
                System.out.println(tool.run(snippet).toJson());
            }
        }
    }

    /** A minimal JSON writer for the result (strings, numbers, booleans, null, lists, maps). */
    static final class Json {
        private Json() {
        }

        static String write(Object value) {
            StringBuilder out = new StringBuilder();
            write(value, out);
            return out.toString();
        }

        private static void write(Object value, StringBuilder out) {
            if (value == null) {
                out.append("null");
            } else if (value instanceof Number || value instanceof Boolean) {
                out.append(value);
            } else if (value instanceof Map<?, ?> map) {
                out.append('{');
                String sep = "";
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    out.append(sep);
                    write(String.valueOf(e.getKey()), out);
                    out.append(": ");
                    write(e.getValue(), out);
                    sep = ", ";
                }
                out.append('}');
            } else if (value instanceof List<?> list) {
                out.append('[');
                String sep = "";
                for (Object item : list) {
                    out.append(sep);
                    write(item, out);
                    sep = ", ";
                }
                out.append(']');
            } else {
                out.append('"');
                for (char c : value.toString().toCharArray()) {
                    switch (c) {
                        case '"' -> out.append("\\\"");
                        case '\\' -> out.append("\\\\");
                        case '\n' -> out.append("\\n");
                        case '\r' -> out.append("\\r");
                        case '\t' -> out.append("\\t");
                        default -> {
                            if (c < 0x20) {
                                out.append(String.format("\\u%04x", (int) c));
                            } else {
                                out.append(c);
                            }
                        }
                    }
                }
                out.append('"');
            }
        }
    }
}
