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

    static final String SANDBOX_EVAL = "pysandbox (Sandbox.eval)";
    static final String SANDBOX_JSR223 = "pysandbox (JSR-223 CompiledScript)";
    static final String RAW = "raw GraalPy (Context.eval)";
    static final String JYTHON = "Jython 2.7 (JSR-223 CompiledScript)";

    private final double seconds;
    private final Map<String, EvaluatorFactory> rows;
    private final int[] threadCounts;
    private final String title;
    /** row name -> threads -> result */
    final Map<String, Map<Integer, Result>> results = new LinkedHashMap<>();
    final List<String> notes = new ArrayList<>();

    /** The rules section: every engine, 1 and 2 threads. */
    RuleSuite(double seconds) {
        this(seconds, rows(SANDBOX_EVAL, SANDBOX_JSR223, RAW, JYTHON), new int[] {1, 2}, "");
    }

    /** The same measurement for a subset of the engines (the under-load and interpreter-only sections reuse it). */
    RuleSuite(double seconds, Map<String, EvaluatorFactory> rows, int[] threadCounts, String title) {
        this.seconds = seconds;
        this.rows = rows;
        this.threadCounts = threadCounts;
        this.title = title;
    }

    /** The named engines' evaluator factories, in the given order; the JSR-223 row is left out if no engine is registered. */
    static Map<String, EvaluatorFactory> rows(String... names) {
        Map<String, EvaluatorFactory> all = new LinkedHashMap<>();
        all.put(SANDBOX_EVAL, RuleSuite::sandbox);
        all.put(SANDBOX_JSR223, () -> jsr223("pysandbox"));
        all.put(RAW, RuleSuite::rawGraalPy);
        all.put(JYTHON, () -> jsr223("jython"));
        Map<String, EvaluatorFactory> picked = new LinkedHashMap<>();
        for (String name : names) {
            picked.put(name, all.get(name));
        }
        return picked;
    }

    /** The evaluator factory of one row, for the warm-up section's fresh JVMs. */
    static EvaluatorFactory factory(String name) {
        return rows(name).get(name);
    }

    RuleSuite run() {
        for (Map.Entry<String, EvaluatorFactory> row : rows.entrySet()) {
            if (row.getKey().equals(SANDBOX_JSR223) && new ScriptEngineManager().getEngineByName("pysandbox") == null) {
                notes.add("pysandbox JSR-223 row skipped: no ScriptEngine named 'pysandbox' is registered on this class path.");
                continue;
            }
            Map<Integer, Result> byThreads = new LinkedHashMap<>();
            for (int threads : threadCounts) {
                Result r = measure(row.getValue(), threads);
                byThreads.put(threads, r);
                Bench.progress("rule %-36s %d thread(s)%s: %s evals/s p50 %s p99 %s%s", row.getKey(), threads, title,
                        Report.count(r.evalsPerSecond()), Report.ms(r.p50Millis()), Report.ms(r.p99Millis()),
                        r.error() == null ? "" : " FAILED " + r.error());
            }
            results.put(row.getKey(), byThreads);
        }
        return this;
    }

    /** The results as lines a parent JVM reads back ({@link #parse}): row, threads, evals/s, p50, p99, count, error. */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        results.forEach((name, byThreads) -> byThreads.forEach((threads, r) -> lines.add(String.join("\t", name,
                String.valueOf(threads), String.valueOf(r.evalsPerSecond()), String.valueOf(r.p50Millis()),
                String.valueOf(r.p99Millis()), String.valueOf(r.evaluations()), String.valueOf(r.error())))));
        notes.forEach(n -> lines.add("note\t" + n));
        return lines;
    }

    /** Reads the lines of {@link #lines} that a child JVM printed into this suite's results. */
    void parse(List<String> lines) {
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            if (f[0].equals("note")) {
                notes.add(f[1]);
                continue;
            }
            Result r = new Result(Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
                    Long.parseLong(f[5]), f[6].equals("null") ? null : f[6]);
            results.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(Integer.parseInt(f[1]), r);
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

    static Evaluator jsr223(String name) throws Exception {
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
    static Evaluator rawGraalPy() {
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
    static void check(Evaluator evaluator, int i) throws Exception {
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
        report(report, String.format(
                "Small rule `%s`, fresh bindings per evaluation (amount, limit, country, allowed), %.0f s warm-up + %.0f s measured",
                RULE, seconds, seconds));
    }

    void report(Report report, String sectionTitle) {
        List<String> header = new ArrayList<>(List.of("engine"));
        for (int threads : threadCounts) {
            String t = threads == 1 ? "1 thread" : threads + " threads";
            header.addAll(List.of(t + " evals/s", "p50", "p99"));
        }
        Report.Section s = report.section(sectionTitle, header.toArray(String[]::new));
        results.forEach((name, byThreads) -> {
            List<String> cells = new ArrayList<>(List.of(name));
            for (int threads : threadCounts) {
                Result r = byThreads.getOrDefault(threads, Result.failed("not measured"));
                cells.addAll(List.of(Report.count(r.evalsPerSecond()), Report.ms(r.p50Millis()), Report.ms(r.p99Millis())));
            }
            Report.row(s, cells.toArray(String[]::new));
            byThreads.forEach((threads, r) -> {
                if (r.error() != null) {
                    Report.note(s, name + " with " + threads + " thread(s) failed: " + r.error());
                }
            });
        });
        notes.forEach(n -> Report.note(s, n));
    }

    double seconds() {
        return seconds;
    }

    /** Evals/s of one row and thread count, NaN when it was not measured or failed. */
    double rate(String row, int threads) {
        Result r = result(row, threads);
        return r == null ? Double.NaN : r.evalsPerSecond();
    }

    Result result(String row, int threads) {
        Map<Integer, Result> byThreads = results.get(row);
        return byThreads == null ? null : byThreads.get(threads);
    }
}
