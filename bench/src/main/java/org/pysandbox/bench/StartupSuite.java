package org.pysandbox.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
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
    final List<String> notes = new ArrayList<>();

    StartupSuite(int count, int jvmStarts) {
        this.count = count;
        this.jvmStarts = jvmStarts;
    }

    void run() throws Exception {
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
        jitStartMillis = jvmStarts(true);
        interpretedStartMillis = jvmStarts(false);
        Bench.progress("JVM start -> 1+1: JIT %s, interpreter-only %s", Report.ms(Stats.median(jitStartMillis)),
                Report.ms(Stats.median(interpretedStartMillis)));
    }

    private void awaitPool(SandboxConfig config) throws InterruptedException {
        InterpreterPool.prewarm(config); // drain() below forgets the configuration; ask for it again
        if (!InterpreterPool.awaitFull(config, Duration.ofMinutes(2)) && notes.stream().noneMatch(n -> n.startsWith("pool"))) {
            notes.add("pool not full after waiting 2 minutes (" + InterpreterPool.ready(config) + " of "
                    + InterpreterPool.size() + " ready): some pool rows include pool misses");
        }
    }

    private static void check(Object two) {
        if (!Long.valueOf(2).equals(two) && !Integer.valueOf(2).equals(two)) {
            throw new IllegalStateException("1+1 gave " + two);
        }
    }

    /** Launches the command line ({@code pysandbox -f stdout -c "print(1+1)"}) and times until its "2" arrives. */
    private double[] jvmStarts(boolean jit) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>();
        command.add(java);
        if (jit) {
            command.addAll(List.of("-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI",
                    "--upgrade-module-path=" + System.getProperty("bench.compiler.dir", "target/graal-compiler")));
        }
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-Dpysandbox.quietInterpreterWarning=true",
                "-cp", System.getProperty("java.class.path"), "org.pysandbox.cli.Main", "-f", "stdout", "-c", "print(1+1)"));
        double[] millis = new double[jvmStarts];
        for (int i = 0; i < jvmStarts; i++) {
            long start = System.nanoTime();
            // stdout carries only the result; the JVM's and the library's warnings go to stderr.
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String first;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                first = r.readLine();
                millis[i] = (System.nanoTime() - start) / 1e6;
                while (r.readLine() != null) {
                    // drain
                }
            }
            p.waitFor(1, TimeUnit.MINUTES);
            if (!"2".equals(first)) {
                notes.add("one-shot JVM (" + (jit ? "JIT" : "interpreter-only") + ") printed '" + first + "' instead of 2");
                millis[i] = Double.NaN;
            }
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
        Report.row(s, "JVM start -> first result of the CLI (pysandbox -f stdout -c 'print(1+1)') with the Graal JIT", String.valueOf(jitStartMillis.length),
                Report.ms(Stats.median(jitStartMillis)), Report.ms(Stats.percentile(jitStartMillis, 99)), Report.ms(Stats.percentile(jitStartMillis, 0)));
        Report.row(s, "JVM start -> first result of the CLI, interpreter-only", String.valueOf(interpretedStartMillis.length),
                Report.ms(Stats.median(interpretedStartMillis)), Report.ms(Stats.percentile(interpretedStartMillis, 99)),
                Report.ms(Stats.percentile(interpretedStartMillis, 0)));
        Report.note(s, "Engine warm (one sandbox evaluated before). Pool rows wait until the background-filled pool "
                + "(pysandbox.pool.size, default 2) is full before each timing; the pool-miss row uses a configuration "
                + "not asked for before (another recursion limit), so its interpreter is made on the caller's thread.");
        Report.note(s, "CLI runs: org.pysandbox.cli.Main on the harness's class path, as bin/pysandbox starts it, timed "
                + "from process start to the printed line (the CLI makes no pool: one process, one sandbox).");
        notes.forEach(n -> Report.note(s, n));
    }
}
