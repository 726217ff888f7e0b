package org.pysandbox.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptEngineManager;

import org.pysandbox.Sandbox;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.limits.InterpreterPool;

/**
 * Fresh-sandbox latency: {@code new Sandbox(config)} to the first result of a trivial script, in a JVM
 * whose engine is already warm; and JVM start to first result of a one-shot {@code java} process.
 */
final class StartupSuite {
    private final int count;
    private final int jvmStarts;
    double[] freshMillis = new double[0];
    double[] engineMillis = new double[0];
    double[] noPoolMillis = new double[0];
    double[] jitStartMillis = new double[0];
    double[] interpretedStartMillis = new double[0];
    /** The CLI's first run, which may build the jar and make the AOT cache (not timed with the others). */
    double cliFirstRunMillis = Double.NaN;
    /** Fresh sandboxes from the pool in a young child JVM, by mode (true = JIT), and that JVM's first eval. */
    final Map<Boolean, double[]> youngMillis = new LinkedHashMap<>();
    final Map<Boolean, Double> youngFirstEvalMillis = new LinkedHashMap<>();
    final Map<Boolean, String> youngAge = new LinkedHashMap<>();
    /**
     * A host's first eval with the recipe of docs/operations.md (an AOT cache made by one training run of the
     * host), interpreter-only, by variant: the stock tiered JVM, and with C1 only.
     */
    final Map<String, double[]> recipeFirstEvalMillis = new LinkedHashMap<>();
    static final String RECIPE_TIERED = "AOT cache";
    static final String RECIPE_C1 = "AOT cache and -XX:TieredStopAtLevel=1";
    final List<String> notes = new ArrayList<>();
    private final Path root;
    private final double jvmAgeSeconds;

    StartupSuite(int count, int jvmStarts, Path root, double jvmAgeSeconds) {
        this.count = count;
        this.jvmStarts = jvmStarts;
        this.root = root;
        this.jvmAgeSeconds = jvmAgeSeconds;
    }

    /** The in-JVM rows: fresh sandboxes, engines and pool misses in this (warm) JVM. */
    void runInJvm() throws Exception {
        SandboxConfig config = SandboxConfig.defaults();
        try (Sandbox warm = new Sandbox(config)) {
            warm.eval("1+1"); // the shared engine and the policy sources are loaded before the first timing
        }
        ScriptEngineFactory factory = new ScriptEngineManager().getEngineFactories().stream()
                .filter(f -> f.getNames().contains("pysandbox")).findFirst().orElse(null);
        freshMillis = new double[count];
        engineMillis = new double[factory == null ? 0 : count];
        noPoolMillis = new double[count];
        for (int i = 0; i < count; i++) {
            // with the pool: a host that creates sandboxes as requests come, not faster than the pool refills
            awaitPool(config);
            long start = System.nanoTime();
            try (Sandbox sandbox = new Sandbox(config)) {
                check(sandbox.eval("1+1"));
                freshMillis[i] = (System.nanoTime() - start) / 1e6;
            }
            if (factory != null) {
                awaitPool(config);
                start = System.nanoTime();
                ScriptEngine engine = factory.getScriptEngine();
                check(engine.eval("1+1"));
                engineMillis[i] = (System.nanoTime() - start) / 1e6;
                ((AutoCloseable) engine).close();
            }
            // without the pool: a configuration asked for the first time (a pool miss) makes its interpreter
            // on the caller's thread; its background refill is dropped again before the next round (drain()
            // closes the pooled interpreters of every configuration, so the next round waits for a refill)
            SandboxConfig unseen = config.toBuilder().recursionLimit(1000 + i).build();
            start = System.nanoTime();
            try (Sandbox sandbox = new Sandbox(unseen)) {
                check(sandbox.eval("1+1"));
                noPoolMillis[i] = (System.nanoTime() - start) / 1e6;
            }
            InterpreterPool.drain();
        }
        if (factory == null) {
            notes.add("no ScriptEngineFactory named 'pysandbox' on the class path: the JSR-223 row is empty");
        }
        Bench.progress("fresh sandbox from the pool p50 %s p99 %s; JSR-223 engine p50 %s; pool miss p50 %s",
                Report.ms(Stats.median(freshMillis)), Report.ms(Stats.percentile(freshMillis, 99)),
                Report.ms(Stats.median(engineMillis)), Report.ms(Stats.median(noPoolMillis)));
    }

    /**
     * The measurements in other processes: the CLI and the young JVMs. Bench runs them before anything else,
     * while its own JVM is idle. In the first full run they came after the in-JVM work and measured the
     * CLI at 9-13 s against 2.3-4.3 s by hand minutes later; another test JVM was running then as well, so
     * how much of that was the harness JVM's own background work (compilation, pool refills) is not known.
     */
    void runChildren() throws Exception {
        interpretedStartMillis = cliStarts(false);
        jitStartMillis = cliStarts(true);
        Bench.progress("bin/pysandbox -c 'print(1+1)': default (interpreter-only, AOT) %s, --jit %s",
                Report.ms(Stats.median(interpretedStartMillis)), Report.ms(Stats.median(jitStartMillis)));
        for (boolean jit : new boolean[] {true, false}) {
            young(jit);
        }
        try {
            recipe();
        } catch (Exception e) {
            notes.add("the AOT cache recipe's host JVMs failed: " + e);
        }
    }

    /**
     * Target 6's recipe for hosts (docs/operations.md, "A host's first evaluation"): one training run with
     * {@code -XX:AOTCacheOutput}, then first evals with {@code -XX:AOTCache}, on a class path of jars only (the
     * cache refuses directories), each JVM doing nothing but its first eval.
     */
    private void recipe() throws Exception {
        if (Runtime.version().feature() < 25) {
            notes.add("the AOT cache recipe needs JDK 25 (this is " + Runtime.version().feature() + "): not measured");
            return;
        }
        Path dir = root.resolve("bench/target/aot");
        Files.createDirectories(dir);
        String classPath = HostJars.classPath(root, dir);
        Path cache = dir.resolve("host-first-eval.aot");
        Files.deleteIfExists(cache);
        // errors only: the cache's maker warns about each class it leaves out (proxies, JFR events, signed jars)
        ChildJvm.run(false, List.of("-XX:AOTCacheOutput=" + cache, "-Xlog:disable", "-Xlog:all=error:stderr"), classPath,
                600, "first-eval");
        if (!Files.isRegularFile(cache)) {
            notes.add("the AOT cache recipe's training run made no cache: not measured");
            return;
        }
        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put(RECIPE_TIERED, List.of("-XX:AOTCache=" + cache));
        variants.put(RECIPE_C1, List.of("-XX:AOTCache=" + cache, "-XX:TieredStopAtLevel=1"));
        for (Map.Entry<String, List<String>> variant : variants.entrySet()) {
            double[] millis = new double[jvmStarts];
            for (int i = 0; i < jvmStarts; i++) {
                millis[i] = Double.NaN;
                for (String line : ChildJvm.run(false, variant.getValue(), classPath, 600, "first-eval")) {
                    if (line.startsWith("first\t")) {
                        millis[i] = Double.parseDouble(line.substring(6));
                    }
                }
            }
            recipeFirstEvalMillis.put(variant.getKey(), millis);
            Bench.progress("host's first eval with %s: p50 %s", variant.getKey(), Report.ms(Stats.median(millis)));
        }
    }

    /**
     * Fresh sandboxes from the pool in a JVM that is only {@code jvmAgeSeconds} old (issue 13, target 6): the
     * in-JVM rows above come after minutes of kernels and rules, when everything is compiled.
     */
    private void young(boolean jit) {
        try {
            List<String> lines = ChildJvm.run(jit, 600, "young-fresh", String.valueOf(count), String.valueOf(jvmAgeSeconds));
            for (String line : lines) {
                String[] f = line.split("\t");
                switch (f[0]) {
                    case "first" -> youngFirstEvalMillis.put(jit, Double.parseDouble(f[1]));
                    case "age" -> youngAge.put(jit, f[1] + "-" + f[2] + " s");
                    case "fresh" -> youngMillis.put(jit, java.util.Arrays.stream(f).skip(1).mapToDouble(Double::parseDouble).toArray());
                    case "note" -> notes.add(ChildJvm.mode(jit) + " child: " + f[1]);
                    default -> { }
                }
            }
        } catch (Exception e) {
            notes.add("young JVM (" + ChildJvm.mode(jit) + ") failed: " + e);
        }
        Bench.progress("young JVM (%s): first eval %s after JVM start; fresh sandbox p50 %s", ChildJvm.mode(jit),
                Report.ms(youngFirstEvalMillis.getOrDefault(jit, Double.NaN)), Report.ms(Stats.median(youngSamples(jit))));
    }

    private double[] youngSamples(boolean jit) {
        return youngMillis.getOrDefault(jit, new double[0]);
    }

    /**
     * Runs in the child JVM: the host's first eval (new Sandbox(defaults) + eval("1+1"), timed from JVM start),
     * then, once the JVM is ageSeconds old, count fresh sandboxes from the full pool.
     */
    static List<String> youngChild(int count, double ageSeconds) throws Exception {
        java.lang.management.RuntimeMXBean runtime = java.lang.management.ManagementFactory.getRuntimeMXBean();
        SandboxConfig config = SandboxConfig.defaults();
        long firstEval = firstEval();
        long wait = (long) (ageSeconds * 1000) - runtime.getUptime();
        if (wait > 0) {
            Thread.sleep(wait);
        }
        List<String> lines = new ArrayList<>();
        double ageStart = runtime.getUptime() / 1000.0;
        StringBuilder fresh = new StringBuilder("fresh");
        for (int i = 0; i < count; i++) {
            if (!awaitFull(config)) {
                lines.add("note\tpool not full after 2 minutes in round " + i + ": that round includes a pool miss");
            }
            long start = System.nanoTime();
            try (Sandbox sandbox = new Sandbox(config)) {
                check(sandbox.eval("1+1"));
                fresh.append('\t').append((System.nanoTime() - start) / 1e6);
            }
        }
        lines.add("first\t" + firstEval);
        lines.add(String.format(java.util.Locale.ROOT, "age\t%.1f\t%.1f", ageStart, runtime.getUptime() / 1000.0));
        lines.add(fresh.toString());
        return lines;
    }

    /** A host's first eval, new Sandbox(defaults) + eval("1+1"), in ms since the JVM's start. */
    static long firstEval() throws Exception {
        long started = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        try (Sandbox first = new Sandbox(SandboxConfig.defaults())) {
            check(first.eval("1+1"));
        }
        return System.currentTimeMillis() - started;
    }

    /** Asks the pool for the configuration and waits until it is full; false after 2 minutes. */
    private static boolean awaitFull(SandboxConfig config) throws InterruptedException {
        InterpreterPool.prewarm(config); // drain() below forgets the configuration; ask for it again
        return InterpreterPool.awaitFull(config, Duration.ofMinutes(2));
    }

    private void awaitPool(SandboxConfig config) throws InterruptedException {
        if (!awaitFull(config) && notes.stream().noneMatch(n -> n.startsWith("pool"))) {
            notes.add("pool not full after waiting 2 minutes (" + InterpreterPool.ready(config) + " of "
                    + InterpreterPool.size() + " ready): some pool rows include pool misses");
        }
    }

    private static void check(Object two) {
        if (!Long.valueOf(2).equals(two) && !Integer.valueOf(2).equals(two)) {
            throw new IllegalStateException("1+1 gave " + two);
        }
    }

    /**
     * Runs {@code bin/pysandbox [--jit] -f stdout -c 'print(1+1)'} as a user does (the script picks the JDK,
     * checks the jar, uses or makes its AOT cache) and times from process start until its "2" arrives. The
     * first run of the default mode is not timed: it is the one that may build the jar or make the cache.
     */
    private double[] cliStarts(boolean jit) throws Exception {
        List<String> command = new ArrayList<>(List.of(root.resolve("bin/pysandbox").toString()));
        if (jit) {
            command.add("--jit");
        }
        command.addAll(List.of("-f", "stdout", "-c", "print(1+1)"));
        if (!jit) {
            File log = File.createTempFile("pysandbox-cli", ".log");
            cliFirstRunMillis = cliRun(command, log);
            List<String> said = Files.readAllLines(log.toPath()).stream()
                    .filter(l -> l.startsWith("pysandbox:")).toList();
            notes.add("First (untimed) run of bin/pysandbox: " + Report.ms(cliFirstRunMillis)
                    + (said.isEmpty() ? ", no build and no cache to make (both existed)" : "; it said: " + String.join(" / ", said)));
            log.delete();
        }
        double[] millis = new double[jvmStarts];
        for (int i = 0; i < jvmStarts; i++) {
            millis[i] = cliRun(command, null);
        }
        return millis;
    }

    private double cliRun(List<String> command, File stderr) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile())
                .redirectError(stderr == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(stderr));
        // as a user with a plain shell runs it: no extra JVM options, the AOT cache on
        pb.environment().remove("PYSANDBOX_JAVA_OPTS");
        pb.environment().remove("PYSANDBOX_AOT");
        long start = System.nanoTime();
        Process p = pb.start();
        String first;
        double millis;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            first = r.readLine();
            millis = (System.nanoTime() - start) / 1e6;
            while (r.readLine() != null) {
                // drain
            }
        }
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        if (!"2".equals(first)) {
            notes.add(String.join(" ", command.subList(1, command.size())) + " printed '" + first + "' instead of 2");
            return Double.NaN;
        }
        return millis;
    }

    void report(Report report) {
        Report.Section s = report.section("Start-up latency", "what", "runs", "p50", "p99", "min");
        Report.row(s, "new Sandbox(defaults) -> first result of 1+1, interpreter from the pool", String.valueOf(freshMillis.length),
                Report.ms(Stats.median(freshMillis)), Report.ms(Stats.percentile(freshMillis, 99)), Report.ms(Stats.percentile(freshMillis, 0)));
        Report.row(s, "factory.getScriptEngine() -> first eval(\"1+1\"), interpreter from the pool", String.valueOf(engineMillis.length),
                Report.ms(Stats.median(engineMillis)), Report.ms(Stats.percentile(engineMillis, 99)), Report.ms(Stats.percentile(engineMillis, 0)));
        Report.row(s, "new Sandbox(unseen configuration) -> first result of 1+1, no pooled interpreter", String.valueOf(noPoolMillis.length),
                Report.ms(Stats.median(noPoolMillis)), Report.ms(Stats.percentile(noPoolMillis, 99)), Report.ms(Stats.percentile(noPoolMillis, 0)));
        Report.row(s, "bin/pysandbox -f stdout -c 'print(1+1)': process start -> \"2\" (default: interpreter-only, C1, AOT cache)",
                String.valueOf(interpretedStartMillis.length), Report.ms(Stats.median(interpretedStartMillis)),
                Report.ms(Stats.percentile(interpretedStartMillis, 99)), Report.ms(Stats.percentile(interpretedStartMillis, 0)));
        Report.row(s, "bin/pysandbox --jit -f stdout -c 'print(1+1)': process start -> \"2\"", String.valueOf(jitStartMillis.length),
                Report.ms(Stats.median(jitStartMillis)), Report.ms(Stats.percentile(jitStartMillis, 99)), Report.ms(Stats.percentile(jitStartMillis, 0)));
        for (boolean jit : new boolean[] {true, false}) {
            double[] young = youngSamples(jit);
            Report.row(s, "new Sandbox(defaults) -> 1+1 from the pool in a fresh " + ChildJvm.mode(jit) + " JVM aged "
                    + youngAge.getOrDefault(jit, "?"), String.valueOf(young.length), Report.ms(Stats.median(young)),
                    Report.ms(Stats.percentile(young, 99)), Report.ms(Stats.percentile(young, 0)));
        }
        for (boolean jit : new boolean[] {true, false}) {
            Report.row(s, "host's first eval: JVM start -> new Sandbox(defaults).eval(\"1+1\"), " + ChildJvm.mode(jit)
                    + (jit ? "" : " (stock JVM, no options)"), youngFirstEvalMillis.containsKey(jit) ? "1" : "0",
                    Report.ms(youngFirstEvalMillis.getOrDefault(jit, Double.NaN)), "", "");
        }
        recipeFirstEvalMillis.forEach((variant, millis) -> Report.row(s, "host's first eval, interpreter-only, with the "
                + "docs/operations.md recipe: " + variant, String.valueOf(millis.length), Report.ms(Stats.median(millis)),
                Report.ms(Stats.percentile(millis, 99)), Report.ms(Stats.percentile(millis, 0))));
        Report.note(s, "Engine warm (one sandbox evaluated before). Pool rows wait until the background-filled pool "
                + "(pysandbox.pool.size, default 2) is full before each timing; the pool-miss row uses a configuration "
                + "not asked for before (another recursion limit), so its interpreter is made on the caller's thread.");
        Report.note(s, "CLI rows: bin/pysandbox itself (JDK choice, jar check, AOT cache), timed from process start "
                + "to the printed line, after one untimed run. Young-JVM rows: a child JVM makes its first sandbox, "
                + "waits until it is " + jvmAgeSeconds + " s old, then times fresh sandboxes with the pool full before each. "
                + "Recipe rows: one training run with -XX:AOTCacheOutput, then JVMs that only make their first eval, "
                + "on a class path of jars (HostJars).");
        notes.forEach(n -> Report.note(s, n));
    }
}
