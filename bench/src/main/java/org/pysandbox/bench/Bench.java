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
 * The benchmark harness of issues 5 and 13: kernels, small rules (quiet, interpreter-only, under load),
 * warm-up in fresh JVMs, start-up, engine-per-call and memory, all from one run of {@code bench/run}, printed
 * as one report that ends with the targets. Run it through {@code bench/run}.
 *
 * <pre>
 * bench/run [--interpreter] [--quick] [--sections=warmup,interpreted,kernels,rules,load,engines,fresh,memory]
 *           [--kernels=nbody,parser,...] [--warmup=N] [--kernel-warmup-seconds=S] [--kernel-jvms=J] [--timed=N]
 *           [--rule-seconds=S] [--load=N]
 *           [--warmup-seconds=S] [--jvm-age=S] [--engine-calls=N] [--clock=wall|cpu] [--trace]
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
        // The mode is what the JVM was started with (bench/run --interpreter leaves the JIT options out); the
        // engine's implementation name below confirms it.
        boolean jitOptions = ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:+EnableJVMCI");

        // Child-JVM sections first, while this JVM has done nothing yet: its own JIT compilations would take
        // one of the two cores from a child that is timing its warm-up.
        WarmupSuite warmup = null;
        if (o.sections.contains("warmup")) {
            warmup = new WarmupSuite(o.warmupSeconds);
            warmup.run();
        }
        RuleSuite interpreted = null;
        if (o.sections.contains("interpreted")) {
            interpreted = new RuleSuite(o.ruleSeconds, RuleSuite.rows(RuleSuite.SANDBOX_JSR223, RuleSuite.RAW, RuleSuite.JYTHON),
                    new int[] {1, 2}, "");
            try {
                interpreted.parse(ChildJvm.run(false, 600 + (long) (o.ruleSeconds * 20), "rules", String.valueOf(o.ruleSeconds)));
            } catch (Exception e) {
                interpreted.notes.add("the interpreter-only child JVM failed: " + e);
            }
        }

        StartupSuite startup = null;
        if (o.sections.contains("fresh")) {
            startup = new StartupSuite(o.freshCount, o.jvmStarts, benchDir.getParent(), o.jvmAgeSeconds);
            startup.runChildren(); // the CLI and young JVMs; the in-JVM rows come later
        }

        Engine engine = ConfinedContextFactory.engine();
        String jit = engine.getImplementationName();
        boolean compiled = !"Interpreted".equalsIgnoreCase(jit);
        report.preamble("# pysandbox benchmarks");
        report.preamble("");
        report.preamble("- started " + started.truncatedTo(ChronoUnit.SECONDS) + ", mode " + (o.quick ? "QUICK (not for the record)" : "full")
                + "; harness JVM " + (compiled ? "with the Graal JIT options" : "WITHOUT the JIT options (interpreter-only, --interpreter)")
                + (compiled == jitOptions ? "" : " [JVM options and engine disagree: check the compiler jars]"));
        report.preamble("- options: " + (args.length == 0 ? "(none)" : String.join(" ", args)));
        report.preamble("- machine: " + Runtime.getRuntime().availableProcessors() + " cores, "
                + memoryTotal() + " RAM, " + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        report.preamble("- JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + ", max heap " + Report.mb(Runtime.getRuntime().maxMemory()));
        report.preamble("- GraalPy: " + graalPyVersion() + "; Truffle runtime: " + jit
                + (compiled ? " (Graal JIT on)" : " (JIT OFF: interpreter only)"));
        report.preamble("- peers: " + PythonVersions.cpython(o.python) + "; " + PythonVersions.jython());

        if (warmup != null) {
            warmup.report(report);
        }
        if (interpreted != null) {
            interpreted.report(report, String.format(Locale.ROOT, "Small rule in a stock host JVM (interpreter-only child JVM, "
                    + "no JIT options), %.0f s warm-up + %.0f s measured per engine, the engines taking turns in %d-ms slices",
                    o.ruleSeconds, o.ruleSeconds, RuleSuite.SLICE_MILLIS));
        }
        KernelSuite kernels = null;
        if (o.sections.contains("kernels")) {
            kernels = new KernelSuite(benchDir, o.warmup, o.kernelWarmupSeconds, o.timed, o.python, o.clock, o.kernelJvms, jitOptions);
            kernels.run(o.kernels);
            kernels.report(report);
        }
        RuleSuite rules = null;
        if (o.sections.contains("rules")) {
            rules = new RuleSuite(o.ruleSeconds).run();
            rules.report(report);
        }
        LoadSuite load = null;
        if (o.sections.contains("load") && o.loadPerCore > 0) {
            load = new LoadSuite(o.ruleSeconds, o.loadPerCore, rules, benchDir.resolve("target/load.pids"));
            load.run();
            load.report(report);
        }
        EnginePerCallSuite engines = null;
        if (o.sections.contains("engines")) {
            engines = new EnginePerCallSuite(o.engineCalls);
            engines.run();
            engines.report(report);
        }
        if (startup != null) {
            startup.runInJvm();
            startup.report(report);
        }
        MemorySuite memory = null;
        if (o.sections.contains("memory")) {
            memory = new MemorySuite(o.memoryCount);
            memory.run();
            memory.report(report);
        }

        // Target 2 in an interpreter-only run comes from its own rules section when no child measured it.
        RuleSuite stockHost = interpreted != null ? interpreted : compiled ? null : rules;
        Targets.rulesWithJit(report, rules, compiled);
        Targets.rulesInterpreted(report, stockHost, stockHost == interpreted ? "interpreter-only child JVM" : "this interpreter-only run");
        Targets.underLoad(report, load);
        Targets.warmup(report, warmup);
        Targets.kernels(report, kernels, compiled);
        Targets.startup(report, startup, memory);
        Targets.enginePerCall(report, engines);

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
        List<String> sections = List.of("warmup", "interpreted", "kernels", "rules", "load", "engines", "fresh", "memory");
        List<String> kernels = new ArrayList<>(KernelSuite.KERNELS.keySet());
        int warmup = 15;
        /** Minimum warm-up time per kernel and runtime in this JVM (calls alone do not warm up a 1-ms kernel). */
        double kernelWarmupSeconds = 5;
        /** Fresh JVMs per kernel for the pysandbox / raw GraalPy pair (0: in the harness JVM); see KernelSuite. */
        int kernelJvms = 3;
        int timed = 10;
        double ruleSeconds = 5;
        int freshCount = 30;
        int jvmStarts = 5;
        int memoryCount = 10;
        /** Busy processes per core beside the under-load rules (issue 13: 2); 0 skips that section. */
        int loadPerCore = 2;
        /** Length of each warm-up curve in a fresh JVM. */
        int warmupSeconds = 60;
        /** Age of the young JVM in which fresh sandboxes are timed (issue 13: 10 s). */
        double jvmAgeSeconds = 10;
        /** Evaluations per thread in the engine-per-call rows with a tenant (a tenth of it without). */
        int engineCalls = 200;
        String python = "python3";
        Clock clock = Clock.WALL;

        static Options parse(String[] args) {
            Options o = new Options();
            for (String a : args) {
                if (a.equals("--quick")) {
                    o.quick = true;
                    o.warmup = 3;
                    o.kernelWarmupSeconds = 0;
                    o.kernelJvms = 1;
                    o.timed = 3;
                    o.ruleSeconds = 1;
                    o.freshCount = 5;
                    o.jvmStarts = 1;
                    o.memoryCount = 3;
                    o.warmupSeconds = 10;
                    o.engineCalls = 20;
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
                } else if (a.startsWith("--kernel-warmup-seconds=")) {
                    o.kernelWarmupSeconds = Double.parseDouble(value);
                } else if (a.startsWith("--kernel-jvms=")) {
                    o.kernelJvms = Integer.parseInt(value);
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
                } else if (a.startsWith("--load=")) {
                    o.loadPerCore = Integer.parseInt(value);
                } else if (a.startsWith("--warmup-seconds=")) {
                    o.warmupSeconds = Integer.parseInt(value);
                } else if (a.startsWith("--jvm-age=")) {
                    o.jvmAgeSeconds = Double.parseDouble(value);
                } else if (a.startsWith("--engine-calls=")) {
                    o.engineCalls = Integer.parseInt(value);
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
