package org.pysandbox.isolation;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One worker JVM: the running JDK's {@code bin/java} with the host's class path, a hard {@code -Xmx},
 * the Graal JIT flags if the host was started with them, and {@link WorkerMain}. It exits on its first
 * OutOfMemoryError, so a tenant that exhausts its heap kills only its own worker.
 */
final class WorkerProcess {
    /** Exit code of a worker that ran out of heap ({@code -XX:+ExitOnOutOfMemoryError}). */
    static final int OUT_OF_MEMORY_EXIT = 3;
    private static final AtomicLong IDS = new AtomicLong(ProcessHandle.current().pid() << 20);

    final long id = IDS.incrementAndGet();
    final String heap;
    private final Process process;
    final DataInputStream in;
    final DataOutputStream out;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();

    WorkerProcess(String heap) throws IOException {
        this.heap = heap;
        ProcessBuilder builder = new ProcessBuilder(command(heap, id));
        builder.redirectError(Boolean.getBoolean("pysandbox.process.workerLog") ? ProcessBuilder.Redirect.INHERIT
                : ProcessBuilder.Redirect.DISCARD);
        this.process = builder.start();
        this.in = new DataInputStream(new BufferedInputStream(process.getInputStream()));
        this.out = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()));
        Thread waiter = new Thread(() -> {
            try {
                Frames.Frame hello = Frames.read(in);
                if (hello.type() != Frames.HELLO) {
                    throw new IOException("worker said " + (char) hello.type() + " instead of hello");
                }
                ready.complete(null);
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
        }, "pysandbox-worker-start-" + id);
        waiter.setDaemon(true);
        waiter.start();
    }

    static List<String> command(String heap, long id) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", isWindows() ? "java.exe" : "java").toString());
        cmd.add("-Xmx" + heap);
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        cmd.add("-Xshare:auto");
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.equals("-XX:+UnlockExperimentalVMOptions") || arg.equals("-XX:+EnableJVMCI")
                    || arg.startsWith("--upgrade-module-path") || arg.startsWith("--enable-native-access")
                    || arg.startsWith("-Dpolyglot.") || arg.startsWith("-Xss")) {
                cmd.add(arg);
            }
        }
        for (Map.Entry<Object, Object> e : System.getProperties().entrySet()) {
            String key = String.valueOf(e.getKey());
            if (key.startsWith("pysandbox.") && !key.startsWith("pysandbox.pool") && !key.startsWith("pysandbox.process")) {
                cmd.add("-D" + key + "=" + e.getValue());
            }
        }
        cmd.add("-Dpysandbox.pool.size=1"); // a spare interpreter replaces a cancelled one at once
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(WorkerMain.class.getName());
        cmd.add(Long.toString(id));
        return cmd;
    }

    private static boolean isWindows() {
        return File.separatorChar == '\\';
    }

    /** Waits until the worker has warmed up. */
    void awaitReady(long millis) throws IOException {
        try {
            ready.get(millis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            kill();
            throw new IOException("the worker process did not start within " + millis + " ms");
        } catch (java.util.concurrent.ExecutionException e) {
            kill();
            throw new IOException("the worker process failed to start: " + e.getCause().getMessage()
                    + exitDescription());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a worker process");
        }
    }

    /** Waits for the worker's acknowledgement that it made the tenant's interpreter. */
    void awaitConfigured(long millis) throws IOException {
        CompletableFuture<Frames.Frame> ack = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                ack.complete(Frames.read(in));
            } catch (IOException e) {
                ack.completeExceptionally(e);
            }
        }, "pysandbox-worker-configure-" + id);
        t.setDaemon(true);
        t.start();
        try {
            Frames.Frame frame = ack.get(millis, TimeUnit.MILLISECONDS);
            if (frame.type() != Frames.HELLO) {
                throw new IOException("worker answered " + (char) frame.type() + " to its configuration");
            }
        } catch (java.util.concurrent.TimeoutException e) {
            kill();
            throw new IOException("the worker process did not take its configuration within " + millis + " ms");
        } catch (java.util.concurrent.ExecutionException e) {
            kill();
            throw new IOException("the worker process failed while configuring: " + e.getCause().getMessage()
                    + exitDescription());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new IOException("interrupted while configuring a worker process");
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    void kill() {
        process.destroyForcibly();
    }

    /** Waits briefly for a dying worker and tells its exit code, or -1. */
    int exitCode() {
        try {
            if (process.waitFor(2, TimeUnit.SECONDS)) {
                return process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    private String exitDescription() {
        return process.isAlive() ? "" : " (exit code " + process.exitValue() + ")";
    }

    long pid() {
        return process.pid();
    }
}
