package org.pysandbox.isolation;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import javax.script.ScriptException;

import org.pysandbox.config.SandboxConfig;
import org.pysandbox.config.SandboxConfigurationException;
import org.pysandbox.config.Units;
import org.pysandbox.error.MemoryLimitException;
import org.pysandbox.error.ResourceLimitException;
import org.pysandbox.error.ScriptInterruptedException;
import org.pysandbox.error.ScriptTimeoutException;
import org.pysandbox.limits.Executor;
import org.pysandbox.limits.InProcessExecutor;
import org.pysandbox.policy.HostInput;
import org.pysandbox.policy.HostOutput;

/**
 * Runs one tenant's requests in a worker JVM of its own ({@code isolation=process}): the same confined
 * interpreter and limits as in-process, behind a hard heap limit ({@code -Xmx} from maxMemory plus a
 * fixed overhead) and a process the host can kill. A worker that crashes, runs out of its heap or
 * overruns the timeout (plus a grace for the worker's own limit to answer) is killed; the caller gets a
 * script exception saying which, and the next call gets a fresh worker (the tenant's state is lost).
 * Values cross as data (SPEC §4 data and guest-object handles only; see {@link WireCodec}). The worker is
 * treated as hostile: every frame it sends is read under {@link WireLimits} and the call's deadline, its
 * output is capped on this side too, and a frame that breaks a rule kills it
 * ({@link WorkerProtocolException}). Nothing a worker sends is ever run or thrown as it arrived.
 */
public final class ProcessExecutor implements Executor {
    /** System property: heap of a worker beyond maxMemory, for GraalPy itself (default 512m). */
    public static final String HEAP_OVERHEAD_PROPERTY = "pysandbox.process.heapOverhead";
    private static final long OVERHEAD = heapOverhead();
    private static final long START_MILLIS = Long.getLong("pysandbox.process.startMillis", 300_000);
    /**
     * How long a worker that announced it must first replace its interpreter ({@link Frames#PREPARING}) may
     * take before the script starts: on 2 busy cores a replacement took 1.2-1.8 s, and it counted against a
     * 1-s timeout of the first call after a bomb.
     */
    private static final long PREPARE_MILLIS = Long.getLong("pysandbox.process.prepareMillis", 60_000);
    /** Output a worker may send beyond maxOutput (UTF-8 of the counted text, frame slack) before it counts as a flood. */
    private static final long OUTPUT_SLACK = 64 << 10;

    /** Starts (or takes from the pool) a worker with a heap size. */
    interface WorkerStarter {
        WorkerProcess start(String heap) throws IOException;
    }

    private final SandboxConfig config;
    private final String heap;
    private final WorkerStarter starter;
    private final long prepareMillis;
    /** What this host reads from its worker: {@link WireLimits#HOST}, or a test's. */
    private final WireLimits limits;
    /** Volatile for {@link #madeHere}, which must not wait for a running call; written under the lock. */
    private volatile WorkerProcess worker;
    /** A worker being started, for {@link #close} to kill (review 45: it lived until its start ended). */
    private volatile WorkerProcess starting;
    /** The reader of the previous call (see {@link #sameInput}). */
    private Reader lastInput;
    /**
     * Changes with the worker, and with every resource limit the worker reports: the worker's own executor
     * may have replaced its interpreter then, which the host cannot see from here (see interpreterGeneration).
     */
    private long generation;
    private volatile boolean closed;
    private static final AtomicLong GENERATIONS = new AtomicLong();
    /** Chars of a script's output handed to the host's writer at a time (as GuestStreams does in-process). */
    private static final int WRITE_PIECE = 8192;
    private static final String CLOSED_DURING_CALL =
            "the sandbox was closed while the call ran; its worker process was killed";

    public ProcessExecutor(SandboxConfig config) {
        this(config, WorkerPool::take);
        WorkerPool.prewarm(heap);
    }

    /** With another way to start workers (tests start misbehaving ones). */
    ProcessExecutor(SandboxConfig config, WorkerStarter starter) {
        this(config, starter, PREPARE_MILLIS);
    }

    /** ... and another allowance for a worker's preparation (tests of a worker that never starts the script). */
    ProcessExecutor(SandboxConfig config, WorkerStarter starter, long prepareMillis) {
        this(config, starter, prepareMillis, WireLimits.HOST);
    }

    /** ... and other limits for what the host reads (tests of its clock). */
    ProcessExecutor(SandboxConfig config, WorkerStarter starter, long prepareMillis, WireLimits limits) {
        this.limits = limits.requireUsable();
        if (prepareMillis < 0) {
            // a negative allowance pulled the host's decoding deadline to 1 ms (review 41)
            throw new SandboxConfigurationException("pysandbox.process.prepareMillis must be >= 0, not " + prepareMillis);
        }
        this.prepareMillis = prepareMillis;
        this.config = config;
        this.heap = ((config.maxMemory() == 0 ? 1L << 30 : config.maxMemory()) + OVERHEAD >> 20) + "m";
        this.starter = starter;
    }

    private static long heapOverhead() {
        try {
            return Units.parseBytes(System.getProperty(HEAP_OVERHEAD_PROPERTY, "512m"));
        } catch (IllegalArgumentException e) {
            throw new SandboxConfigurationException(HEAP_OVERHEAD_PROPERTY + ": " + e.getMessage());
        }
    }

    private WorkerProcess worker() throws ScriptException {
        if (closed) {
            throw new ScriptException("this sandbox is closed");
        }
        if (worker != null && !worker.isAlive()) {
            worker = null;
        }
        if (worker == null) {
            WireConfig tenant = WireConfig.of(config, WireLimits.WORKER, limits); // refused before a worker starts
            try {
                byte[] configure = WireCodec.configure(tenant);
                WorkerProcess w = starter.start(heap);
                starting = w;
                if (closed) {
                    w.kill();
                }
                w.awaitReady(START_MILLIS);
                Frames.write(w.out, Frames.CONFIGURE, configure);
                w.awaitConfigured(START_MILLIS);
                starting = null;
                worker = w;
                generation = GENERATIONS.incrementAndGet();
                if (closed) { // closed while the worker started (close does not wait for this lock)
                    lose(w);
                    throw new ScriptException("this sandbox is closed");
                }
            } catch (IOException e) {
                WorkerProcess w = starting;
                starting = null;
                if (w != null) {
                    w.kill();
                }
                if (closed) {
                    throw new ScriptException("this sandbox is closed");
                }
                if (e instanceof BadFrameException bad) {
                    throw bad.toScriptException();
                }
                if (e instanceof java.io.InterruptedIOException) { // the caller was interrupted (status kept)
                    throw new ScriptInterruptedException(e.getMessage() + "; the worker was killed");
                }
                ScriptException se = new ScriptException("could not start a sandbox worker process: " + e.getMessage());
                se.initCause(e);
                throw se;
            }
        }
        return worker;
    }

    @Override
    public synchronized Object run(Request r) throws ScriptException {
        worker(); // a worker start (seconds) is not the script's time; converting and sending its data is
        long start = System.currentTimeMillis();
        WireCodec.checkString(r.code(), "the code", WireLimits.WORKER);
        WireCodec.checkString(r.fileName(), "the file name", WireLimits.WORKER);
        Map<String, Object> globals = identifiers(r.globals(), "globals", WireLimits.WORKER);
        Map<String, Object> locals = identifiers(r.locals(), "locals", WireLimits.WORKER);
        WireRequest request = new WireRequest(WireConfig.of(r.config(), WireLimits.WORKER, limits), sameInput(r.in()), r.code(), r.fileName(),
                r.wantValue(), globals, locals, null, null, r.writeBack());
        WireResponse response = exchange(Frames.RUN, request, r.fileName(), r.out(), r.err(), r.in(), r.config(), start);
        if (r.writeBack()) {
            // without it, namespaces a worker answers with anyway are not the caller's to receive
            writeBack(r.globals(), globals, response.globals());
            writeBack(r.locals(), locals, response.locals());
        }
        return response.value();
    }

    /**
     * New with every worker process, and after every resource limit the worker reported: a stop the worker
     * survived may still have cost its interpreter (an uninterruptible builtin, an output limit), so script
     * objects of earlier calls are taken for gone (conservative: some may still have been callable).
     */
    @Override
    public synchronized long interpreterGeneration() throws ScriptException {
        worker();
        return generation;
    }

    /** The answering worker's, without starting one: a worker that died after the call is not replaced here. */
    @Override
    public synchronized long lastCallGeneration(long noted) {
        return generation;
    }

    @Override
    public boolean madeHere(Object scriptObject) {
        WorkerProcess current = worker;
        // a dead worker made nothing that can still be called (review 44: its handles were sent to the next one)
        return scriptObject instanceof RemoteGuestObject handle && current != null && handle.worker() == current.id
                && current.isAlive();
    }

    /** Without starting a worker to find out (seconds): a dead or missing one has lost every interpreter. */
    @Override
    public synchronized boolean hasLost(long interpreterGeneration) {
        return closed || worker == null || !worker.isAlive() || generation != interpreterGeneration;
    }

    /** A worker can die between calls (killed from outside, a crash), which no call reported. */
    @Override
    public boolean lostBetweenCalls(long interpreterGeneration) {
        return hasLost(interpreterGeneration);
    }

    @Override
    public synchronized Object call(Object function, Object[] args, Writer out, Writer err, Reader in,
            SandboxConfig callConfig) throws ScriptException {
        if (!(function instanceof RemoteGuestObject handle)) {
            throw new ScriptException("not a function of this sandbox: " + function);
        }
        if (worker == null || handle.worker() != worker.id || !worker.isAlive()) {
            throw new ScriptException("this function belongs to another sandbox (or to a worker process that was "
                    + "replaced after a crash, timeout or memory limit) and cannot be called here");
        }
        long start = System.currentTimeMillis();
        WireRequest request = new WireRequest(WireConfig.of(callConfig, WireLimits.WORKER, limits), sameInput(in), null, "<call>", false, null,
                null, handle, arguments(args, WireLimits.WORKER), false);
        return exchange(Frames.CALL, request, "<call>", out, err, in, callConfig, start).value();
    }

    /**
     * Whether this call reads the reader of the last call the worker received (see {@link WireRequest}).
     * {@link #exchange} records the reader only once the request goes out: a call refused before that (data
     * too deep, a frame too large) left the worker's read-ahead that of the earlier reader (review 28).
     */
    private boolean sameInput(Reader in) {
        return in == lastInput;
    }

    /** A call's arguments as data; the list is a collection on the wire, counted as one (review 32). */
    static List<Object> arguments(Object[] args, WireLimits limits) throws ScriptException {
        WireCodec.checkItems(args.length, "the arguments", limits);
        List<Object> data = new java.util.ArrayList<>(args.length);
        for (int i = 0; i < args.length; i++) {
            data.add(WireCodec.toData(args[i], "argument " + (i + 1), limits));
        }
        return data;
    }

    /** A namespace's identifiers and their values as data; the namespace is a collection on the wire too. */
    static Map<String, Object> identifiers(Map<String, Object> map, String what, WireLimits limits)
            throws ScriptException {
        if (map == null) {
            return null;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : map.entrySet()) {
            if (InProcessExecutor.isIdentifier(e.getKey())) {
                WireCodec.checkString(e.getKey(), what + " name", limits);
                data.put(e.getKey(), WireCodec.toData(e.getValue(), what + " entry '" + e.getKey() + "'", limits));
                WireCodec.checkItems(data.size(), what, limits);
            }
        }
        return data;
    }

    /** Sends the request and serves the worker (output, input) until its answer, a crash or the deadline. */
    private WireResponse exchange(byte type, WireRequest request, String fileName, Writer out, Writer err, Reader in,
            SandboxConfig callConfig, long startMillis) throws ScriptException {
        byte[] payload;
        try {
            payload = WireCodec.request(request, WireLimits.WORKER);
        } catch (IOException e) {
            throw new ScriptException("cannot send to the sandbox worker process: " + e.getMessage());
        }
        WorkerProcess w = worker();
        // the worker may have been replaced since call() checked the function, while its arguments were
        // converted (review 42: the new worker answered "not a function of this sandbox")
        foreignHandle(request.function(), "the function", w.id);
        foreignHandles(request.globals(), "globals entry ", w.id);
        foreignHandles(request.locals(), "locals entry ", w.id);
        if (request.args() != null) {
            for (int i = 0; i < request.args().size(); i++) {
                foreignHandle(request.args().get(i), "argument " + (i + 1), w.id);
            }
        }
        long timeout = callConfig.timeout().toMillis();
        // added without overflow: a grace (or preparation allowance) of Long.MAX_VALUE meant a 1-ms wait, every
        // call killed, or 1 ms to decode (review 40)
        long deadline = timeout == 0 ? Long.MAX_VALUE : later(startMillis, timeout, limits.graceMillis());
        // without a timeout, maxDecodeMillis counts from the result's arrival, not from the request (review 37:
        // a script that ran longer than that had its result refused and its worker killed)
        long callDecodeDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(
                Math.max(1, later(deadline, prepareMillis) - System.currentTimeMillis()));
        java.util.function.LongSupplier decodeDeadline = timeout == 0 ? limits::decodeDeadline : () -> callDecodeDeadline;
        long maxOutput = callConfig.maxOutput() == 0 ? Long.MAX_VALUE : 4 * callConfig.maxOutput() + OUTPUT_SLACK;
        Channel channel = new Channel(w, out, err, in, limits, decodeDeadline, maxOutput);
        lastInput = in;
        CompletableFuture<WireResponse> answer = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                Frames.write(w.out, type, payload);
                answer.complete(channel.serve());
            } catch (Throwable e) {
                answer.completeExceptionally(e);
            }
        }, "pysandbox-worker-io-" + w.id);
        reader.setDaemon(true);
        reader.start();
        try {
            WireResponse response = timeout == 0 ? awaitUnbounded(answer, channel) : awaitAnswer(answer, channel,
                    deadline, timeout, prepareMillis);
            if (response.error() != null) {
                ScriptException failure = response.error().toException(); // built here from data, never an object that arrived
                if (failure instanceof ResourceLimitException) {
                    generation = GENERATIONS.incrementAndGet();
                }
                throw failure;
            }
            return response;
        } catch (TimeoutException e) {
            lose(w);
            if (closed) {
                throw new ScriptException(CLOSED_DURING_CALL);
            }
            if (channel.preparing.isDone() && !channel.started.isDone()) {
                throw new ScriptException("the sandbox worker process did not start the script within "
                        + prepareMillis + " ms of preparing its interpreter (pysandbox.process.prepareMillis); it was "
                        + "killed and will be replaced");
            }
            throw new ScriptTimeoutException("script stopped: it ran longer than " + describe(callConfig)
                    + " and its worker process was killed", fileName, -1);
        } catch (InterruptedException e) {
            lose(w);
            Thread.currentThread().interrupt();
            throw new ScriptInterruptedException("interrupted; the sandbox worker process was killed");
        } catch (ExecutionException e) {
            lose(w);
            if (closed) {
                throw new ScriptException(CLOSED_DURING_CALL);
            }
            if (e.getCause() instanceof BadFrameException bad) {
                throw bad.toScriptException();
            }
            int exit = w.exitCode();
            if (exit == WorkerProcess.OUT_OF_MEMORY_EXIT) {
                throw new MemoryLimitException("script stopped: its worker process ran out of its " + w.heap
                        + " heap and was replaced", fileName, -1);
            }
            ScriptException se = new ScriptException("the sandbox worker process failed"
                    + (exit >= 0 ? " (exit code " + exit + ")" : "") + ": " + e.getCause().getMessage()
                    + "; it was replaced, and the sandbox's state is lost");
            throw se;
        } finally {
            channel.close(); // a late frame of this call never reaches the caller's streams
        }
    }

    /**
     * The worker's answer, or the end of its process: a call that waits in the host's input reader for the
     * script's input() would otherwise outlive a worker killed by a close (review 45). Once the process has
     * ended, what it sent is still read, for at most {@code maxDecodeMillis}.
     */
    private WireResponse awaitUnbounded(CompletableFuture<WireResponse> answer, Channel channel)
            throws InterruptedException, ExecutionException {
        CompletableFuture.anyOf(answer, channel.w.exited()).exceptionally(failed -> null).get();
        return afterExit(answer, channel, later(System.currentTimeMillis(), limits.maxDecodeMillis()), decodeLimit());
    }

    private String decodeLimit() {
        return limits.maxDecodeMillis() + " ms (pysandbox.process.maxDecodeMillis)";
    }

    /**
     * The answer of a worker whose process has ended: what it sent is read to the end of its pipe, by the
     * call's own deadline or the decoding allowance, whichever comes first ({@code limit} names it). Never longer:
     * a compromised worker that leaves a child holding its stdout open would keep the pipe from ending, and
     * the caller waiting past its timeout and past a close (review 47). A wait in the host's input reader,
     * which nothing bounds, and a close end it at once.
     */
    private WireResponse afterExit(CompletableFuture<WireResponse> answer, Channel channel, long untilMillis,
            String limit) throws InterruptedException, ExecutionException {
        while (!answer.isDone()) {
            if (closed) {
                throw new ExecutionException(new IOException("the sandbox was closed"));
            }
            if (channel.readingHostInput) {
                throw new ExecutionException(new IOException("the worker process ended while the call waited for "
                        + "the host's input"));
            }
            if (System.currentTimeMillis() >= untilMillis) {
                throw new ExecutionException(new IOException("the worker process ended, and what it had sent did not "
                        + "end within " + limit));
            }
            try {
                return answer.get(Math.min(50, remaining(untilMillis)), TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillReading) {
                // the rest of the worker's frames are still being read
            }
        }
        return answer.get();
    }

    /**
     * The worker's answer, by the call's deadline. A worker that announces it must prepare (a new interpreter
     * after a bomb) gets {@code prepareMillis} for that, and the timeout counts again from its start.
     */
    private WireResponse awaitAnswer(CompletableFuture<WireResponse> answer, Channel channel, long deadline,
            long timeout, long prepareMillis) throws InterruptedException, ExecutionException, TimeoutException {
        // a failed answer ends the wait too, and is then thrown by answer.get() as itself; so does the end of
        // the worker's process, for a call that waits in the host's input reader after a close (review 46)
        CompletableFuture<Process> exit = channel.w.exited();
        long until = deadline;
        awaitAny(until, answer, exit, channel.preparing);
        if (!answer.isDone() && !exit.isDone()) {
            until = later(channel.preparing.join(), prepareMillis);
            awaitAny(until, answer, exit, channel.started);
            if (!answer.isDone() && !exit.isDone()) {
                until = later(channel.started.join(), timeout, channel.limits.graceMillis());
                awaitAny(until, answer, exit);
            }
        }
        if (answer.isDone()) {
            return answer.get();
        }
        // the process ended: what it sent gets the decoding allowance, not the rest of a long timeout, and a
        // failure then says the worker ended, not that the script ran too long or did not start (reviews 48, 49)
        long exitLimit = later(System.currentTimeMillis(), limits.maxDecodeMillis());
        return exitLimit <= until ? afterExit(answer, channel, exitLimit, decodeLimit())
                : afterExit(answer, channel, until, "the call's time (pysandbox.timeout, or pysandbox.process."
                        + "prepareMillis while the worker prepared)");
    }

    /** Waits until one of the futures is done, failed or not, or throws a TimeoutException at {@code until}. */
    private static void awaitAny(long until, CompletableFuture<?>... futures)
            throws InterruptedException, ExecutionException, TimeoutException {
        CompletableFuture.anyOf(futures).exceptionally(failed -> null).get(remaining(until), TimeUnit.MILLISECONDS);
    }

    /**
     * A guest object of another worker (another sandbox's, or this sandbox's before its worker was replaced)
     * is refused as a call of one is: sent along, it reached the script as an opaque foreign object
     * ("'polyglot.ForeignObject' object is not callable", review 40), where in-process it is refused.
     */
    private static void foreignHandles(Map<String, Object> namespace, String what, long workerId)
            throws ScriptException {
        if (namespace != null) {
            for (Map.Entry<String, Object> e : namespace.entrySet()) {
                foreignHandle(e.getValue(), what + "'" + e.getKey() + "'", workerId);
            }
        }
    }

    /** {@code data} as {@link WireCodec#toData} made it: nested maps and collections, bounded in depth. */
    private static void foreignHandle(Object data, String where, long workerId) throws ScriptException {
        if (data instanceof RemoteGuestObject h && h.worker() != workerId) {
            throw new ScriptException(where + ": this guest object belongs to another sandbox (or to a worker process "
                    + "that was replaced after a crash, timeout or memory limit) and cannot cross into this one");
        } else if (data instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                foreignHandle(e.getKey(), where, workerId);
                foreignHandle(e.getValue(), where, workerId);
            }
        } else if (data instanceof java.util.Collection<?> c) {
            for (Object o : c) {
                foreignHandle(o, where, workerId);
            }
        }
    }

    /** A point in time {@code millis} after {@code from}, Long.MAX_VALUE ("never") when that is past a long. */
    static long later(long from, long... millis) {
        long at = from;
        for (long m : millis) {
            at = m > 0 && at > Long.MAX_VALUE - m ? Long.MAX_VALUE : at + m;
        }
        return at;
    }

    private static long remaining(long deadlineMillis) {
        return Math.max(1, deadlineMillis - System.currentTimeMillis());
    }

    private static String describe(SandboxConfig c) {
        long ms = c.timeout().toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s (pysandbox.timeout)" : ms + " ms (pysandbox.timeout)";
    }

    /** One call's traffic from a worker, read under the limits and handed to the caller's streams. */
    private static final class Channel {
        private final WorkerProcess w;
        private final Writer out;
        private final Writer err;
        private final Reader in;
        private final WireLimits limits;
        private final java.util.function.LongSupplier decodeDeadline;
        private final long maxOutput;
        private long output;
        volatile boolean closed;
        /** Whether the call still wants what the worker sends and asks for (HostOutput, HostInput). */
        private final BooleanSupplier open = () -> !closed;
        /** While the channel waits in the host's input reader, which nothing bounds. */
        volatile boolean readingHostInput;
        /** When the worker said it must first prepare its interpreter, and when the script then started. */
        final CompletableFuture<Long> preparing = new CompletableFuture<>();
        final CompletableFuture<Long> started = new CompletableFuture<>();

        Channel(WorkerProcess w, Writer out, Writer err, Reader in, WireLimits limits,
                java.util.function.LongSupplier decodeDeadline, long maxOutput) {
            this.limits = limits;
            this.w = w;
            this.out = out;
            this.err = err;
            this.in = in;
            this.decodeDeadline = decodeDeadline;
            this.maxOutput = maxOutput;
        }

        WireResponse serve() throws IOException {
            boolean traffic = false;
            while (true) {
                Frames.Frame frame = Frames.read(w.in, limits.maxFrame());
                traffic |= frame.type() != Frames.PREPARING && frame.type() != Frames.STARTED;
                switch (frame.type()) {
                    case Frames.OUT, Frames.ERR -> write(frame.type() == Frames.OUT ? out : err, frame.payload());
                    case Frames.NEED_INPUT -> {
                        if (frame.payload().length != 4) {
                            throw new BadFrameException("an input request of " + frame.payload().length + " bytes",
                                    "frame layout");
                        }
                        int want = Math.min(8192, Math.max(1, ByteBuffer.wrap(frame.payload()).getInt()));
                        char[] buf = new char[want];
                        // a surrogate pair is sent whole: its halves apart would each be encoded as '?'
                        int n;
                        readingHostInput = true;
                        try {
                            // a read still blocked in the host's reader when this call ends keeps its text for
                            // the next call of that reader (HostInput)
                            n = in == null ? -1 : HostInput.read(in, buf, 0, want == 1 ? 1 : want - 1, open);
                            if (n > 0 && want > 1 && Character.isHighSurrogate(buf[n - 1])) {
                                n += Math.max(0, HostInput.read(in, buf, n, 1, open));
                            }
                        } finally {
                            readingHostInput = false;
                        }
                        String text = n <= 0 ? "" : new String(buf, 0, n);
                        Frames.write(w.out, Frames.INPUT, text.getBytes(StandardCharsets.UTF_8));
                    }
                    case Frames.PREPARING, Frames.STARTED -> clock(frame, traffic);
                    case Frames.RESULT -> {
                        return WireCodec.readResponse(frame.payload(), limits, decodeDeadline.getAsLong(), w.id);
                    }
                    default -> throw new BadFrameException("a frame of unknown type 0x"
                            + Integer.toHexString(frame.type() & 0xff), "frame type");
                }
            }
        }

        /**
         * The worker's clock frames: each at most once, empty, PREPARING before anything else and STARTED
         * after it. A worker can thus extend one call's deadline by pysandbox.process.prepareMillis, once.
         */
        private void clock(Frames.Frame frame, boolean afterTraffic) throws BadFrameException {
            boolean preparingFrame = frame.type() == Frames.PREPARING;
            boolean inOrder = preparingFrame ? !preparing.isDone() : preparing.isDone() && !started.isDone();
            if (frame.payload().length != 0 || afterTraffic || !inOrder) {
                throw new BadFrameException("a " + (preparingFrame ? "preparing" : "started") + " frame out of order",
                        "frame order");
            }
            (preparingFrame ? preparing : started).complete(System.currentTimeMillis());
        }

        /** Script output: valid UTF-8 and within the output limit, or the worker is lying about it. */
        private void write(Writer target, byte[] utf8) throws IOException {
            output += utf8.length;
            if (output > maxOutput) {
                throw new BadFrameException("more output than the script's limit allows (" + output + " bytes)",
                        "pysandbox.maxOutput");
            }
            CharBuffer text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8));
            } catch (CharacterCodingException e) {
                throw new BadFrameException("output that is not valid UTF-8", "invalid UTF-8");
            }
            // in pieces, as in-process: a frame can be as large as the output limit, and after the call ended at
            // most the piece inside the host's writer reaches it
            HostOutput guard = HostOutput.of(target);
            int end = text.arrayOffset() + text.limit();
            for (int at = text.arrayOffset() + text.position(); at < end; at += WRITE_PIECE) {
                if (!guard.write(target, text.array(), at, Math.min(WRITE_PIECE, end - at), open)) {
                    return;
                }
            }
            guard.flush(target, open);
        }

        /**
         * After this returns, no write to the caller's streams starts; a piece already inside the host's writer
         * ends when the writer returns, and the next call's output to that writer waits for it (HostOutput).
         * Never waits itself: a host writer that never returns held the caller past its timeout, and the
         * sandbox's lock with it.
         */
        void close() {
            closed = true;
        }
    }

    private void lose(WorkerProcess w) {
        w.kill();
        if (worker == w) {
            worker = null;
        }
    }

    /**
     * Applies the worker's namespace to the caller's map: changed names written, deleted names removed.
     * Only Python identifiers are written, whatever the worker sends.
     */
    private static void writeBack(Map<String, Object> target, Map<String, Object> sent, Map<String, Object> after) {
        if (target == null || after == null) {
            return;
        }
        try {
            for (Map.Entry<String, Object> e : after.entrySet()) {
                if (!InProcessExecutor.isIdentifier(e.getKey())) {
                    // what a worker answers is its to choose: only names a script can bind come back, never a
                    // key like "pysandbox.isolation" that a JSR-223 engine would read as its configuration
                    continue;
                }
                if (!sent.containsKey(e.getKey()) || !java.util.Objects.equals(sent.get(e.getKey()), e.getValue())) {
                    target.put(e.getKey(), e.getValue());
                }
            }
            for (String key : sent.keySet()) {
                if (!after.containsKey(key)) {
                    target.remove(key);
                }
            }
        } catch (UnsupportedOperationException readOnlyMap) {
            // the caller passed an unmodifiable map: it gets the script's reads, not its writes
        }
    }

    @Override
    public void close() {
        // not under the executor's lock, which a call without a timeout may hold for ever (review 44: close
        // waited for it); the killed worker ends that call, which then says the sandbox was closed. Killed
        // before anything else: closing its stdin first waited for a write the worker did not read (review 45)
        closed = true;
        for (WorkerProcess w : new WorkerProcess[] {worker, starting}) {
            if (w != null) {
                w.kill();
            }
        }
    }

    /** Brings the worker up (tests: so that a timed call does not include a JVM start). */
    synchronized void workerForTest() throws ScriptException {
        worker();
    }

    /** The Truffle runtime of the current worker ("Interpreted" without the JIT), or null. */
    synchronized String workerRuntime() {
        return worker == null ? null : worker.runtime();
    }

    /** The process id of the current worker, or -1 (tests and diagnostics). */
    synchronized long workerPid() {
        return worker == null ? -1 : worker.pid();
    }
}
