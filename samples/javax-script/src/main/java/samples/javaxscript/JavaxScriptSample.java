package samples.javaxscript;

import java.io.PrintStream;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import javax.script.Bindings;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.Invocable;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import javax.script.SimpleBindings;

/**
 * The pysandbox engine from plain Java, through the standard javax.script API only: bindings in, values
 * out, configuration attributes, compiled scripts and Invocable. Nothing here names a pysandbox class:
 * the engine is found by name because its jar is on the class path.
 */
public final class JavaxScriptSample {

    /** What the host asks of a script through {@link Invocable#getInterface(Class)}. */
    public interface Pricing {
        double discount(double total, String tier);
    }

    private JavaxScriptSample() {
    }

    public static void main(String[] args) throws ScriptException, NoSuchMethodException {
        run(System.out);
    }

    public static void run(PrintStream out) throws ScriptException, NoSuchMethodException {
        ScriptEngine engine = new ScriptEngineManager().getEngineByName("pysandbox");
        out.println("engine: " + engine.getFactory().getEngineName() + " (" + engine.getFactory().getLanguageName()
                + " " + engine.getFactory().getLanguageVersion() + ")");

        // 1. Bindings in, value out: host objects arrive as read-only views; the last expression is the result.
        Bindings facts = engine.createBindings();
        facts.put("order", Map.of("amount", 120, "country", "FR", "items", List.of("book", "pen")));
        facts.put("limit", 100);
        Object flagged = engine.eval("order['amount'] > limit and len(order['items']) > 1", facts);
        out.println("flagged: " + flagged);

        // 2. Names the script binds are written back to the bindings as Java values.
        engine.eval("total = sum(len(item) for item in order['items'])\nupper = [i.upper() for i in order['items']]", facts);
        out.println("written back: total=" + facts.get("total") + " upper=" + facts.get("upper"));

        // 3. The host's objects cannot be changed by the script.
        try {
            engine.eval("order['amount'] = 0", facts);
        } catch (ScriptException e) {
            out.println("read-only: " + firstLine(e));
        }

        // 4. Configuration travels in the context: here the stdout feature, with output to our writer.
        ScriptContext context = engine.getContext();
        StringWriter printed = new StringWriter();
        context.setWriter(printed);
        context.setAttribute("pysandbox.features", "stdout,math", ScriptContext.ENGINE_SCOPE);
        engine.eval("import math\nprint('sqrt(2) =', round(math.sqrt(2), 4))");
        out.print("printed: " + printed);

        // 5. Compile once, evaluate many times with fresh bindings (thread-safe).
        CompiledScript rule = ((Compilable) engine).compile("amount > limit and country in allowed");
        for (Object[] row : new Object[][] {{250, "FR"}, {250, "US"}, {50, "FR"}}) {
            Bindings b = new SimpleBindings();
            b.put("amount", row[0]);
            b.put("country", row[1]);
            b.put("limit", 100);
            b.put("allowed", List.of("FR", "DE"));
            out.println("rule(" + row[0] + ", " + row[1] + ") = " + rule.eval(b));
        }

        // 6. Invocable: call functions the script defined, or implement a Java interface with them.
        engine.eval("""
                RATES = {'gold': 0.2, 'silver': 0.1}

                def discount(total, tier):
                    return round(total * RATES.get(tier, 0.0), 2)
                """);
        Invocable invocable = (Invocable) engine;
        out.println("invokeFunction: " + invocable.invokeFunction("discount", 80.0, "gold"));
        Pricing pricing = invocable.getInterface(Pricing.class);
        out.println("getInterface: " + pricing.discount(200.0, "silver"));

        // 7. What the sandbox refuses surfaces as a ScriptException that says what to enable.
        try {
            engine.eval("import os\nos.listdir('/')");
        } catch (ScriptException e) {
            out.println("refused: " + firstLine(e));
        }
    }

    private static String firstLine(ScriptException e) {
        String message = e.getMessage();
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
