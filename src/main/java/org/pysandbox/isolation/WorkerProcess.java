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
 * the Graal JIT options (unless {@value #JIT_PROPERTY} is {@code false}: the library finds the compiler jars
 * itself, see {@link CompilerPath}), and {@link WorkerMain}. It exits on its first OutOfMemoryError, so a
 * tenant that exhausts its heap kills only its own worker. Its first frame (hello) names its Truffle runtime, so the host can tell
 * whether it compiles.
 */
final class WorkerProcess {
    /** {@code false}: workers get no JIT options and take the host's start-up options ({@link #inherited}). */
    static final String JIT_PROPERTY = "pysandbox.worker.jit";
    /** Exit code of a worker that ran out of heap ({@code -XX:+ExitOnOutOfMemoryError}). */
    static final int OUT_OF_MEMORY_EXIT = 3;
    private static final AtomicLong IDS = new AtomicLong(ProcessHandle.current().pid() << 20);

    private static final System.Logger LOG = System.getLogger("org.pysandbox.isolation");
    final long id = IDS.incrementAndGet();
    final String heap;
    private final Process process;
    private final CompletableFuture<Process> exit;
    final DataInputStream in;
    final DataOutputStream out;
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    /** The most a hello frame may hold (a runtime's name). */
    private static final int MAX_HELLO = 4096;

    WorkerProcess(String heap) throws IOException {
        this(heap, WorkerMain.class.getName());
    }

    /** A worker running {@code mainClass} with extra arguments (tests start misbehaving workers this way). */
    WorkerProcess(String heap, String mainClass, String... args) throws IOException {
        this.heap = heap;
        List<String> command = command(heap, id, mainClass);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectError(Boolean.getBoolean("pysandbox.process.workerLog") ? ProcessBuilder.Redirect.INHERIT
                : ProcessBuilder.Redirect.DISCARD);
        this.process = builder.start();
        this.exit = process.onExit();
        this.in = new DataInputStream(new BufferedInputStream(process.getInputStream()));
        this.out = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()));
        Thread waiter = new Thread(() -> {
            try {
                Frames.Hello start = Frames.readHello(in, MAX_HELLO);
                if (!start.noise().isBlank()) {
                    LOG.log(System.Logger.Level.INFO, "pysandbox worker " + id + "'s JVM wrote "
                            + start.noise().length() + " characters to its standard output before the protocol "
                            + "started (ignored): " + Frames.quoted(start.noise(), Frames.MAX_QUOTED_NOISE));
                }
                Frames.Frame hello = start.frame();
                if (hello.type() != Frames.HELLO) {
                    throw new BadFrameException("worker said 0x" + Integer.toHexString(hello.type() & 0xff)
                            + " instead of hello", "frame type");
                }
                ready.complete(new String(hello.payload(), java.nio.charset.StandardCharsets.UTF_8));
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
        }, "pysandbox-worker-start-" + id);
        waiter.setDaemon(true);
        waiter.start();
    }

    static List<String> command(String heap, long id, String mainClass) {
        return command(heap, id, mainClass, !"false".equalsIgnoreCase(System.getProperty(JIT_PROPERTY, "true").trim()));
    }

    /** ... with the JIT options or without them, whatever {@value #JIT_PROPERTY} says. */
    static List<String> command(String heap, long id, String mainClass, boolean jit) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", isWindows() ? "java.exe" : "java").toString());
        cmd.add("-Xmx" + heap);
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        // the JVM's own messages ("Terminating due to java.lang.OutOfMemoryError", ...) would land on the
        // protocol channel and read as a corrupt frame
        cmd.add("-XX:+DisplayVMOutputToStderr");
        // the same for the JVM's unified logging, whose warnings go to stdout by default (log files a host's
        // options ask for are kept); what a host's JAVA_TOOL_OPTIONS starts before main (a JFR recording
        // announces itself) is skipped (Frames.readHello), and WorkerMain turns stdout logging off again once
        // main runs, since -verbose:gc and -XX:+PrintGC are applied after these options
        cmd.add("-Xlog:all=off:stdout");
        cmd.add("-Xlog:all=warning:stderr");
        // the JIT options come from the library, not from the host's command line: a host on a stock JDK
        // without any flags still gets compiled workers, unless it asks for interpreted ones (the command line
        // does, without --jit: a cold JIT worker took 12-13 s to print(1), in-process 1.1 s)
        // a crash log in the temporary directory, not in the host's working directory (review 64: a corrupt AOT
        // cache left one there per worker); -Xshare is left to the JVM's default (auto), since an explicit one
        // stops a JVM that an AOT cache in JDK_JAVA_OPTIONS or JAVA_TOOL_OPTIONS reaches (review 64)
        cmd.add("-XX:ErrorFile=" + Path.of(System.getProperty("java.io.tmpdir"), "pysandbox-worker-hs_err_pid%p.log"));
        if (jit) {
            CompilerPath.locate().ifPresent(path -> cmd.addAll(CompilerPath.jitOptions(path, Runtime.version().feature())));
        }
        cmd.addAll(inherited(ManagementFactory.getRuntimeMXBean().getInputArguments(), jit));
        for (Map.Entry<Object, Object> e : System.getProperties().entrySet()) {
            String key = String.valueOf(e.getKey());
            if (key.startsWith("pysandbox.") && !key.startsWith("pysandbox.pool") && !key.startsWith("pysandbox.process")) {
                cmd.add("-D" + key + "=" + e.getValue());
            }
        }
        cmd.add("-Dpysandbox.pool.size=1"); // a spare interpreter replaces a cancelled one at once
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.add(Long.toString(id));
        return cmd;
    }

    /**
     * Options of this JVM that a worker takes too: GraalPy's ({@code -Dpolyglot.*}) and the stack size. An
     * interpreter-only worker also takes an interpreter-only host's start-up options (the command line's): its
     * compiler tier, its GC, its AOT cache, and the module options that must match the cache's for the JVM to
     * use it ({@code --enable-native-access}; a worker printed 1 in 3.5 s without it) or that quiet a warning.
     */
    static List<String> inherited(List<String> hostArguments, boolean jit) {
        List<String> taken = new ArrayList<>();
        for (String arg : hostArguments) {
            boolean startUp = arg.startsWith("-XX:TieredStopAtLevel=") || arg.startsWith("-XX:AOTCache=")
                    || arg.equals("-XX:+UseSerialGC") || arg.startsWith("--enable-native-access=")
                    || arg.startsWith("--sun-misc-unsafe-memory-access=");
            if (arg.startsWith("-Dpolyglot.") || arg.startsWith("-Xss") || !jit && startUp) {
                taken.add(arg);
            }
        }
        return taken;
    }

    private static boolean isWindows() {
        return File.separatorChar == '\\';
    }

    /** Waits until the worker has warmed up; returns the name of its Truffle runtime ("Interpreted" without JIT). */
    String awaitReady(long millis) throws IOException {
        try {
            return ready.get(millis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            kill();
            throw new IOException("the worker process did not start within " + millis + " ms");
        } catch (java.util.concurrent.ExecutionException e) {
            kill();
            if (e.getCause() instanceof BadFrameException bad) {
                throw bad;
            }
            throw new IOException("the worker process failed to start: " + e.getCause().getMessage()
                    + exitDescription());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for a worker process");
        }
    }

    /** Waits for the worker's acknowledgement that it made the tenant's interpreter. */
    void awaitConfigured(long millis) throws IOException {
        CompletableFuture<Frames.Frame> ack = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                ack.complete(Frames.read(in, MAX_HELLO));
            } catch (IOException e) {
                ack.completeExceptionally(e);
            }
        }, "pysandbox-worker-configure-" + id);
        t.setDaemon(true);
        t.start();
        try {
            Frames.Frame frame = ack.get(millis, TimeUnit.MILLISECONDS);
            if (frame.type() != Frames.HELLO) {
                kill();
                throw new BadFrameException("worker answered 0x" + Integer.toHexString(frame.type() & 0xff)
                        + " to its configuration", "frame type");
            }
        } catch (java.util.concurrent.TimeoutException e) {
            kill();
            throw new IOException("the worker process did not take its configuration within " + millis + " ms");
        } catch (java.util.concurrent.ExecutionException e) {
            kill();
            if (e.getCause() instanceof BadFrameException bad) {
                throw bad;
            }
            throw new IOException("the worker process failed while configuring: " + e.getCause().getMessage()
                    + exitDescription());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new java.io.InterruptedIOException("interrupted while configuring a worker process");
        }
    }

    /** The name of the worker's Truffle runtime from its hello ("Interpreted" without the JIT), or null before it. */
    String runtime() {
        return ready.getNow(null);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    void kill() {
        // a compromised worker's children too, but only while the worker is alive on both sides of the
        // snapshot: descendants() looks up whichever process holds the pid now, and a dead worker's pid can
        // be taken by an unrelated process whose children would be killed (review 48). A dead worker's
        // children have another parent already; a detached one is bounded by the call's clock instead
        // (ProcessExecutor.afterExit).
        if (process.isAlive()) {
            List<ProcessHandle> children = process.descendants().toList();
            if (process.isAlive()) {
                children.forEach(ProcessHandle::destroyForcibly);
            }
        }
        process.destroyForcibly();
    }

    /** One future for the worker's life: each onExit() adds a stage that lives as long as the process (review 46). */
    CompletableFuture<Process> exited() {
        return exit;
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
