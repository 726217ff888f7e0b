package org.pysandbox.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

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
 * up for a while, then count evaluations and time each one, with 1 thread and with 2 threads, the
 * engines taking turns (see {@link #measureInterleaved}). Each thread has its own engine (sandbox,
 * ScriptEngine, context), as the JSR-223 engines recommend.
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

    /** How long a row runs before the next row takes its turn (see {@link #measureInterleaved}). */
    static final long SLICE_MILLIS = 250;
    /** Latencies kept per row and thread: 4 M, more than 5 s of the fastest engine here. */
    private static final int SAMPLES_PER_ROW_AND_THREAD = 1 << 22;

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
        Map<String, EvaluatorFactory> measured = new LinkedHashMap<>();
        rows.forEach((name, factory) -> {
            if (name.equals(SANDBOX_JSR223) && new ScriptEngineManager().getEngineByName("pysandbox") == null) {
                notes.add("pysandbox JSR-223 row skipped: no ScriptEngine named 'pysandbox' is registered on this class path.");
            } else {
                measured.put(name, factory);
                results.put(name, new LinkedHashMap<>());
            }
        });
        for (int threads : threadCounts) {
            Map<String, Result> byRow = measureInterleaved(measured, threads);
            byRow.forEach((name, r) -> {
                results.get(name).put(threads, r);
                Bench.progress("rule %-36s %d thread(s)%s: %s evals/s p50 %s p99 %s%s", name, threads, title,
                        Report.count(r.evalsPerSecond()), Report.ms(r.p50Millis()), Report.ms(r.p99Millis()),
                        r.error() == null ? "" : " FAILED " + r.error());
            });
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

    /**
     * Measures every row with the same number of threads, the rows taking turns in slices of
     * {@value #SLICE_MILLIS} ms: each row gets {@code seconds} of warm-up, then {@code seconds} measured, in
     * slices alternating with the other rows'. Measured one after the other, the first row warmed up on a
     * JVM whose Graal compiler (and HotSpot's compilers) were still busy compiling themselves, and later rows
     * on the state the earlier ones left: Jython's JSR-223 row measured 194,124 evals/s with 1 thread and
     * 739,398 with 2 in one such run. Every thread holds one evaluator per row, made before the first slice.
     */
    private Map<String, Result> measureInterleaved(Map<String, EvaluatorFactory> measured, int threads) {
        List<String> names = new ArrayList<>(measured.keySet());
        List<EvaluatorFactory> factories = new ArrayList<>(measured.values());
        int rowCount = names.size();
        long sliceNanos = SLICE_MILLIS * 1_000_000L;
        int slicesPerPhase = Math.max(1, (int) Math.ceil(seconds * 1e9 / sliceNanos));
        int warmupSlices = slicesPerPhase * rowCount;
        int totalSlices = 2 * warmupSlices;
        long[][][] latencies = new long[rowCount][threads][];
        long[][] counts = new long[rowCount][threads];
        long[][] elapsed = new long[rowCount][threads];
        AtomicReferenceArray<String> errors = new AtomicReferenceArray<>(rowCount);
        long[] sliceEnd = new long[1];
        CyclicBarrier barrier = new CyclicBarrier(threads,
                () -> sliceEnd[0] = System.nanoTime() + sliceNanos);
        AtomicReference<String> setupError = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers.add(Thread.ofPlatform().name("rule-" + t).start(() -> {
                Evaluator[] evaluators = new Evaluator[rowCount];
                try {
                    for (int r = 0; r < rowCount; r++) {
                        try {
                            evaluators[r] = factories.get(r).create();
                        } catch (Throwable e) {
                            errors.compareAndSet(r, null, e.toString());
                        }
                        latencies[r][thread] = new long[SAMPLES_PER_ROW_AND_THREAD];
                    }
                    int i = 0;
                    for (int slice = 0; slice < totalSlices; slice++) {
                        barrier.await();
                        int r = slice % rowCount;
                        boolean timed = slice >= warmupSlices;
                        long stop = sliceEnd[0];
                        long now = System.nanoTime();
                        long begin = now;
                        long n = counts[r][thread];
                        long[] samples = latencies[r][thread];
                        // a row that failed (here or on another thread) sits its slices out; checked per
                        // slice, not per evaluation, to keep the measured loop to the evaluation and the clock
                        boolean runs = evaluators[r] != null && errors.get(r) == null;
                        while (runs && now < stop) {
                            try {
                                check(evaluators[r], i++);
                            } catch (Throwable e) {
                                errors.compareAndSet(r, null, e.toString());
                                break;
                            }
                            long after = System.nanoTime();
                            if (timed) {
                                if (n < samples.length) {
                                    samples[(int) n] = after - now;
                                }
                                n++;
                            }
                            now = after;
                        }
                        if (timed) {
                            counts[r][thread] = n;
                            elapsed[r][thread] += now - begin;
                        }
                    }
                } catch (Throwable e) {
                    setupError.compareAndSet(null, e.toString());
                    barrier.reset();
                } finally {
                    for (Evaluator evaluator : evaluators) {
                        if (evaluator != null) {
                            evaluator.close();
                        }
                    }
                }
            }));
        }
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                setupError.compareAndSet(null, "interrupted");
            }
        }
        Map<String, Result> byRow = new LinkedHashMap<>();
        for (int r = 0; r < rowCount; r++) {
            String error = setupError.get() != null ? setupError.get() : errors.get(r);
            byRow.put(names.get(r), error != null ? Result.failed(error) : result(latencies[r], counts[r], elapsed[r]));
        }
        return byRow;
    }

    private static Result result(long[][] latencies, long[] counts, long[] elapsed) {
        long total = 0;
        int recorded = 0;
        double rate = 0;
        for (int t = 0; t < counts.length; t++) {
            total += counts[t];
            recorded += (int) Math.min(counts[t], latencies[t].length);
            rate += elapsed[t] == 0 ? 0 : counts[t] / (elapsed[t] / 1e9);
        }
        long[] all = new long[recorded];
        int at = 0;
        for (int t = 0; t < counts.length; t++) {
            int n = (int) Math.min(counts[t], latencies[t].length);
            System.arraycopy(latencies[t], 0, all, at, n);
            at += n;
        }
        double p50 = Stats.percentileMillis(all, all.length, 50, false);
        double p99 = Stats.percentileMillis(all, all.length, 99, true);
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
                "Small rule `%s`, fresh bindings per evaluation (amount, limit, country, allowed), %.0f s warm-up + %.0f s measured"
                        + " per engine, the engines taking turns in %d-ms slices",
                RULE, seconds, seconds, SLICE_MILLIS));
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
