package org.pysandbox.isolation;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.script.ScriptException;

import org.pysandbox.config.SandboxConfig;
import org.pysandbox.error.MemoryLimitException;
import org.pysandbox.error.ScriptTimeoutException;
import org.pysandbox.limits.Executor;
import org.pysandbox.limits.InProcessExecutor;

/**
 * Runs one tenant's requests in a worker JVM of its own ({@code isolation=process}): the same confined
 * interpreter and limits as in-process, behind a hard heap limit ({@code -Xmx} from maxMemory plus a
 * fixed overhead) and a process the host can kill. A worker that crashes, runs out of its heap or
 * overruns the timeout (plus a grace for the worker's own limit to answer) is killed; the caller gets a
 * script exception saying which, and the next call gets a fresh worker (the tenant's state is lost).
 * Values cross serialised (SPEC §4 data and guest-object handles only; see {@link WireCodec}).
 */
public final class ProcessExecutor implements Executor {
    /** System property: heap of a worker beyond maxMemory, for GraalPy itself (default 512m). */
    public static final String HEAP_OVERHEAD_PROPERTY = "pysandbox.process.heapOverhead";
    private static final long OVERHEAD = parseBytes(System.getProperty(HEAP_OVERHEAD_PROPERTY, "512m"));
    private static final long START_MILLIS = Long.getLong("pysandbox.process.startMillis", 300_000);
    private static final long KILL_GRACE_MILLIS = Long.getLong("pysandbox.process.killGraceMillis", 5_000);

    private final SandboxConfig config;
    private final String heap;
    private WorkerProcess worker;
    private boolean closed;

    public ProcessExecutor(SandboxConfig config) {
        this.config = config;
        this.heap = ((config.maxMemory() == 0 ? 1L << 30 : config.maxMemory()) + OVERHEAD >> 20) + "m";
        WorkerPool.prewarm(heap);
    }

    private static long parseBytes(String s) {
        String t = s.trim().toLowerCase();
        long unit = t.endsWith("g") ? 1L << 30 : t.endsWith("m") ? 1L << 20 : t.endsWith("k") ? 1L << 10 : 1;
        return Long.parseLong(unit == 1 ? t : t.substring(0, t.length() - 1)) * unit;
    }

    private WorkerProcess worker() throws ScriptException {
        if (closed) {
            throw new ScriptException("this sandbox is closed");
        }
        if (worker != null && !worker.isAlive()) {
            worker = null;
        }
        if (worker == null) {
            try {
                WorkerProcess w = WorkerPool.take(heap);
                w.awaitReady(START_MILLIS);
                Frames.write(w.out, Frames.CONFIGURE, WireCodec.encode(WireConfig.of(config), o -> o));
                w.awaitConfigured(START_MILLIS);
                worker = w;
            } catch (IOException e) {
                ScriptException se = new ScriptException("could not start a sandbox worker process: " + e.getMessage());
                se.initCause(e);
                throw se;
            }
        }
        return worker;
    }

    @Override
    public synchronized Object run(Request r) throws ScriptException {
        Map<String, Object> globals = identifiers(r.globals(), "globals");
        Map<String, Object> locals = identifiers(r.locals(), "locals");
        WireRequest request = new WireRequest(r.code(), r.fileName(), globals, locals, r.wantValue(), null, null,
                WireConfig.of(r.config()));
        WireResponse response = exchange(Frames.RUN, request, r.fileName(), r.out(), r.err(), r.in(), r.config());
        writeBack(r.globals(), globals, response.globals());
        writeBack(r.locals(), locals, response.locals());
        return hostValue(response.value());
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
        Object[] data = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            data[i] = WireCodec.toData(args[i], "argument " + (i + 1));
        }
        WireRequest request = new WireRequest(null, "<call>", null, null, false, handle, data,
                WireConfig.of(callConfig));
        return hostValue(exchange(Frames.CALL, request, "<call>", out, err, in, callConfig).value());
    }

    private static Map<String, Object> identifiers(Map<String, Object> map, String what) throws ScriptException {
        if (map == null) {
            return null;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : map.entrySet()) {
            if (InProcessExecutor.isIdentifier(e.getKey())) {
                data.put(e.getKey(), WireCodec.toData(e.getValue(), what + " entry '" + e.getKey() + "'"));
            }
        }
        return data;
    }

    /** Sends the request and serves the worker (output, input) until its answer, a crash or the deadline. */
    private WireResponse exchange(byte type, WireRequest request, String fileName, Writer out, Writer err, Reader in,
            SandboxConfig callConfig) throws ScriptException {
        WorkerProcess w = worker();
        long timeout = callConfig.timeout().toMillis();
        long deadline = timeout == 0 ? Long.MAX_VALUE : System.currentTimeMillis() + timeout + KILL_GRACE_MILLIS;
        CompletableFuture<WireResponse> answer = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                Frames.write(w.out, type, WireCodec.encode(request, o -> o));
                answer.complete(serve(w, out, err, in));
            } catch (Throwable e) {
                answer.completeExceptionally(e);
            }
        }, "pysandbox-worker-io-" + w.id);
        reader.setDaemon(true);
        reader.start();
        try {
            long wait = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1, deadline - System.currentTimeMillis());
            WireResponse response = answer.get(wait, TimeUnit.MILLISECONDS);
            if (response.error() != null) {
                throw response.error();
            }
            return response;
        } catch (TimeoutException e) {
            lose(w);
            throw new ScriptTimeoutException("script stopped: it ran longer than " + describe(callConfig)
                    + " and its worker process was killed", fileName, -1);
        } catch (InterruptedException e) {
            lose(w);
            Thread.currentThread().interrupt();
            throw new ScriptException("interrupted; the sandbox worker process was killed");
        } catch (ExecutionException e) {
            lose(w);
            int exit = w.exitCode();
            if (exit == WorkerProcess.OUT_OF_MEMORY_EXIT) {
                throw new MemoryLimitException("script stopped: its worker process ran out of its " + heap
                        + " heap and was replaced", fileName, -1);
            }
            ScriptException se = new ScriptException("the sandbox worker process failed"
                    + (exit >= 0 ? " (exit code " + exit + ")" : "") + ": " + e.getCause().getMessage()
                    + "; it was replaced, and the sandbox's state is lost");
            se.initCause(e.getCause());
            throw se;
        }
    }

    private static String describe(SandboxConfig c) {
        long ms = c.timeout().toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s (pysandbox.timeout)" : ms + " ms (pysandbox.timeout)";
    }

    private static WireResponse serve(WorkerProcess w, Writer out, Writer err, Reader in) throws IOException {
        while (true) {
            Frames.Frame frame = Frames.read(w.in);
            switch (frame.type()) {
                case Frames.OUT -> {
                    out.write(new String(frame.payload(), StandardCharsets.UTF_8));
                    out.flush();
                }
                case Frames.ERR -> {
                    err.write(new String(frame.payload(), StandardCharsets.UTF_8));
                    err.flush();
                }
                case Frames.NEED_INPUT -> {
                    int want = Math.min(8192, Math.max(1, ByteBuffer.wrap(frame.payload()).getInt()));
                    char[] buf = new char[want];
                    int n = in == null ? -1 : in.read(buf, 0, want);
                    String text = n <= 0 ? "" : new String(buf, 0, n);
                    Frames.write(w.out, Frames.INPUT, text.getBytes(StandardCharsets.UTF_8));
                }
                case Frames.RESULT -> {
                    return (WireResponse) WireCodec.decode(frame.payload(), o -> o);
                }
                default -> throw new IOException("unexpected frame " + (char) frame.type() + " from the worker");
            }
        }
    }

    private void lose(WorkerProcess w) {
        w.kill();
        if (worker == w) {
            worker = null;
        }
    }

    /** Applies the worker's namespace to the caller's map: changed names written, deleted names removed. */
    private static void writeBack(Map<String, Object> target, Map<String, Object> sent, Map<String, Object> after) {
        if (target == null || after == null) {
            return;
        }
        try {
            for (Map.Entry<String, Object> e : after.entrySet()) {
                if (!sent.containsKey(e.getKey()) || !java.util.Objects.equals(sent.get(e.getKey()), e.getValue())) {
                    target.put(e.getKey(), hostValue(e.getValue()));
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

    /** Values from the worker, made unmodifiable as in-process (SPEC §4). */
    private static Object hostValue(Object v) {
        if (v instanceof List<?> list) {
            return Collections.unmodifiableList(list.stream().map(ProcessExecutor::hostValue).toList());
        }
        if (v instanceof Set<?> set) {
            Set<Object> copy = new LinkedHashSet<>();
            set.forEach(o -> copy.add(hostValue(o)));
            return Collections.unmodifiableSet(copy);
        }
        if (v instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, o) -> copy.put(hostValue(k), hostValue(o)));
            return Collections.unmodifiableMap(copy);
        }
        return v;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (worker != null) {
            try {
                w().out.close();
            } catch (IOException ignored) {
                // the worker is gone already
            }
            worker.kill();
            worker = null;
        }
    }

    private WorkerProcess w() {
        return worker;
    }

    /** The process id of the current worker, or -1 (tests and diagnostics). */
    synchronized long workerPid() {
        return worker == null ? -1 : worker.pid();
    }
}
