package org.pysandbox.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * CPU-bound kernels (bench/kernels/*.py), steady state: W warm-up calls (and at least S seconds in the
 * JVM), then T timed calls; the median timed call is the kernel's time on that runtime. In-JVM runtimes
 * are timed from Java around each call, pysandbox and raw GraalPy alternating call by call ({@link Steady});
 * CPython runs the same loop inside its own process (bench/cpython_driver.py).
 *
 * <p>With the Graal JIT, the same code in the same pair of runtimes ran 1.03x in one JVM and 2.4x in the
 * next (nbody, 2026-12-06): what a kernel compiles to depends on the order in which the compiler found
 * things hot. So the pair runs in J fresh JVMs of the harness's mode ({@code --kernel-jvms}); a runtime's
 * time is the median of the JVMs' medians and the overhead the median of the JVMs' ratios, with their
 * spread in the row. {@code --kernel-jvms=0} measures the pair in the harness JVM itself.
 */
final class KernelSuite {
    /** Kernel name and the argument that makes one call take roughly 50-100 ms on CPython 3.11. */
    static final Map<String, Integer> KERNELS = new LinkedHashMap<>();

    static {
        KERNELS.put("nbody", 20000);
        KERNELS.put("spectral_norm", 120);
        KERNELS.put("fannkuch", 8);
        KERNELS.put("scheduler", 10000);
        KERNELS.put("dict_string", 50000);
        KERNELS.put("parser", 3000);
    }

    static final String[] RUNTIMES = {"pysandbox", "raw GraalPy", "CPython", "Jython"};

    /** One kernel's result on one runtime: median milliseconds per call and the checksum it returned. */
    record Timing(double medianMillis, String checksum, String error) {
        static Timing failed(String error) {
            return new Timing(Double.NaN, null, error);
        }
    }

    private final Path benchDir;
    private final int warmup;
    private final double warmupSeconds;
    private final int timed;
    private final String python;
    private final Clock clock;
    private final int jvms;
    private final boolean jit;
    final Map<String, Map<String, Timing>> results = new LinkedHashMap<>();
    /** Per kernel, pysandbox / raw GraalPy in each child JVM (empty when measured in this JVM). */
    private final Map<String, double[]> jvmRatios = new LinkedHashMap<>();
    private final List<Integer> warmupCalls = new ArrayList<>();
    private final List<Double> warmupTimes = new ArrayList<>();

    KernelSuite(Path benchDir, int warmup, double warmupSeconds, int timed, String python, Clock clock, int jvms, boolean jit) {
        this.clock = clock;
        this.jvms = jvms;
        this.jit = jit;
        this.benchDir = benchDir;
        this.warmup = warmup;
        this.warmupSeconds = warmupSeconds;
        this.timed = timed;
        this.python = python;
    }

    void run(List<String> kernels) throws IOException {
        for (String kernel : kernels) {
            Integer n = KERNELS.get(kernel);
            if (n == null) {
                throw new IllegalArgumentException("unknown kernel " + kernel + "; known: " + KERNELS.keySet());
            }
            Path file = benchDir.resolve("kernels").resolve(kernel + ".py");
            String source = Files.readString(file, StandardCharsets.UTF_8);
            Map<String, Timing> row = new LinkedHashMap<>();
            // the sandbox against GraalPy without it: alternating calls, so both see the same JIT (Steady)
            row.putAll(jvms > 0 ? graalPyPairInChildren(kernel, file, n) : graalPyPair(source, n));
            row.put("CPython", cpython(file, n));
            row.put("Jython", inJvm(() -> Runtimes.jython(source), n));
            results.put(kernel, row);
            Bench.progress("kernel %-14s %s", kernel, summary(row));
        }
    }

    private static String summary(Map<String, Timing> row) {
        StringBuilder s = new StringBuilder();
        row.forEach((name, t) -> s.append(name).append('=').append(t.error() != null ? "failed" : Report.ms(t.medianMillis())).append("  "));
        return s.toString();
    }

    private interface Loader {
        Runtimes.KernelRuntime load() throws Exception;
    }

    /** pysandbox and raw GraalPy, measured interleaved; a runtime that fails to load fails alone. */
    private Map<String, Timing> graalPyPair(String source, int n) {
        Runtimes.KernelRuntime sandbox = null;
        Runtimes.KernelRuntime raw = null;
        Timing sandboxTiming = null;
        Timing rawTiming = null;
        try {
            try {
                sandbox = Runtimes.pysandbox(source);
            } catch (Exception | LinkageError e) {
                sandboxTiming = Timing.failed(e.toString());
            }
            try {
                raw = Runtimes.rawGraalPy(source);
            } catch (Exception | LinkageError e) {
                rawTiming = Timing.failed(e.toString());
            }
            if (sandbox != null && raw != null) {
                Runtimes.KernelRuntime s = sandbox;
                Runtimes.KernelRuntime r = raw;
                try {
                    List<Steady.Result> both = Steady.measureInterleaved(List.of(() -> s.call(n), () -> r.call(n)), warmup,
                            timed, warmupNanos(), clock);
                    sandboxTiming = recorded(both.get(0));
                    rawTiming = recorded(both.get(1));
                } catch (Exception | LinkageError e) {
                    sandboxTiming = Timing.failed(e.toString());
                    rawTiming = Timing.failed(e.toString());
                }
            } else if (sandbox != null) {
                sandboxTiming = timed(sandbox, n);
            } else if (raw != null) {
                rawTiming = timed(raw, n);
            }
        } finally {
            if (sandbox != null) {
                sandbox.close();
            }
            if (raw != null) {
                raw.close();
            }
        }
        Map<String, Timing> pair = new LinkedHashMap<>();
        pair.put("pysandbox", sandboxTiming);
        pair.put("raw GraalPy", rawTiming);
        return pair;
    }

    /**
     * The pair in {@code jvms} fresh JVMs, one after the other: each JVM's medians, then the median of those.
     * A JVM that fails fails the pair (the row says why).
     */
    private Map<String, Timing> graalPyPairInChildren(String kernel, Path file, int n) {
        double[] sandbox = new double[jvms];
        double[] raw = new double[jvms];
        double[] ratios = new double[jvms];
        String[] checksums = new String[2];
        Map<String, Timing> pair = new LinkedHashMap<>();
        try {
            for (int j = 0; j < jvms; j++) {
                List<String> lines = ChildJvm.run(jit, 600 + (long) (warmupSeconds * 10), "kernel-pair", file.toString(),
                        String.valueOf(n), String.valueOf(warmup), String.valueOf(warmupSeconds), String.valueOf(timed),
                        clock.name());
                String[] f = lines.get(0).split("\t");
                sandbox[j] = Double.parseDouble(f[1]);
                raw[j] = Double.parseDouble(f[2]);
                ratios[j] = sandbox[j] / raw[j];
                checksums[0] = f[3];
                checksums[1] = f[4];
                warmupCalls.add(Integer.parseInt(f[5]));
                warmupTimes.add(Double.parseDouble(f[6]));
                Bench.progress("kernel %-14s JVM %d of %d: pysandbox %s, raw GraalPy %s (%s)", kernel, j + 1, jvms,
                        Report.ms(sandbox[j]), Report.ms(raw[j]), Report.ratio(ratios[j]));
            }
        } catch (Exception e) {
            pair.put("pysandbox", Timing.failed(e.toString()));
            pair.put("raw GraalPy", Timing.failed(e.toString()));
            return pair;
        }
        jvmRatios.put(kernel, ratios);
        pair.put("pysandbox", new Timing(Stats.median(sandbox), checksums[0], null));
        pair.put("raw GraalPy", new Timing(Stats.median(raw), checksums[1], null));
        return pair;
    }

    /** The child JVM's side of {@link #graalPyPairInChildren}: one line, "pair", the two medians, checksums and warm-up. */
    static List<String> child(Path file, int n, int warmup, double warmupSeconds, int timed, Clock clock) throws Exception {
        List<Steady.Result> both = measurePair(Files.readString(file, StandardCharsets.UTF_8), n, warmup, warmupSeconds,
                timed, clock, false);
        Steady.Result s = both.get(0);
        Steady.Result r = both.get(1);
        return List.of(String.format(java.util.Locale.ROOT, "pair\t%s\t%s\t%s\t%s\t%d\t%.3f", s.medianMillis(),
                r.medianMillis(), s.checksum(), r.checksum(), s.warmupCalls(), s.warmupSeconds()));
    }

    /**
     * pysandbox and raw GraalPy on one kernel in this JVM, alternating ({@link Steady#measureInterleaved}): the
     * sandbox's result first. rawFirst makes raw GraalPy's context first (in a JVM with several contexts the
     * first context's code was the slowest in 5 runs of 6; BENCHMARKS.md, 2026-12-05).
     */
    static List<Steady.Result> measurePair(String source, int n, int warmup, double warmupSeconds, int timed, Clock clock,
            boolean rawFirst) throws Exception {
        try (Runtimes.KernelRuntime first = rawFirst ? Runtimes.rawGraalPy(source) : Runtimes.pysandbox(source);
             Runtimes.KernelRuntime second = rawFirst ? Runtimes.pysandbox(source) : Runtimes.rawGraalPy(source)) {
            Runtimes.KernelRuntime sandbox = rawFirst ? second : first;
            Runtimes.KernelRuntime raw = rawFirst ? first : second;
            return Steady.measureInterleaved(List.of(() -> sandbox.call(n), () -> raw.call(n)), warmup, timed,
                    (long) (warmupSeconds * 1e9), clock);
        }
    }

    /**
     * pysandbox / raw GraalPy for a kernel: the median of the child JVMs' ratios, or the ratio of the two
     * medians measured in this JVM.
     */
    double overhead(String kernel) {
        double[] ratios = jvmRatios.get(kernel);
        if (ratios != null) {
            return Stats.median(ratios);
        }
        Map<String, Timing> row = results.get(kernel);
        return row.get("pysandbox").medianMillis() / row.get("raw GraalPy").medianMillis();
    }

    private Timing inJvm(Loader loader, int n) {
        try (Runtimes.KernelRuntime runtime = loader.load()) {
            return timed(runtime, n);
        } catch (Exception | LinkageError e) {
            return Timing.failed(e.toString());
        }
    }

    private Timing timed(Runtimes.KernelRuntime runtime, int n) {
        try {
            return recorded(Steady.measure(() -> runtime.call(n), warmup, timed, warmupNanos(), clock));
        } catch (Exception | LinkageError e) {
            return Timing.failed(e.toString());
        }
    }

    private long warmupNanos() {
        return (long) (warmupSeconds * 1e9);
    }

    /** A measurement as the row's timing; its warm-up goes into the section's heading. */
    private Timing recorded(Steady.Result r) {
        warmupCalls.add(r.warmupCalls());
        warmupTimes.add(r.warmupSeconds());
        return new Timing(r.medianMillis(), r.checksum(), null);
    }

    private Timing cpython(Path kernel, int n) {
        Path driver = benchDir.resolve("cpython_driver.py");
        try {
            Process p = new ProcessBuilder(python, driver.toString(), kernel.toString(), String.valueOf(n),
                    String.valueOf(warmup), String.valueOf(timed), clock.pythonTimer()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                return Timing.failed("python3 failed: " + out);
            }
            String[] fields = out.split("\t");
            double[] millis = new double[fields.length - 1];
            for (int i = 1; i < fields.length; i++) {
                millis[i - 1] = Double.parseDouble(fields[i]);
            }
            return new Timing(Stats.median(millis), fields[0], null);
        } catch (IOException | RuntimeException e) {
            return Timing.failed(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Timing.failed("interrupted");
        }
    }

    /** The kernels section of the report, plus the geometric means the targets are judged on. */
    void report(Report report) {
        Report.Section s = report.section(String.format(
                "Kernels: median ms per call (%s) of %d timed calls after %d-%d warm-up calls in %.1f-%.1f s (at least %d "
                + "calls and %.0f s in the JVMs, more while still speeding up; pysandbox and raw GraalPy alternating "
                + "call by call%s; CPython: %d calls); ratios >1 mean pysandbox is faster",
                clock.describe(), timed, warmupCalls.stream().mapToInt(i -> i).min().orElse(0),
                warmupCalls.stream().mapToInt(i -> i).max().orElse(0),
                warmupTimes.stream().mapToDouble(d -> d).min().orElse(0), warmupTimes.stream().mapToDouble(d -> d).max().orElse(0),
                warmup, warmupSeconds, jvms > 0 ? String.format(java.util.Locale.ROOT, " in each of %d fresh %s JVMs per "
                        + "kernel: medians of the JVMs' medians, overhead the median of the JVMs' ratios", jvms, ChildJvm.mode(jit))
                        : " in the harness JVM", warmup),
                "kernel", "pysandbox", "raw GraalPy", "CPython 3", "Jython 2.7", "sandbox overhead vs raw",
                "overhead in each JVM", "CPython / pysandbox", "Jython / pysandbox", "checksums");
        List<Double> overhead = new ArrayList<>();
        List<Double> vsCpython = new ArrayList<>();
        List<Double> vsJython = new ArrayList<>();
        for (Map.Entry<String, Map<String, Timing>> e : results.entrySet()) {
            Map<String, Timing> row = e.getValue();
            double sb = row.get("pysandbox").medianMillis();
            double raw = row.get("raw GraalPy").medianMillis();
            double cp = row.get("CPython").medianMillis();
            double jy = row.get("Jython").medianMillis();
            double ratio = overhead(e.getKey());
            addIfValid(overhead, ratio);
            addIfValid(vsCpython, cp / sb);
            addIfValid(vsJython, jy / sb);
            Report.row(s, e.getKey() + " (" + KERNELS.get(e.getKey()) + ")", Report.ms(sb), Report.ms(raw), Report.ms(cp),
                    Report.ms(jy), Report.percent(ratio - 1), perJvm(e.getKey()), Report.ratio(cp / sb), Report.ratio(jy / sb),
                    checksums(row));
            row.forEach((name, t) -> {
                if (t.error() != null) {
                    Report.note(s, e.getKey() + " on " + name + " failed: " + t.error());
                }
            });
        }
        geoOverhead = Stats.geomean(overhead);
        geoVsCpython = Stats.geomean(vsCpython);
        geoVsJython = Stats.geomean(vsJython);
        if (Runtimes.callFallback != null) {
            Report.note(s, Runtimes.callFallback);
        }
        Report.row(s, "geometric mean", "", "", "", "", Report.percent(geoOverhead - 1), "", Report.ratio(geoVsCpython),
                Report.ratio(geoVsJython), "");
    }

    double geoOverhead = Double.NaN;
    double geoVsCpython = Double.NaN;
    double geoVsJython = Double.NaN;

    private String perJvm(String kernel) {
        double[] ratios = jvmRatios.get(kernel);
        if (ratios == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder();
        for (double r : ratios) {
            out.append(out.isEmpty() ? "" : ", ").append(Report.ratio(r));
        }
        return out.toString();
    }

    private static void addIfValid(List<Double> list, double v) {
        if (!Double.isNaN(v) && !Double.isInfinite(v) && v > 0) {
            list.add(v);
        }
    }

    /** "same" when every runtime returned CPython's checksum; otherwise which ones differ. */
    private static String checksums(Map<String, Timing> row) {
        String expected = row.get("CPython").checksum();
        List<String> differing = new ArrayList<>();
        row.forEach((name, t) -> {
            if (t.checksum() != null && expected != null && !t.checksum().equals(expected)) {
                differing.add(name + " " + t.checksum());
            }
        });
        return expected == null ? "no CPython result" : differing.isEmpty() ? "same" : "DIFFER: " + String.join(", ", differing);
    }
}
