package org.pysandbox.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The small rule under load (issue 13, target 3): RuleSuite's measurement again for pysandbox (JSR-223), raw
 * GraalPy and Jython while {@link LoadGenerator} keeps N busy processes per core running, against the quiet
 * numbers of the same invocation (the rules section, or a quiet pass of its own when that section is not
 * run). The question is not the absolute loss, which any engine suffers on an oversubscribed machine, but
 * whether pysandbox loses much more than its peers do.
 */
final class LoadSuite {
    private static final String[] ROWS = {RuleSuite.SANDBOX_JSR223, RuleSuite.RAW, RuleSuite.JYTHON};
    private static final int[] THREADS = {1, 2};

    private final double seconds;
    private final int perCore;
    private final Path pidFile;
    RuleSuite quiet;
    RuleSuite loaded;
    int busyProcesses;
    double loadAverageDuring = Double.NaN;

    LoadSuite(double seconds, int perCore, RuleSuite quiet, Path pidFile) {
        this.seconds = seconds;
        this.perCore = perCore;
        this.quiet = quiet;
        this.pidFile = pidFile;
    }

    void run() throws Exception {
        if (quiet == null) {
            quiet = new RuleSuite(seconds, RuleSuite.rows(ROWS), THREADS, " quiet").run();
        }
        loaded = new RuleSuite(seconds, RuleSuite.rows(ROWS), THREADS, " under load");
        try (LoadGenerator load = new LoadGenerator(perCore, pidFile)) {
            busyProcesses = load.count();
            loaded.run();
            // the 1-minute average lags; read at the end of the loaded pass it reflects most of it
            loadAverageDuring = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        }
    }

    /** Loaded throughput as a fraction of quiet throughput. */
    double kept(String row, int threads) {
        return loaded.rate(row, threads) / quiet.rate(row, threads);
    }

    RuleSuite.Result underLoad(String row, int threads) {
        return loaded.result(row, threads);
    }

    void report(Report report) {
        Report.Section s = report.section(String.format(Locale.ROOT,
                "Small rule under load: %d busy processes (%d per core) beside the measurement, %.0f s warm-up + %.0f s measured"
                        + " per engine, the engines taking turns in %d-ms slices",
                busyProcesses, perCore, seconds, seconds, RuleSuite.SLICE_MILLIS),
                "engine", "threads", "quiet evals/s", "under load evals/s", "keeps", "quiet p99", "under load p99");
        for (String row : ROWS) {
            for (int threads : THREADS) {
                RuleSuite.Result q = quiet.result(row, threads);
                RuleSuite.Result l = loaded.result(row, threads);
                if (q == null && l == null) {
                    continue;
                }
                double kept = kept(row, threads);
                Report.row(s, row, String.valueOf(threads), Report.count(q == null ? Double.NaN : q.evalsPerSecond()),
                        Report.count(l == null ? Double.NaN : l.evalsPerSecond()),
                        Double.isNaN(kept) ? "-" : String.format(Locale.ROOT, "%.0f%%", kept * 100),
                        Report.ms(q == null ? Double.NaN : q.p99Millis()), Report.ms(l == null ? Double.NaN : l.p99Millis()));
            }
        }
        Report.note(s, "Quiet numbers: the rules section of this same invocation (minutes earlier, same JVM, same "
                + "warm-up and measurement lengths). Busy processes: sh -c 'while :; do :; done', started before the "
                + "loaded warm-up and killed after the last loaded row.");
        Report.note(s, String.format(Locale.ROOT, "1-minute load average at the end of the loaded pass: %.2f", loadAverageDuring));
        loaded.notes.forEach(n -> Report.note(s, n));
    }
}
