package org.pysandbox.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Busy processes beside a measurement (issue 13, target 3: "2 busy processes per core"): each is a shell
 * spinning in {@code while :; do :; done}, so it takes a whole core whenever the scheduler lets it and
 * does no I/O. They are killed by {@link #close()}, by a shutdown hook if the harness is interrupted, and
 * by bench/run's exit trap from the PID file if the JVM dies without running its hooks.
 */
final class LoadGenerator implements AutoCloseable {
    private final List<Process> processes = new ArrayList<>();
    private final Path pidFile;
    private final Thread hook = new Thread(this::kill, "load-generator-cleanup");

    LoadGenerator(int perCore, Path pidFile) throws IOException {
        this.pidFile = pidFile;
        Runtime.getRuntime().addShutdownHook(hook);
        int count = perCore * Runtime.getRuntime().availableProcessors();
        try {
            for (int i = 0; i < count; i++) {
                processes.add(new ProcessBuilder("sh", "-c", "while :; do :; done")
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start());
            }
            Files.createDirectories(pidFile.getParent());
            Files.write(pidFile, processes.stream().map(p -> String.valueOf(p.pid())).toList());
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        Bench.progress("load: %d busy processes started (%d per core), pids %s", count, perCore,
                processes.stream().map(p -> String.valueOf(p.pid())).toList());
    }

    int count() {
        return processes.size();
    }

    private void kill() {
        processes.forEach(Process::destroyForcibly);
        for (Process p : processes) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException ignored) {
            // bench/run's trap only kills PIDs that are still there
        }
    }

    @Override
    public void close() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // already shutting down: the hook runs anyway
        }
        Bench.progress("load: busy processes stopped");
    }
}
