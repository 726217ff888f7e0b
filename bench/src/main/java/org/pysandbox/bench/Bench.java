package org.pysandbox.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.graalvm.polyglot.Engine;
import org.pysandbox.policy.ConfinedContextFactory;

/**
 * The benchmark harness of issue 5: kernels, small rules, fresh-sandbox latency and memory, all
 * measured in one JVM run and printed as one table. Run it through {@code bench/run}.
 *
 * <pre>
 * bench/run [--quick] [--sections=kernels,rules,fresh,memory] [--kernels=nbody,parser,...]
 *           [--warmup=N] [--timed=N] [--rule-seconds=S] [--clock=wall|cpu] [--trace]
 * </pre>
 */
public final class Bench {
    private static boolean tracing;

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        tracing = o.trace;
        Path benchDir = Path.of(System.getProperty("bench.dir", "bench")).toAbsolutePath().normalize();
        Report report = new Report();
        double loadBefore = loadAverage();
        Instant started = Instant.now();

        Engine engine = ConfinedContextFactory.engine();
        String jit = engine.getImplementationName();
        report.preamble("# pysandbox benchmarks");
        report.preamble("");
        report.preamble("- started " + started.truncatedTo(ChronoUnit.SECONDS) + ", mode " + (o.quick ? "QUICK (not for the record)" : "full"));
        report.preamble("- machine: " + Runtime.getRuntime().availableProcessors() + " cores, "
                + memoryTotal() + " RAM, " + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        report.preamble("- JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + ", max heap " + Report.mb(Runtime.getRuntime().maxMemory()));
        report.preamble("- GraalPy: " + graalPyVersion() + "; Truffle runtime: " + jit
                + ("Interpreted".equalsIgnoreCase(jit) ? " (JIT OFF: interpreter only)" : " (Graal JIT on)"));
        report.preamble("- peers: " + PythonVersions.cpython(o.python) + "; " + PythonVersions.jython());

        if (o.sections.contains("kernels")) {
            KernelSuite kernels = new KernelSuite(benchDir, o.warmup, o.timed, o.python, o.clock);
            kernels.run(o.kernels);
            kernels.report(report);
            Targets.kernels(report, kernels);
        }
        if (o.sections.contains("rules")) {
            RuleSuite rules = new RuleSuite(o.ruleSeconds);
            rules.run();
            rules.report(report);
            Targets.rules(report, rules);
        }
        if (o.sections.contains("fresh")) {
            StartupSuite startup = new StartupSuite(o.freshCount, o.jvmStarts);
            startup.run();
            startup.report(report);
            Targets.startup(report, startup);
        }
        if (o.sections.contains("memory")) {
            MemorySuite memory = new MemorySuite(o.memoryCount);
            memory.run();
            memory.report(report);
            Targets.memory(report, memory);
        }
        double loadAfter = loadAverage();
        report.preamble(String.format(Locale.ROOT, "- load average (1 min) %.2f before, %.2f after; run took %d s",
                loadBefore, loadAfter, Instant.now().getEpochSecond() - started.getEpochSecond()));
        System.out.println();
        System.out.println(report.render());
    }

    static void progress(String format, Object... args) {
        System.err.println("[bench] " + String.format(Locale.ROOT, format, args));
    }

    static void trace(String format, Object... args) {
        if (tracing) {
            progress(format, args);
        }
    }

    /** sys.version of a plain context on the shared engine, e.g. "3.12.8 (...) [Graal, GraalVM CE, Java 25.0.3 (amd64)]". */
    private static String graalPyVersion() {
        try (org.graalvm.polyglot.Context c = org.graalvm.polyglot.Context.newBuilder("python")
                .engine(ConfinedContextFactory.engine()).allowHostAccess(org.graalvm.polyglot.HostAccess.NONE).build()) {
            String jar = org.graalvm.polyglot.Engine.class.getProtectionDomain().getCodeSource().getLocation().getPath();
            return "Python " + c.eval("python", "__import__('sys').version.replace('\\n', ' ')").asString()
                    + " (polyglot jar " + jar.substring(jar.lastIndexOf('/') + 1) + ")";
        } catch (RuntimeException e) {
            return "unknown (" + e + ")";
        }
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String memoryTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.1f GB", kb / (1024.0 * 1024.0));
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux: report what the JVM knows
        }
        return "? GB";
    }

    /** Command-line options; --quick shrinks every count for a smoke run whose numbers are not for the record. */
    static final class Options {
        boolean quick;
        boolean trace;
        List<String> sections = List.of("kernels", "rules", "fresh", "memory");
        List<String> kernels = new ArrayList<>(KernelSuite.KERNELS.keySet());
        int warmup = 15;
        int timed = 10;
        double ruleSeconds = 5;
        int freshCount = 30;
        int jvmStarts = 5;
        int memoryCount = 10;
        String python = "python3";
        Clock clock = Clock.WALL;

        static Options parse(String[] args) {
            Options o = new Options();
            for (String a : args) {
                if (a.equals("--quick")) {
                    o.quick = true;
                    o.warmup = 3;
                    o.timed = 3;
                    o.ruleSeconds = 1;
                    o.freshCount = 5;
                    o.jvmStarts = 1;
                    o.memoryCount = 3;
                }
            }
            for (String a : args) {
                String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : "";
                if (a.equals("--quick")) {
                    continue;
                } else if (a.equals("--trace")) {
                    o.trace = true;
                } else if (a.startsWith("--sections=")) {
                    o.sections = Arrays.asList(value.split(","));
                } else if (a.startsWith("--kernels=")) {
                    o.kernels = Arrays.asList(value.split(","));
                } else if (a.startsWith("--warmup=")) {
                    o.warmup = Integer.parseInt(value);
                } else if (a.startsWith("--timed=")) {
                    o.timed = Integer.parseInt(value);
                } else if (a.startsWith("--rule-seconds=")) {
                    o.ruleSeconds = Double.parseDouble(value);
                } else if (a.startsWith("--fresh=")) {
                    o.freshCount = Integer.parseInt(value);
                } else if (a.startsWith("--jvm-starts=")) {
                    o.jvmStarts = Integer.parseInt(value);
                } else if (a.startsWith("--memory=")) {
                    o.memoryCount = Integer.parseInt(value);
                } else if (a.startsWith("--clock=")) {
                    o.clock = Clock.valueOf(value.toUpperCase(Locale.ROOT));
                } else if (a.startsWith("--python=")) {
                    o.python = value;
                } else {
                    throw new IllegalArgumentException("unknown option " + a + "; see the Bench class comment or BENCHMARKS.md");
                }
            }
            return o;
        }
    }
}
