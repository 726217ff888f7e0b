package org.pysandbox.bench;

import java.util.Locale;
import java.util.Map;

/** The targets of issue 5, judged on the numbers of this run. */
final class Targets {
    private Targets() {
    }

    static void kernels(Report report, KernelSuite k) {
        double speed = k.geoVsCpython;
        report.target("kernels: pysandbox speed vs CPython 3 (geomean)", ">= 2.00x", Report.ratio(speed),
                Double.isNaN(speed) ? null : speed >= 2.0, String.format(Locale.ROOT, "at %.0f%% of the goal", speed / 2.0 * 100));
        double overhead = k.geoOverhead - 1;
        report.target("kernels: sandbox overhead vs raw GraalPy (geomean)", "<= +10%", Report.percent(overhead),
                Double.isNaN(overhead) ? null : overhead <= 0.10, String.format(Locale.ROOT, "%.1f points over", (overhead - 0.10) * 100));
    }

    static void rules(Report report, RuleSuite r) {
        Map<Integer, RuleSuite.Result> sandbox = r.results.get("pysandbox (Sandbox.eval)");
        Map<Integer, RuleSuite.Result> jsr = r.results.get("pysandbox (JSR-223 CompiledScript)");
        Map<Integer, RuleSuite.Result> jython = r.results.get("Jython 2.7 (JSR-223 CompiledScript)");
        Map<Integer, RuleSuite.Result> ours = jsr != null ? jsr : sandbox;
        String which = jsr != null ? "JSR-223" : "Sandbox.eval";
        for (int threads : new int[] {1, 2}) {
            double mine = ours.get(threads).evalsPerSecond();
            double theirs = jython.get(threads).evalsPerSecond();
            double x = mine / theirs;
            report.target("rules, " + threads + " thread(s): pysandbox (" + which + ") vs Jython throughput", ">= 1.00x (goal 2x)",
                    Report.ratio(x), Double.isNaN(x) ? null : x >= 1.0, String.format(Locale.ROOT, "at %.0f%% of Jython", x * 100));
            double p99 = ours.get(threads).p99Millis();
            report.target("rules, " + threads + " thread(s): pysandbox p99 latency", "<= 1 ms", Report.ms(p99),
                    Double.isNaN(p99) ? null : p99 <= 1.0, String.format(Locale.ROOT, "%.1fx the goal", p99));
        }
    }

    static void startup(Report report, StartupSuite s) {
        double p50 = Stats.median(s.freshMillis);
        report.target("fresh sandbox p50 (new Sandbox, interpreters from the pool)", "<= 5 ms", Report.ms(p50),
                Double.isNaN(p50) ? null : p50 <= 5.0, String.format(Locale.ROOT, "%.1fx the goal", p50 / 5.0));
        double engine = Stats.median(s.engineMillis);
        report.target("fresh JSR-223 engine p50 (getScriptEngine + eval, interpreters from the pool)", "<= 5 ms",
                Report.ms(engine), Double.isNaN(engine) ? null : engine <= 5.0,
                String.format(Locale.ROOT, "%.1fx the goal", engine / 5.0));
        report.target("JVM start -> first result (one-shot, JIT)", "as low as possible", Report.ms(Stats.median(s.jitStartMillis)),
                null, "");
    }

    static void memory(Report report, MemorySuite m) {
        double mb = m.idleBytesPerContext / (1024.0 * 1024.0);
        report.target("retained heap per idle context", "<= 5 MB", Report.mb(m.idleBytesPerContext),
                Double.isNaN(mb) ? null : mb <= 5.0, String.format(Locale.ROOT, "%.1fx the goal", mb / 5.0));
    }
}
