package org.pysandbox.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.pysandbox.policy.ConfinedContextFactory;

/**
 * Where the sandbox's kernel overhead comes from: the kernels under A/B variants of the rewrite and
 * guards (bench/probe/overhead_probe.py), each variant in its own plain context on the shared engine,
 * plus pysandbox itself for reference. Not part of the default sections: {@code --sections=overhead}.
 */
final class OverheadProbe {
    static final List<String> VARIANTS = List.of("module", "exec-dict", "sandbox", "no-depth", "no-store-guard", "neither",
            "cheap-depth", "leaf-exempt", "cached-store", "flat-store", "exec-module-ns", "sandbox-module-ns", "leaf-module-ns", "combined");

    private final Path benchDir;
    private final int warmup;
    private final int timed;
    private final List<String> variants;
    private final Clock clock;
    /** kernel -> variant -> median ms */
    final Map<String, Map<String, Double>> results = new LinkedHashMap<>();

    OverheadProbe(Path benchDir, int warmup, int timed, List<String> variants, Clock clock) {
        this.clock = clock;
        this.benchDir = benchDir;
        this.warmup = warmup;
        this.timed = timed;
        this.variants = variants;
    }

    void run(List<String> kernels) throws Exception {
        String probe = Files.readString(benchDir.resolve("probe/overhead_probe.py"));
        String checker = resource("pysandbox_checker.py");
        String runtime = resource("pysandbox_runtime.py");
        for (String kernel : kernels) {
            String source = Files.readString(benchDir.resolve("kernels").resolve(kernel + ".py"));
            int n = KernelSuite.KERNELS.get(kernel);
            Map<String, Double> row = new LinkedHashMap<>();
            for (String variant : variants) {
                try (Context context = Context.newBuilder("python").engine(ConfinedContextFactory.engine())
                        .allowHostAccess(HostAccess.NONE).build()) {
                    context.eval(Source.create("python", probe));
                    Value bench = context.getBindings("python").getMember("prepare").execute(checker, runtime, source, variant);
                    row.put(variant, time(() -> bench.execute(n).asString()));
                } catch (RuntimeException e) {
                    Bench.progress("probe %s/%s failed: %s", kernel, variant, e);
                    row.put(variant, Double.NaN);
                }
            }
            try (Runtimes.KernelRuntime sandbox = Runtimes.pysandbox(source)) {
                row.put("pysandbox", time(() -> sandbox.call(n)));
            }
            results.put(kernel, row);
            Bench.progress("probe %-14s %s", kernel, row);
        }
    }

    private double time(Steady.Call call) throws Exception {
        return Steady.measure(call, warmup, timed, clock).medianMillis();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = OverheadProbe.class.getResourceAsStream("/org/pysandbox/python/" + name)) {
            if (in == null) {
                throw new IOException("policy source " + name + " not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    void report(Report report) {
        Report.Section s = report.section(String.format(
                "Overhead probe: median ms per call (%s; %d warm-up, %d timed), %% vs the kernel as a plain module",
                clock.describe(), warmup, timed));
        // columns: kernel, then each variant and pysandbox
        List<String> columns = new java.util.ArrayList<>();
        columns.add("kernel");
        columns.addAll(variants);
        columns.add("pysandbox");
        s.header().addAll(columns);
        results.forEach((kernel, row) -> {
            double base = row.getOrDefault("module", Double.NaN);
            List<String> cells = new java.util.ArrayList<>();
            cells.add(kernel);
            for (String c : columns.subList(1, columns.size())) {
                double v = row.getOrDefault(c, Double.NaN);
                cells.add(Report.ms(v) + (c.equals("module") ? "" : " (" + Report.percent(v / base - 1) + ")"));
            }
            Report.row(s, cells.toArray(String[]::new));
        });
        Report.note(s, "Variants are defined in bench/probe/overhead_probe.py (VARIANTS); each runs in its own context.");
    }
}
