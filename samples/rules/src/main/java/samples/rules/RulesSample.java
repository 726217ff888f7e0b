package samples.rules;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.script.Bindings;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;

/**
 * A small rule engine on javax.script: every rule is a Python expression over bound facts, compiled once
 * and evaluated per order through the {@code pysandbox} engine, so rules written by users cannot touch
 * the host. Run it with {@code samples/run rules [rules-file]}; without a file it uses the rules.txt
 * shipped with it (see README.md).
 */
public final class RulesSample {
    private RulesSample() {
    }

    /** The facts: a few orders, each with its customer. */
    static List<Map<String, Object>> orders() {
        return List.of(
                Map.of("id", "A-1", "total", 120.0,
                        "items", List.of(Map.of("sku", "pen", "qty", 12)),
                        "customer", Map.of("tier", "gold", "country", "DE", "orders", 14)),
                Map.of("id", "B-2", "total", 35.5,
                        "items", List.of(Map.of("sku", "ink", "qty", 1), Map.of("sku", "pad", "qty", 2)),
                        "customer", Map.of("tier", "basic", "country", "US", "orders", 2)),
                Map.of("id", "C-3", "total", 80.0,
                        "items", List.of(Map.of("sku", "a", "qty", 1), Map.of("sku", "b", "qty", 1),
                                Map.of("sku", "c", "qty", 3)),
                        "customer", Map.of("tier", "platinum", "country", "FR", "orders", 30)));
    }

    /**
     * Evaluates every rule of the file against every order. Returns, per order id, the names of the rules
     * that fired, and "name: refused (...)" for rules the sandbox stopped.
     */
    public static Map<String, List<String>> evaluate(List<String> ruleLines) throws Exception {
        ScriptEngine engine = new ScriptEngineManager().getEngineByName("pysandbox");
        Compilable compiler = (Compilable) engine;
        Map<String, CompiledScript> rules = new LinkedHashMap<>();
        for (String line : ruleLines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            rules.put(line.substring(0, colon).trim(), compiler.compile(line.substring(colon + 1).trim()));
        }
        Map<String, List<String>> report = new LinkedHashMap<>();
        for (Map<String, Object> order : orders()) {
            Bindings facts = engine.createBindings();
            facts.put("order", order);
            facts.put("customer", order.get("customer"));
            facts.put("pysandbox.timeout", "2s");  // per rule evaluation
            // No per-call allocation budget: a rule is judged by time alone (the JVM-wide heap guard stays on),
            // so the runaway rule below is always stopped by the timeout, however fast it allocates.
            facts.put("pysandbox.maxMemory", "0");
            List<String> fired = new ArrayList<>();
            for (Map.Entry<String, CompiledScript> rule : rules.entrySet()) {
                try {
                    if (Boolean.TRUE.equals(rule.getValue().eval(facts))) {
                        fired.add(rule.getKey());
                    }
                } catch (ScriptException e) {
                    fired.add(rule.getKey() + ": refused (" + e.getClass().getSimpleName() + ")");
                }
            }
            report.put((String) order.get("id"), fired);
        }
        ((AutoCloseable) engine).close();
        return report;
    }

    /** The rules shipped with the sample (src/main/resources/samples/rules/rules.txt). */
    public static List<String> shippedRules() throws IOException {
        try (InputStream in = RulesSample.class.getResourceAsStream("rules.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> rules = args.length > 0 ? Files.readAllLines(Path.of(args[0])) : shippedRules();
        evaluate(rules).forEach((order, fired) -> System.out.println(order + " -> " + String.join(", ", fired)));
    }
}
