package org.pysandbox.isolation;

import java.io.IOException;
import java.lang.reflect.Array;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

import javax.script.ScriptException;

import org.pysandbox.bridge.Scalars;

/**
 * The messages between a host and a worker, in the tagged data format of {@link WireWriter} and
 * {@link WireReader}: a configuration, a run, a call, and a result (a value and namespaces, or an
 * error as data). No Java serialization: only the data types of SPEC §4 and guest-object handles exist
 * on the wire, and the reader enforces {@link WireLimits} on every frame. A value the worker could only
 * see as a live host object (a callback, a functional interface, a bean) cannot cross a process
 * boundary and is refused with a message saying so.
 */
final class WireCodec {
    /** How deep the values a worker sends may be nested (the host reads them under {@link WireLimits#maxDepth}). */
    static final int MAX_WRITE_DEPTH = 200;

    private WireCodec() {
    }

    /**
     * Host value -> data a worker can rebuild, or a ScriptException naming what cannot cross. The data is
     * checked against {@code limits}, the rules the worker reads it under ({@link WireLimits#WORKER}), so
     * what the worker would refuse is refused here, before the call begins. The value is one collection down
     * already: it is sent inside its namespace or argument list (review 28: a value nested 200 deep passed
     * here and failed later).
     */
    static Object toData(Object value, String where, WireLimits limits) throws ScriptException {
        return toData(value, where, limits, 1);
    }

    /** {@code depth}: the collections around the value on the wire. */
    private static Object toData(Object value, String where, WireLimits limits, int depth) throws ScriptException {
        if (value == null || value instanceof RemoteGuestObject) {
            return value;
        }
        if (value instanceof byte[] b) {
            checkLength(b.length, "a bytes value", where, limits);
            return value;
        }
        if (Scalars.is(value)) {
            Object scalar = Scalars.of(value);
            if (scalar instanceof String s) {
                checkString(s, where, limits);
            } else if (scalar instanceof BigInteger i) {
                checkLength(i.bitLength() / 8 + 1, "an int", where, limits);
            }
            return scalar;
        }
        // an Optional is unwrapped on the wire, but counted: a chain of them is still recursion
        if (depth + 1 > limits.maxDepth()) {
            throw new ScriptException(where + ": values nested deeper than " + limits.maxDepth()
                    + " (or containing themselves) cannot be passed to a sandbox with isolation=process");
        }
        if (value instanceof Optional<?> o) {
            return toData(o.orElse(null), where, limits, depth + 1);
        }
        // counted as copied: a size() that disagrees with the iteration, or a collection filled meanwhile by
        // another thread, is judged by what is sent (review 32)
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                copy.put(toData(e.getKey(), where, limits, depth + 1), toData(e.getValue(), where, limits, depth + 1));
                checkItems(copy.size(), where, limits);
            }
            return copy;
        }
        if (value instanceof Set<?> set) {
            Set<Object> copy = new LinkedHashSet<>();
            for (Object o : set) {
                copy.add(toData(o, where, limits, depth + 1));
                checkItems(copy.size(), where, limits);
            }
            return copy;
        }
        if (value instanceof Collection<?> list) {
            List<Object> copy = new ArrayList<>();
            for (Object o : list) {
                copy.add(toData(o, where, limits, depth + 1));
                checkItems(copy.size(), where, limits);
            }
            return copy;
        }
        if (value.getClass().isArray()) {
            int n = Array.getLength(value);
            checkItems(n, where, limits); // an array's length is fixed
            List<Object> copy = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                copy.add(toData(Array.get(value, i), where, limits, depth + 1));
            }
            return copy;
        }
        throw new ScriptException(where + ": a " + value.getClass().getName() + " cannot be passed to a sandbox "
                + "with isolation=process. Only data crosses a process boundary (null, strings, numbers, booleans, "
                + "lists, maps, sets, arrays and guest-object handles); host callbacks, functional interfaces and "
                + "other live Java objects are supported only with isolation=context");
    }

    /** A string the worker reads under {@link WireLimits#maxString} (its UTF-8 bytes, as the writer encodes it). */
    static void checkString(String s, String where, WireLimits limits) throws ScriptException {
        if (s != null && (long) s.length() * 3 > limits.maxString()) {
            checkLength(utf8Length(s), "a string", where, limits);
        }
    }

    private static void checkLength(long bytes, String what, String where, WireLimits limits) throws ScriptException {
        if (bytes > limits.maxString()) {
            throw new ScriptException(where + ": " + what + " of " + bytes + " bytes is more than a sandbox with "
                    + "isolation=process accepts (at most " + limits.maxString() + " bytes of UTF-8 per str, bytes or int)");
        }
    }

    /** A collection (a namespace and an argument list are collections on the wire too) of at most maxItems. */
    static void checkItems(int items, String where, WireLimits limits) throws ScriptException {
        if (items > limits.maxItems()) {
            throw new ScriptException(where + ": a collection of more than " + limits.maxItems() + " elements cannot "
                    + "be passed to a sandbox with isolation=process");
        }
    }

    /** What {@code s.getBytes(UTF_8)} would count, without the copy: an unpaired surrogate is written as '?'. */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0, len = s.length(); i < len; ) {
            int cp = s.codePointAt(i);
            n += utf8Length(cp);
            i += Character.charCount(cp);
        }
        return n;
    }

    /** The bytes of one code point as {@code getBytes(UTF_8)} writes it; an unpaired surrogate is one '?'. */
    static int utf8Length(int codePoint) {
        return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint >= 0x10000 ? 4
                : Character.isSurrogate((char) codePoint) ? 1 : 3;
    }

    // ---- host -> worker

    static byte[] configure(WireConfig config) throws IOException {
        WireWriter w = new WireWriter(UnaryOperator.identity(), MAX_WRITE_DEPTH, WireConfig.MAX_BYTES,
                "the configuration");
        config.writeTo(w);
        return w.toByteArray();
    }

    static WireConfig readConfigure(byte[] payload, WireLimits limits, long deadlineNanos) throws BadFrameException {
        WireReader r = new WireReader(payload, limits, deadlineNanos, h -> h);
        WireConfig config = WireConfig.read(r);
        r.end();
        return config;
    }

    /**
     * A run ({@link Frames#RUN}) or a call ({@link Frames#CALL}, with function and args set), its values
     * already checked by {@link #toData} against the {@code limits} the worker reads them under.
     */
    static byte[] request(WireRequest q, WireLimits limits) throws IOException {
        WireWriter w = new WireWriter(UnaryOperator.identity(), limits.maxDepth(), limits.maxFrame(),
                "the request (code, data and configuration)");
        q.config().writeTo(w);
        w.value(q.sameInput());
        if (q.function() == null) {
            w.value(q.code()).value(q.fileName()).value(q.wantValue()).value(q.globals()).value(q.locals())
                    .value(q.writeBack());
        } else {
            w.handle((RemoteGuestObject) q.function()).value(q.args());
        }
        return w.toByteArray();
    }

    /** Reads a request; {@code handles} turns the handles in it into the worker's own objects. */
    static WireRequest readRequest(byte type, byte[] payload, WireLimits limits, long deadlineNanos,
            WireReader.Handles handles) throws BadFrameException {
        WireReader r = new WireReader(payload, limits, deadlineNanos, handles);
        WireConfig config = WireConfig.read(r);
        boolean sameInput = r.bool();
        WireRequest q;
        if (type == Frames.RUN) {
            q = new WireRequest(config, sameInput, r.string(), r.string(), r.bool(), r.namespaceOrNull(),
                    r.namespaceOrNull(), null, null, r.bool());
        } else {
            Object function = handles.resolve(r.handle());
            q = new WireRequest(config, sameInput, null, "<call>", false, null, null, function, r.list(), false);
        }
        r.end();
        return q;
    }

    // ---- worker -> host

    /** A result; {@code replace} turns the worker's guest objects into handles. */
    static byte[] response(WireResponse response, UnaryOperator<Object> replace) throws IOException {
        return response(response, replace, WireLimits.WORKER);
    }

    /**
     * A result, written under what the host reads ({@code host}, from the call's configuration): a result the
     * host would refuse fails as it is written, and the worker answers with an error and keeps its state
     * (reviews 34, 35: written whole, it cost the worker its heap, or the host killed the worker for it).
     */
    static byte[] response(WireResponse response, UnaryOperator<Object> replace, WireLimits host) throws IOException {
        WireWriter w = new WireWriter(replace, host.maxDepth(), host.maxFrame(), "the result").checking(host);
        w.value(response.error() == null ? (Object) "V" : "E");
        if (response.error() == null) {
            w.value(response.value()).value(response.globals()).value(response.locals());
        } else {
            response.error().within(host).writeTo(w);
        }
        return w.toByteArray();
    }

    /** A result with handles of any worker (tests of the codec). */
    static WireResponse readResponse(byte[] payload, WireLimits limits, long deadlineNanos) throws BadFrameException {
        return readResponse(payload, limits, deadlineNanos, h -> h);
    }

    /**
     * A result of worker {@code sender}: a handle that names another worker is a broken rule (review 41: a
     * compromised worker answered with a handle of a neighbour's object, worker ids being easy to guess,
     * and a host that passed it on to that neighbour handed its script its own live object).
     */
    static WireResponse readResponse(byte[] payload, WireLimits limits, long deadlineNanos, long sender)
            throws BadFrameException {
        return readResponse(payload, limits, deadlineNanos, h -> {
            if (h.worker() != sender) {
                throw new BadFrameException("a guest-object handle of worker " + h.worker() + " in an answer of worker "
                        + sender, "foreign handle");
            }
            return h;
        });
    }

    private static WireResponse readResponse(byte[] payload, WireLimits limits, long deadlineNanos,
            WireReader.Handles handles) throws BadFrameException {
        WireReader r = new WireReader(payload, limits, deadlineNanos, handles);
        String kind = r.string();
        WireResponse response;
        if (kind.equals("V")) {
            response = new WireResponse(r.value(), r.namespaceOrNull(), r.namespaceOrNull(), null);
        } else if (kind.equals("E")) {
            response = new WireResponse(null, null, null, WireError.read(r));
        } else {
            throw new BadFrameException("a result that is neither a value nor an error", "wrong type");
        }
        r.end();
        return response;
    }
}
