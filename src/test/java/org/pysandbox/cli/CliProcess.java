package org.pysandbox.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code pysandbox} command as a separate JVM (this JDK, this test's class path and JIT
 * options), feeding stdin and capturing stdout, stderr and the exit status.
 */
final class CliProcess {
    private static final Duration LIMIT = Duration.ofMinutes(3);

    record Result(int status, String stdout, String stderr, Duration elapsed) {
        @Override
        public String toString() {
            return "status " + status + " after " + elapsed.toMillis() + " ms\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private CliProcess() {
    }

    static Result run(String stdin, String... args) throws IOException, InterruptedException {
        return run(List.of(), stdin, args);
    }

    /** As {@link #run(String, String...)}, with extra JVM options (what PYSANDBOX_JAVA_OPTS adds). */
    static Result run(List<String> jvmOptions, String stdin, String... args) throws IOException, InterruptedException {
        return run(jvmOptions, Map.of(), stdin, args);
    }

    /** As {@link #run(List, String, String...)}, with extra environment variables. */
    static Result run(List<String> jvmOptions, Map<String, String> environment, String stdin, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // As bin/pysandbox starts it by default: interpreter-only with C1, which starts fastest.
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss8m",
                "--enable-native-access=ALL-UNNAMED", "-Dpolyglot.engine.WarnInterpreterOnly=false",
                "-Dpysandbox.quietInterpreterWarning=true", "-Dpysandbox.worker.jit=false",
                "-Dpysandbox.process.pool.size=0"));
        if (Runtime.version().feature() >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow"); // as bin/pysandbox: quiet Truffle's Unsafe warning
        }
        command.add("-Xmx1g");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        File out = Files.createTempFile("pysandbox-cli", ".out").toFile();
        File err = Files.createTempFile("pysandbox-cli", ".err").toFile();
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out).redirectError(err);
            builder.environment().putAll(environment);
            long start = System.nanoTime();
            Process process = builder.start();
            try (var in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            if (!process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("pysandbox " + args + " did not finish within " + LIMIT);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            return new Result(process.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()), elapsed);
        } finally {
            out.delete();
            err.delete();
        }
    }
}
