package org.pysandbox.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import javax.script.Bindings;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.pysandbox.Sandbox;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.policy.ConfinedContextFactory;

/**
 * A small rule evaluated many times with fresh bindings, the way a rules engine calls a script: warm
 * up for a while, then count evaluations and time each one, with 1 thread and with 2 threads. Each
 * thread has its own engine (sandbox, ScriptEngine, context), as the JSR-223 engines recommend.
 */
final class RuleSuite {
    static final String RULE = "amount > limit and country in allowed";
    static final List<String> ALLOWED = List.of("DE", "FR", "NL", "BE", "AT");
    private static final String[] COUNTRIES = {"DE", "US", "FR", "JP", "NL", "CH"};

    /** One evaluator per thread. */
    interface Evaluator extends AutoCloseable {
        Object eval(int amount, int limit, String country) throws Exception;

        @Override
        default void close() {
        }
    }

    interface EvaluatorFactory {
        Evaluator create() throws Exception;
    }

    record Result(double evalsPerSecond, double p50Millis, double p99Millis, long evaluations, String error) {
        static Result failed(String error) {
            return new Result(Double.NaN, Double.NaN, Double.NaN, 0, error);
        }
    }

    private final double seconds;
    /** row name -> threads -> result */
    final Map<String, Map<Integer, Result>> results = new LinkedHashMap<>();
    final List<String> notes = new ArrayList<>();

    RuleSuite(double seconds) {
        this.seconds = seconds;
    }

    void run() {
        Map<String, EvaluatorFactory> rows = new LinkedHashMap<>();
        rows.put("pysandbox (Sandbox.eval)", RuleSuite::sandbox);
        if (new ScriptEngineManager().getEngineByName("pysandbox") != null) {
            rows.put("pysandbox (JSR-223 CompiledScript)", () -> jsr223("pysandbox"));
        } else {
            notes.add("pysandbox JSR-223 row skipped: no ScriptEngine named 'pysandbox' is registered on this class path "
                    + "(the engine lands with the jsr223 branch); the Sandbox.eval row measures the same rule path.");
        }
        rows.put("raw GraalPy (Context.eval)", RuleSuite::rawGraalPy);
        rows.put("Jython 2.7 (JSR-223 CompiledScript)", () -> jsr223("jython"));
        for (Map.Entry<String, EvaluatorFactory> row : rows.entrySet()) {
            Map<Integer, Result> byThreads = new LinkedHashMap<>();
            for (int threads : new int[] {1, 2}) {
                Result r = measure(row.getValue(), threads);
                byThreads.put(threads, r);
                Bench.progress("rule %-36s %d thread(s): %s evals/s p50 %s p99 %s%s", row.getKey(), threads,
                        Report.count(r.evalsPerSecond()), Report.ms(r.p50Millis()), Report.ms(r.p99Millis()),
                        r.error() == null ? "" : " FAILED " + r.error());
            }
            results.put(row.getKey(), byThreads);
        }
    }

    private static Evaluator sandbox() {
        Sandbox sandbox = new Sandbox(SandboxConfig.defaults());
        return new Evaluator() {
            @Override
            public Object eval(int amount, int limit, String country) throws Exception {
                Map<String, Object> bindings = new HashMap<>();
                bindings.put("amount", amount);
                bindings.put("limit", limit);
                bindings.put("country", country);
                bindings.put("allowed", ALLOWED);
                return sandbox.eval(RULE, bindings);
            }

            @Override
            public void close() {
                sandbox.close();
            }
        };
    }

    private static Evaluator jsr223(String name) throws Exception {
        ScriptEngine engine = name.equals("jython") ? Runtimes.jythonEngine() : new ScriptEngineManager().getEngineByName(name);
        CompiledScript script = ((Compilable) engine).compile(RULE);
        return new Evaluator() {
            @Override
            public Object eval(int amount, int limit, String country) throws Exception {
                Bindings bindings = engine.createBindings();
                bindings.put("amount", amount);
                bindings.put("limit", limit);
                bindings.put("country", country);
                bindings.put("allowed", ALLOWED);
                return script.eval(bindings);
            }

            @Override
            public void close() {
                if (engine instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception ignored) {
                        // closing a benchmark engine cannot fail in a way that matters here
                    }
                }
            }
        };
    }

    /**
     * What an embedder writing directly against GraalPy would do (the GraalVM JSR-223 template's way):
     * a context on the shared engine, the bindings as members of the module globals, the rule a parsed
     * Source evaluated again and again. No policy layer and no fresh namespace. The engine's contexts
     * must share one host access configuration, so the list goes in as a proxy, as the sandbox does.
     */
    private static Evaluator rawGraalPy() {
        Context context = Context.newBuilder("python").engine(ConfinedContextFactory.engine())
                .allowHostAccess(HostAccess.NONE).build();
        ProxyArray allowed = ProxyArray.fromList(new ArrayList<>(ALLOWED));
        Source rule = Source.create("python", RULE);
        Value globals = context.getBindings("python");
        return new Evaluator() {
            @Override
            public Object eval(int amount, int limit, String country) {
                globals.putMember("amount", amount);
                globals.putMember("limit", limit);
                globals.putMember("country", country);
                globals.putMember("allowed", allowed);
                return context.eval(rule).asBoolean();
            }

            @Override
            public void close() {
                context.close();
            }
        };
    }

    private Result measure(EvaluatorFactory factory, int threads) {
        long warmupNanos = (long) (seconds * 1e9);
        long runNanos = (long) (seconds * 1e9);
        List<long[]> latencies = new ArrayList<>();
        long[] counts = new long[threads];
        double[] rates = new double[threads];
        AtomicReference<String> error = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        long[] window = new long[2];
        for (int t = 0; t < threads; t++) {
            int index = t;
            long[] samples = new long[1 << 23];
            latencies.add(samples);
            workers.add(Thread.ofPlatform().name("rule-" + t).start(() -> {
                try (Evaluator evaluator = factory.create()) {
                    int i = 0;
                    long end = System.nanoTime() + warmupNanos;
                    while (System.nanoTime() < end) {
                        check(evaluator, i++);
                    }
                    ready.countDown();
                    go.await();
                    long stop = window[1];
                    int n = 0;
                    long now = System.nanoTime();
                    while (now < stop && n < samples.length) {
                        check(evaluator, i++);
                        long after = System.nanoTime();
                        samples[n++] = after - now;
                        now = after;
                    }
                    counts[index] = n;
                    rates[index] = n / ((now - window[0]) / 1e9);
                } catch (Throwable e) {
                    error.compareAndSet(null, e.toString());
                    ready.countDown();
                }
            }));
        }
        try {
            ready.await();
            window[0] = System.nanoTime();
            window[1] = window[0] + runNanos;
            go.countDown();
            for (Thread w : workers) {
                w.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.failed("interrupted");
        }
        if (error.get() != null) {
            return Result.failed(error.get());
        }
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        long[] all = new long[(int) total];
        int at = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(latencies.get(t), 0, all, at, (int) counts[t]);
            at += (int) counts[t];
        }
        double p50 = Stats.percentileMillis(all, all.length, 50, false);
        double p99 = Stats.percentileMillis(all, all.length, 99, true);
        double rate = 0;
        for (double r : rates) {
            rate += r;
        }
        return new Result(rate, p50, p99, total, null);
    }

    /** Evaluates the rule with inputs that vary per call and checks the answer, so no engine can cheat. */
    private static void check(Evaluator evaluator, int i) throws Exception {
        int amount = (i * 37) % 200;
        int limit = 100;
        String country = COUNTRIES[i % COUNTRIES.length];
        Object result = evaluator.eval(amount, limit, country);
        boolean expected = amount > limit && ALLOWED.contains(country);
        if (!(result instanceof Boolean b) || b != expected) {
            throw new IllegalStateException("rule returned " + result + " for amount=" + amount + ", country=" + country
                    + "; expected " + expected);
        }
    }

    void report(Report report) {
        Report.Section s = report.section(String.format(
                "Small rule `%s`, fresh bindings per evaluation (amount, limit, country, allowed), %.0f s warm-up + %.0f s measured",
                RULE, seconds, seconds),
                "engine", "1 thread evals/s", "p50", "p99", "2 threads evals/s", "p50", "p99");
        results.forEach((name, byThreads) -> {
            Result one = byThreads.get(1);
            Result two = byThreads.get(2);
            Report.row(s, name, Report.count(one.evalsPerSecond()), Report.ms(one.p50Millis()), Report.ms(one.p99Millis()),
                    Report.count(two.evalsPerSecond()), Report.ms(two.p50Millis()), Report.ms(two.p99Millis()));
            byThreads.forEach((threads, r) -> {
                if (r.error() != null) {
                    Report.note(s, name + " with " + threads + " thread(s) failed: " + r.error());
                }
            });
        });
        notes.forEach(n -> Report.note(s, n));
    }
}
