package org.pysandbox.bench;

import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.pysandbox.Sandbox;
import org.pysandbox.config.Isolation;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.policy.JitStatus;

/**
 * One row of the process-mode table (issue 12): a kernel and the small rule through {@link Sandbox},
 * with the isolation given, in whatever JVM this runs in (bench/run-process starts it with and without
 * the JIT options). Prints one Markdown row.
 *
 * <pre>ProcessModeBench context|process kernel.py n warmupCalls timedCalls ruleSeconds label</pre>
 */
public final class ProcessModeBench {
    private ProcessModeBench() {
    }

    public static void main(String[] args) throws Exception {
        Isolation isolation = Isolation.parse(args[0]);
        Path kernel = Path.of(args[1]);
        int n = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        int timed = Integer.parseInt(args[4]);
        double ruleSeconds = Double.parseDouble(args[5]);
        String label = args[6];
        SandboxConfig config = SandboxConfig.builder().timeout(Duration.ofMinutes(5)).isolation(isolation).build();
        try (Sandbox sandbox = new Sandbox(config).setOut(Writer.nullWriter())) {
            long t0 = System.nanoTime();
            sandbox.eval("1");
            double firstMillis = (System.nanoTime() - t0) / 1e6;
            Map<String, Object> globals = new HashMap<>();
            sandbox.execute(Files.readString(kernel), globals);
            for (int i = 0; i < warmup; i++) {
                sandbox.call("bench", globals, n);
            }
            List<Double> kernelMillis = new ArrayList<>();
            for (int i = 0; i < timed; i++) {
                long s = System.nanoTime();
                sandbox.call("bench", globals, n);
                kernelMillis.add((System.nanoTime() - s) / 1e6);
            }
            rule(sandbox, ruleSeconds); // warm-up
            double[] rule = rule(sandbox, ruleSeconds);
            String runtime = isolation == Isolation.PROCESS ? "worker JVM (JIT options from the library)"
                    : JitStatus.describe();
            System.out.printf("| %s | %s | %.1f | %.0f | %.3f | %.0f |%n", label, runtime, median(kernelMillis), rule[0],
                    rule[1], firstMillis);
        }
    }

    /** Evaluations per second and median ms of {@code amount > limit and country in allowed}, fresh bindings each. */
    private static double[] rule(Sandbox sandbox, double seconds) throws Exception {
        List<Double> millis = new ArrayList<>();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        int i = 0;
        while (System.nanoTime() < end) {
            Map<String, Object> bindings = new HashMap<>();
            bindings.put("amount", 100 + (i % 50));
            bindings.put("limit", 120);
            bindings.put("country", i % 3 == 0 ? "FR" : "DE");
            bindings.put("allowed", List.of("DE", "AT", "CH"));
            long s = System.nanoTime();
            sandbox.eval(RuleSuite.RULE, bindings);
            millis.add((System.nanoTime() - s) / 1e6);
            i++;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new double[] {millis.size() / elapsed, median(millis)};
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
