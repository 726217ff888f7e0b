package org.pysandbox.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import javax.script.Bindings;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.SimpleBindings;

/**
 * Hosts that make a new ScriptEngine for every evaluation and cache nothing (issue 13, target 7; JMeter
 * with its script cache off, Spring's StandardScriptEvaluator): one ScriptEngineManager, getEngineByName
 * per evaluation, engines never closed, fresh Bindings, with {@code pysandbox.tenant} set in the Bindings
 * (engines of one tenant share its interpreters) and without it (every engine is its own tenant and
 * needs an interpreter of its own). The pattern of src/test/.../jsr223/EnginePerCallTest, timed here.
 */
final class EnginePerCallSuite {
    static final String SCRIPT = "total = sum(x * price for x in qty)\n'ok' if total > 10 else 'low'";
    private static final ScriptEngineManager MANAGER = new ScriptEngineManager();

    record Row(String what, int threads, int calls, double p50, double p99, String error) {
    }

    private final int calls;
    final List<Row> rows = new ArrayList<>();

    /** calls: evaluations per thread with a tenant; without one each call makes an interpreter, so a tenth of that. */
    EnginePerCallSuite(int calls) {
        this.calls = calls;
    }

    void run() {
        String tenant = "bench-engine-per-call";
        measure("new engine per evaluation, pysandbox.tenant set (warm-up, not reported)", tenant, 4, Math.max(10, calls / 4), false);
        measure("new engine per evaluation, pysandbox.tenant set", tenant, 1, calls, true);
        measure("new engine per evaluation, pysandbox.tenant set", tenant, 4, calls, true);
        int few = Math.max(5, calls / 10);
        measure("new engine per evaluation, no tenant (each engine its own interpreter)", null, 1, few, true);
        measure("new engine per evaluation, no tenant (each engine its own interpreter)", null, 4, few, true);
        baseline();
    }

    private void measure(String what, String tenant, int threads, int perThread, boolean keep) {
        List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().name("engine-per-call-" + t).start(() -> {
                try {
                    for (int i = 0; i < perThread; i++) {
                        long start = System.nanoTime();
                        ScriptEngine engine = MANAGER.getEngineByName("pysandbox"); // never closed, as such hosts do
                        Bindings b = new SimpleBindings();
                        if (tenant != null) {
                            b.put("pysandbox.tenant", tenant);
                        }
                        b.put("qty", List.of(1, 2, 3));
                        b.put("price", 4);
                        Object result = engine.eval(SCRIPT, b);
                        nanos.add(System.nanoTime() - start);
                        if (!"ok".equals(result)) {
                            throw new IllegalStateException("script returned " + result);
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Row row = row(what, threads, nanos, failures.isEmpty() ? null : failures.get(0).toString());
        Bench.progress("engine per call: %s, %d thread(s): %d calls, p50 %s p99 %s%s", what, threads, nanos.size(),
                Report.ms(row.p50()), Report.ms(row.p99()), row.error() == null ? "" : " FAILED " + row.error());
        if (keep) {
            rows.add(row);
        }
    }

    /** One engine reused for every evaluation: what the pattern costs on top. */
    private void baseline() {
        List<Long> nanos = new ArrayList<>();
        String error = null;
        try {
            ScriptEngine reused = MANAGER.getEngineByName("pysandbox");
            for (int i = 0; i < calls; i++) {
                Bindings b = new SimpleBindings();
                b.put("qty", List.of(1, 2, 3));
                b.put("price", 4);
                long start = System.nanoTime();
                reused.eval(SCRIPT, b);
                nanos.add(System.nanoTime() - start);
            }
            ((AutoCloseable) reused).close();
        } catch (Exception e) {
            error = e.toString();
        }
        rows.add(row("one engine reused for every evaluation (baseline)", 1, nanos, error));
    }

    private static Row row(String what, int threads, List<Long> nanos, String error) {
        double[] millis = nanos.stream().mapToDouble(n -> n / 1e6).toArray();
        return new Row(what, threads, millis.length, Stats.median(millis), Stats.percentile(millis, 99), error);
    }

    Row find(String prefix, int threads) {
        return rows.stream().filter(r -> r.what().startsWith(prefix) && r.threads() == threads).findFirst().orElse(null);
    }

    void report(Report report) {
        Report.Section s = report.section("Engine per evaluation: getEngineByName(\"pysandbox\") + eval per call, engines never closed",
                "pattern", "threads", "calls", "p50", "p99");
        for (Row r : rows) {
            Report.row(s, r.what(), String.valueOf(r.threads()), String.valueOf(r.calls()), Report.ms(r.p50()), Report.ms(r.p99()));
            if (r.error() != null) {
                Report.note(s, r.what() + ", " + r.threads() + " thread(s) failed: " + r.error());
            }
        }
        Report.note(s, String.format(Locale.ROOT, "Script `%s`, fresh SimpleBindings (qty, price) per call; one "
                + "ScriptEngineManager. Tenant rows after a warm-up from 4 threads (not reported); the calls column counts all threads' calls. Without a tenant "
                + "every engine needs its own interpreter (from the pool while it lasts, then made on the caller's thread).",
                SCRIPT.replace("\n", "; ")));
    }
}
