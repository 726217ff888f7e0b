package org.pysandbox.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a fresh JVM on the harness's class path that runs one {@link BenchChild} job, with the Graal JIT
 * options or as a stock host JVM (interpreter-only), and returns the result lines it printed. Warm-up and
 * start-up can only be measured in a JVM that has run nothing before, and one run of the harness needs
 * numbers from both modes, which one JVM cannot give.
 */
final class ChildJvm {
    /** Child stdout lines that carry results start with this; everything else (and stderr) is passed through as progress. */
    static final String PREFIX = "RESULT\t";

    private ChildJvm() {
    }

    /** The JVM options of a host application with the Graal JIT (BENCHMARKS.md, "JVM options"). */
    static List<String> jitOptions() {
        return List.of("-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI",
                "--upgrade-module-path=" + System.getProperty("bench.compiler.dir", "target/graal-compiler"));
    }

    static String mode(boolean jit) {
        return jit ? "JIT" : "interpreter-only";
    }

    /**
     * Runs {@code BenchChild job args...} and returns its result lines without the prefix. Fails when the child
     * does not finish within the timeout (it is killed) or exits with an error.
     */
    static List<String> run(boolean jit, long timeoutSeconds, String... jobAndArgs) throws Exception {
        return run(jit, List.of(), System.getProperty("java.class.path"), timeoutSeconds, jobAndArgs);
    }

    /** {@link #run(boolean, long, String...)} with more JVM options and another class path. */
    static List<String> run(boolean jit, List<String> moreOptions, String classPath, long timeoutSeconds, String... jobAndArgs)
            throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        if (jit) {
            command.addAll(jitOptions());
        }
        // The same stack, heap and warning settings as bench/run gives the harness itself; nothing else, so the
        // interpreter-only child is what a stock host JVM runs.
        command.addAll(List.of("-Xss8m", "-Xmx3g", "--enable-native-access=ALL-UNNAMED",
                "-Dpysandbox.quietInterpreterWarning=true", "-Dpolyglot.engine.WarnInterpreterOnly=false"));
        if (Runtime.version().feature() >= 23) {
            // Truffle 25.0.x's sun.misc.Unsafe warning, as bin/pysandbox silences it; the option is unknown before 23
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(moreOptions);
        command.addAll(List.of("-cp", classPath, BenchChild.class.getName()));
        command.addAll(List.of(jobAndArgs));
        Bench.progress("child JVM (%s%s): %s", mode(jit), moreOptions.isEmpty() ? "" : " " + String.join(" ", moreOptions),
                String.join(" ", jobAndArgs));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> results = new ArrayList<>();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith(PREFIX)) {
                        synchronized (results) {
                            results.add(line.substring(PREFIX.length()));
                        }
                    } else {
                        System.err.println("[child] " + line);
                    }
                }
            } catch (java.io.IOException ignored) {
                // the child was killed
            }
        });
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException("child JVM (" + String.join(" ", jobAndArgs) + ") did not finish in "
                        + timeoutSeconds + " s");
            }
            reader.join(5000);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("child JVM (" + String.join(" ", jobAndArgs) + ") exited with " + p.exitValue());
            }
        } finally {
            p.destroyForcibly();
        }
        synchronized (results) {
            return new ArrayList<>(results);
        }
    }
}
