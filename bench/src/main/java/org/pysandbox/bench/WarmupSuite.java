package org.pysandbox.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Warm-up as a host sees it (issue 13, target 4): a FRESH JVM evaluates the small rule continuously from its
 * first call and counts the evaluations that finish in each second. The steady-state rule numbers of
 * RuleSuite come after long warm-ups in a JVM that ran the kernels first; a host that starts under traffic
 * lives through this curve instead. Each curve is its own child JVM ({@link ChildJvm}), so one curve's
 * compilations do not warm the next: pysandbox through JSR-223 with the Graal JIT and interpreter-only, and
 * raw GraalPy (RuleSuite's Context.eval row; it has no JSR-223 engine here) in both modes as the reference.
 */
final class WarmupSuite {
    /** One curve: which evaluator, in which mode. */
    record Variant(String row, boolean jit) {
        String label() {
            return row + ", " + ChildJvm.mode(jit);
        }
    }

    /** Evaluations finished per second since the first call; times in ms since the child JVM started. */
    record Curve(long[] perSecond, double readyMillis, double firstResultMillis, double firstCallMillis, String error) {
        static Curve failed(String error) {
            return new Curve(new long[0], Double.NaN, Double.NaN, Double.NaN, error);
        }

        /** Mean evals/s over the last 5 s of the window: the "final" throughput the 50% mark is taken from. */
        double finalRate() {
            return mean(Math.max(0, perSecond.length - 5), perSecond.length);
        }

        double mean(int from, int to) {
            if (to <= from) {
                return Double.NaN;
            }
            long sum = 0;
            for (int i = from; i < to; i++) {
                sum += perSecond[i];
            }
            return sum / (double) (to - from);
        }

        /** The first second (1-based: second k is the interval k-1..k s after the first call) at >= 50% of final. */
        int secondAtHalfFinal() {
            double half = finalRate() / 2;
            for (int i = 0; i < perSecond.length; i++) {
                if (perSecond[i] >= half && perSecond[i] > 0) {
                    return i + 1;
                }
            }
            return -1;
        }
    }

    static final List<Variant> VARIANTS = List.of(
            new Variant(RuleSuite.SANDBOX_JSR223, true),
            new Variant(RuleSuite.SANDBOX_JSR223, false),
            new Variant(RuleSuite.RAW, true),
            new Variant(RuleSuite.RAW, false));

    private final int seconds;
    final Map<Variant, Curve> curves = new LinkedHashMap<>();

    WarmupSuite(int seconds) {
        this.seconds = seconds;
    }

    void run() {
        for (Variant v : VARIANTS) {
            Curve c;
            try {
                c = parse(ChildJvm.run(v.jit(), seconds + 300L, "warmup", v.row(), String.valueOf(seconds)));
            } catch (Exception e) {
                c = Curve.failed(e.toString());
            }
            curves.put(v, c);
            Bench.progress("warm-up %-50s first result %s after JVM start; per second %s", v.label(),
                    Report.ms(c.firstResultMillis()), Arrays.toString(c.perSecond()));
        }
    }

    Curve curve(String row, boolean jit) {
        return curves.getOrDefault(new Variant(row, jit), Curve.failed("not measured"));
    }

    int seconds() {
        return seconds;
    }

    /** Runs in the child JVM: create the evaluator, then evaluate without a pause for the given seconds. */
    static List<String> child(String row, double seconds) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        RuleSuite.Evaluator evaluator = RuleSuite.factory(row).create(); // engine + compile, as a host does before its first call
        long ready = System.currentTimeMillis();
        long[] counts = new long[(int) Math.ceil(seconds)];
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long firstResult = 0;
        long firstCallNanos = 0;
        int i = 0;
        for (long now = start; now < end; ) {
            RuleSuite.check(evaluator, i++);
            now = System.nanoTime();
            if (i == 1) {
                firstResult = System.currentTimeMillis();
                firstCallNanos = now - start;
            }
            int second = (int) ((now - start) / 1_000_000_000L);
            if (second < counts.length) {
                counts[second]++;
            }
        }
        StringBuilder perSecond = new StringBuilder("counts");
        for (long c : counts) {
            perSecond.append('\t').append(c);
        }
        return List.of("times\t" + (ready - jvmStart) + "\t" + (firstResult - jvmStart) + "\t" + firstCallNanos / 1e6,
                perSecond.toString());
    }

    private static Curve parse(List<String> lines) {
        double ready = Double.NaN;
        double first = Double.NaN;
        double firstCall = Double.NaN;
        long[] counts = new long[0];
        for (String line : lines) {
            String[] f = line.split("\t");
            if (f[0].equals("times")) {
                ready = Double.parseDouble(f[1]);
                first = Double.parseDouble(f[2]);
                firstCall = Double.parseDouble(f[3]);
            } else if (f[0].equals("counts")) {
                counts = Arrays.stream(f).skip(1).mapToLong(Long::parseLong).toArray();
            }
        }
        return counts.length == 0 ? Curve.failed("the child printed no counts") : new Curve(counts, ready, first, firstCall, null);
    }

    void report(Report report) {
        int groups = (seconds + 4) / 5;
        List<String> header = new ArrayList<>(List.of("engine, mode", "JVM start -> engine ready", "-> first result"));
        for (int g = 0; g < groups; g++) {
            header.add(String.format(Locale.ROOT, "s %d-%d", g * 5 + 1, Math.min(seconds, g * 5 + 5)));
        }
        header.addAll(List.of("final (last 5 s)", ">= 50% of final first in second"));
        Report.Section s = report.section(String.format(Locale.ROOT,
                "Warm-up in a fresh JVM: evals/s of the small rule from the first call on, mean per 5 s, %d s", seconds),
                header.toArray(String[]::new));
        curves.forEach((v, c) -> {
            List<String> cells = new ArrayList<>(List.of(v.label(), Report.ms(c.readyMillis()), Report.ms(c.firstResultMillis())));
            for (int g = 0; g < groups; g++) {
                cells.add(Report.count(c.mean(g * 5, Math.min(c.perSecond().length, g * 5 + 5))));
            }
            int half = c.secondAtHalfFinal();
            cells.addAll(List.of(Report.count(c.finalRate()), half < 0 ? "-" : String.valueOf(half)));
            Report.row(s, cells.toArray(String[]::new));
            if (c.error() != null) {
                Report.note(s, v.label() + " failed: " + c.error());
            }
        });
        Report.note(s, "Each row is a child JVM that has run nothing before (JIT: the Graal JIT options; interpreter-only: "
                + "no options but -Xss8m -Xmx3g). It creates the evaluator (pysandbox: getEngineByName + compile, the pool "
                + "filling in the background; raw GraalPy: a context on the shared engine and a parsed Source), then "
                + "evaluates with fresh bindings and checks every answer, without pause. Second k counts the evaluations "
                + "that finished between k-1 and k s after the first call started.");

        Report.Section per = report.section("Warm-up, evals/s in each second since the first call (the same runs)",
                concat("second", curves.keySet().stream().map(Variant::label).toList()));
        for (int i = 0; i < seconds; i++) {
            List<String> cells = new ArrayList<>(List.of(String.valueOf(i + 1)));
            for (Curve c : curves.values()) {
                cells.add(i < c.perSecond().length ? Report.count(c.perSecond()[i]) : "-");
            }
            Report.row(per, cells.toArray(String[]::new));
        }
    }

    private static String[] concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all.toArray(String[]::new);
    }
}
