package org.pysandbox.isolation;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import javax.script.ScriptException;

import org.pysandbox.bridge.GuestObject;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.limits.Executor;
import org.pysandbox.limits.InProcessExecutor;
import org.pysandbox.policy.ConfinedInterpreter;

/**
 * The main class of a worker process: warms GraalPy up, says hello, takes one tenant's configuration,
 * then serves that tenant's runs and calls with the in-process executor (same policy and limits) until
 * its standard input closes. Its standard output is the protocol channel; anything else that would
 * print there goes to standard error.
 */
public final class WorkerMain {
    private final DataInputStream in;
    private final DataOutputStream out;
    private final long workerId;
    private final Map<Long, GuestObject> handles = new HashMap<>();
    private final Map<GuestObject, Long> ids = new HashMap<>();
    private final AtomicLong nextId = new AtomicLong();
    private volatile InProcessExecutor executor;
    /** The host is trusted, but its frames are read under fixed rules, which the host checks its requests against. */
    private static final WireLimits LIMITS = WireLimits.WORKER;
    private final java.util.concurrent.BlockingQueue<String> input = new java.util.concurrent.LinkedBlockingQueue<>();
    /**
     * The reader of the host's input, kept while the host's calls read the same reader: the interpreter's
     * read-ahead from it then stays theirs, and a new one makes the interpreter drop it (GuestStreams).
     */
    private Reader stdin;
    /** Between a call's start and its answer: input is asked from the host only then. */
    private volatile boolean callRunning;

    private WorkerMain(DataInputStream in, DataOutputStream out, long workerId) {
        this.in = in;
        this.out = out;
        this.workerId = workerId;
    }

    public static void main(String[] args) throws Exception {
        DataOutputStream channel = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)));
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        stopJvmLoggingToStdout();
        DataInputStream input = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in)));
        long workerId = args.length > 0 ? Long.parseLong(args[0]) : 0;
        exitWithParent();
        // warm up: the first context of a JVM costs seconds; pay it before a tenant waits for it
        try (ConfinedInterpreter warm = ConfinedInterpreter.create(SandboxConfig.defaults())) {
            warm.context().eval("python", "1 + 1");
        }
        Frames.writeHello(channel, org.pysandbox.policy.JitStatus.describe().getBytes(StandardCharsets.UTF_8));
        new WorkerMain(input, channel, workerId).serve();
        System.exit(0);
    }

    /**
     * stdout is the protocol's channel. The JVM logs there when a host's inherited options say -verbose:gc,
     * -XX:+PrintGC(Details) or -Xlog:...:stdout in _JAVA_OPTIONS, all applied after the command line's
     * -Xlog:all=off:stdout, or log to a "file" that is stdout (-Xlog:gc*:file=/dev/stdout, a container's
     * habit); every GC would then corrupt a frame (reviews 43, 44). jcmd's VM.log, from inside. Only when
     * the environment passes the JVM options: the management server costs ~250 ms of a worker's start.
     */
    static void stopJvmLoggingToStdout() {
        if (Stream.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS").map(System::getenv)
                .allMatch(v -> v == null || v.isBlank())) {
            return;
        }
        try {
            vmLog("output=stdout", "what=all=off");
            Path stdout = Path.of("/proc/self/fd/1");
            if (Files.exists(stdout)) {
                // highest index first: turning an output off moves the last one into its place (review 45)
                List<String> lines = new ArrayList<>(vmLog("list").lines().toList());
                java.util.Collections.reverse(lines);
                for (String line : lines) {
                    // an output changed after the JVM's start (by an agent, or jcmd) is listed with this suffix
                    java.util.regex.Matcher m = LOG_FILE_OUTPUT.matcher(line.replaceFirst(" \\(reconfigured\\)$", ""));
                    if (m.matches() && isSameFile(m.group(2), stdout)) {
                        vmLog("output=#" + m.group(1), "what=all=off");
                    }
                }
            }
        } catch (javax.management.JMException | RuntimeException e) {
            System.err.println("pysandbox worker: could not turn the JVM's logging to stdout off: " + e);
        }
    }

    /**
     * A file output in VM.log's list: its name as given (spaces unquoted, %p unexpanded), then what it logs,
     * its decorators and its options, which hold no spaces.
     */
    private static final java.util.regex.Pattern LOG_FILE_OUTPUT =
            java.util.regex.Pattern.compile("\\s*#(\\d+): file=(.+) \\S+ \\S+ \\S+");

    /** Whether a log file names stdout; a name that does not resolve (a %t in it) is not stdout. */
    private static boolean isSameFile(String name, Path stdout) {
        try {
            return Files.isSameFile(Path.of(name.replace("%p", Long.toString(ProcessHandle.current().pid()))), stdout);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String vmLog(String... arguments) throws javax.management.JMException {
        return String.valueOf(java.lang.management.ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "vmLog",
                new Object[] {arguments}, new String[] {String[].class.getName()}));
    }

    /** A worker never outlives its host, even while a call without a time limit is running. */
    private static void exitWithParent() {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(0)));
    }

    /**
     * The only reader of the channel: requests go to one request thread (one at a time, in order), input
     * frames to the reader of the running script. A script that reads input late can thus never consume
     * the next request.
     */
    private void serve() throws IOException {
        java.util.concurrent.ExecutorService requests = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "pysandbox-worker-requests");
            t.setDaemon(true);
            return t;
        });
        while (true) {
            Frames.Frame frame;
            try {
                frame = Frames.read(in, LIMITS.maxFrame());
            } catch (java.io.EOFException e) {
                return;
            }
            switch (frame.type()) {
                case Frames.CONFIGURE -> requests.execute(() -> configure(frame));
                case Frames.RUN, Frames.CALL -> requests.execute(() -> {
                    input.clear();
                    try {
                        answer(frame);
                    } catch (IOException e) {
                        Runtime.getRuntime().halt(2); // the channel is broken: nothing more to serve
                    }
                });
                case Frames.INPUT -> input.add(new String(frame.payload(), StandardCharsets.UTF_8));
                default -> throw new IOException("unexpected frame " + (char) frame.type());
            }
        }
    }

    private void configure(Frames.Frame frame) {
        try {
            SandboxConfig tenant = WireCodec.readConfigure(frame.payload(), LIMITS, LIMITS.decodeDeadline()).toConfig();
            executor = new InProcessExecutor(tenant, this);
            // make and warm the tenant's interpreter now, so that its first call's clock pays for neither
            try {
                executor.warmUp();
            } catch (ScriptException e) {
                System.err.println("pysandbox worker: warm-up failed: " + e);
            }
            Frames.write(out, Frames.HELLO, new byte[0]);
        } catch (IOException | RuntimeException e) {
            Runtime.getRuntime().halt(2);
        }
    }

    private void answer(Frames.Frame frame) throws IOException {
        WireResponse response;
        ChannelWriter stdout = new ChannelWriter(Frames.OUT);
        ChannelWriter stderr = new ChannelWriter(Frames.ERR);
        // kept only by a call that gets as far as running: a request refused before that (too long a string
        // for this side's decoder, a failed preparation) forgets it, and the host, which counted the request
        // as sent, may call it the same input next time (review 31: that call then read the earlier reader's
        // read-ahead)
        Reader previous = stdin;
        stdin = null;
        WireLimits host = LIMITS; // what the host reads, once its request says so
        long timeoutMillis = 0;
        long began = System.nanoTime();
        try {
            // the configuration of this call is the one in the host's request, and nothing else
            WireRequest r = WireCodec.readRequest(frame.type(), frame.payload(), LIMITS, LIMITS.decodeDeadline(),
                    this::resolve);
            host = r.config().results();
            timeoutMillis = r.config().timeoutMillis();
            SandboxConfig config = r.config().toConfig();
            if (!executor.isReady()) {
                // a lost interpreter is replaced (seconds on a cold JVM), a stopped call settles: not the
                // script's time, and the host's clock must not count it
                Frames.write(out, Frames.PREPARING, new byte[0]);
                executor.interpreterGeneration();
                Frames.write(out, Frames.STARTED, new byte[0]);
            }
            stdin = r.sameInput() && previous != null ? previous : new ChannelReader();
            began = System.nanoTime(); // the script's clock starts here, after any preparation
            callRunning = true;
            if (frame.type() == Frames.RUN) {
                Map<String, Object> globals = r.globals() == null ? null : new HashMap<>(r.globals());
                Map<String, Object> locals = r.locals() == null ? null : new HashMap<>(r.locals());
                Object value = executor.run(new Executor.Request(r.code(), r.fileName(), globals, locals,
                        r.wantValue(), stdout, stderr, stdin, config, r.writeBack()));
                response = r.writeBack() ? new WireResponse(value, globals, locals, null)
                        : new WireResponse(value, null, null, null);
            } else {
                Object value = executor.call(r.function(), r.args().toArray(), stdout, stderr, stdin, config);
                response = new WireResponse(value, null, null, null);
            }
        } catch (ScriptException e) {
            response = new WireResponse(null, null, null, WireError.of(e));
        } catch (BadFrameException e) {
            response = new WireResponse(null, null, null, WireError.of(new ScriptException(
                    "the sandbox worker could not read its request: " + e.getMessage())));
        } catch (RuntimeException e) {
            response = new WireResponse(null, null, null, WireError.of(new ScriptException("sandbox worker failed: " + e)));
        }
        byte[] payload;
        try {
            payload = WireCodec.response(response, this::replace, host);
            // what only the host's decoder judges (its heap estimate: sets of sets, thousands of small sets; its
            // clock) is judged here by reading it back as the host will (review 36: such a result cost the
            // worker), in half the time the host will have left to decode it, the other half being the host's
            // (review 37: hash-colliding sets took the host past its clock, and the worker had a day)
            WireCodec.readResponse(payload, host, System.nanoTime() + readBackNanos(host, began, timeoutMillis),
                    workerId);
        } catch (BadFrameException e) {
            payload = refusal("the script's result cannot cross to the host: " + (e.rule.equals("decoding time")
                    ? "reading it took this worker longer than half the time the host has left to read it ("
                    + (timeoutMillis > 0 ? "the call's timeout and " + WireLimits.GRACE_MILLIS_PROPERTY
                    : WireLimits.MAX_DECODE_MILLIS_PROPERTY) + ")" : e.getMessage()), host);
        } catch (IOException e) {
            payload = refusal("the script's result cannot cross to the host: " + e.getMessage(), host);
        }
        // the caller is answered when a limit trips, while the stopped script may still print or read until
        // it yields: nothing of it may follow the answer onto the channel, where the host's next call would
        // take it as its own (review 29)
        synchronized (out) {
            callRunning = false;
            stdout.end();
            stderr.end();
            Frames.write(out, Frames.RESULT, payload);
        }
    }

    /**
     * Half of what the host will have left to decode this call's result: of its wait for the answer (the
     * timeout from the script's start, and its grace) when the call has one, else of maxDecodeMillis, which
     * then counts from the result's arrival. Counting from the script's start alone refused results that
     * crossed before (review 39: a script that ended just inside its timeout, with conversion and encoding
     * still to come; a maxDecodeMillis of 1 left no time at all).
     */
    static long readBackNanos(WireLimits host, long scriptStartNanos, long timeoutMillis) {
        if (timeoutMillis <= 0) {
            return java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(host.maxDecodeMillis()) / 2;
        }
        // toNanos saturates, and a deadline past a long wraps back in the subtraction
        long hostLeft = scriptStartNanos + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(
                ProcessExecutor.later(timeoutMillis, host.graceMillis())) - System.nanoTime();
        return Math.max(0, hostLeft / 2);
    }

    /**
     * An error answer in place of a result the host would refuse, itself written under the host's limits
     * (review 36: written unchecked, a host with a small maxString refused the explanation and the worker).
     * Its message is cut to fit, and a host reads with at least {@link WireLimits#LEAST_FRAME} and
     * {@link WireLimits#LEAST_STRING}, so it always crosses (review 37: a bare-sentence fallback, written
     * unchecked, did not under a maxString of 40).
     */
    private byte[] refusal(String why, WireLimits host) throws IOException {
        return WireCodec.response(new WireResponse(null, null, null, WireError.of(new ScriptException(why))),
                this::replace, host);
    }

    /** The worker's guest objects cross as handles; other non-data objects (rare) as their text. */
    private Object replace(Object o) {
        if (o instanceof GuestObject g) {
            Long id = ids.get(g);
            if (id == null) {
                id = nextId.incrementAndGet();
                ids.put(g, id);
                handles.put(id, g);
            }
            return new RemoteGuestObject(workerId, id);
        }
        return String.valueOf(o);
    }

    /** A handle of this worker's object resolves to it; any other handle stays an opaque handle. */
    private Object resolve(RemoteGuestObject r) {
        GuestObject g = handles.get(r.id());
        return g != null && r.worker() == workerId ? g : r;
    }

    /** Script output, sent to the host as it is written, until its call is answered. */
    private final class ChannelWriter extends Writer {
        private final byte type;
        private boolean ended;

        ChannelWriter(byte type) {
            this.type = type;
        }

        /** Called with the channel's lock held, before the answer. */
        void end() {
            ended = true;
        }

        @Override
        public void write(char[] buf, int off, int len) throws IOException {
            byte[] text = new String(buf, off, len).getBytes(StandardCharsets.UTF_8);
            synchronized (out) {
                if (!ended) {
                    Frames.write(out, type, text);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    /** Script input, asked from the host when the script reads; an end of input is the host reader's, per read. */
    private final class ChannelReader extends Reader {
        @Override
        public int read(char[] buf, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            synchronized (out) {
                if (!callRunning) {
                    return -1; // a stopped script, after its call was answered
                }
                Frames.write(out, Frames.NEED_INPUT, java.nio.ByteBuffer.allocate(4).putInt(len).array());
            }
            String text;
            try {
                text = input.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for input");
            }
            if (text.isEmpty()) {
                return -1;
            }
            int n = Math.min(len, text.length());
            text.getChars(0, n, buf, off);
            return n;
        }

        @Override
        public void close() {
        }
    }
}
