package org.pysandbox.isolation;

import java.io.IOException;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
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
    /** How deep host data may be nested to be sent (the reader's own limit is {@link WireLimits#maxDepth}). */
    static final int MAX_WRITE_DEPTH = 200;

    private WireCodec() {
    }

    /**
     * Host value -> data a worker can rebuild, or a ScriptException naming what cannot cross. The value is
     * one level down already: it is sent inside its namespace or argument list, which the writer counts
     * (review 28: a value nested 200 deep passed here and failed in the writer, after the call had begun).
     */
    static Object toData(Object value, String where) throws ScriptException {
        return toData(value, where, 1);
    }

    private static Object toData(Object value, String where, int depth) throws ScriptException {
        if (depth > MAX_WRITE_DEPTH) {
            throw new ScriptException(where + ": values nested deeper than " + MAX_WRITE_DEPTH
                    + " (or containing themselves) cannot be passed to a sandbox with isolation=process");
        }
        if (value == null || value instanceof byte[] || value instanceof RemoteGuestObject) {
            return value;
        }
        if (Scalars.is(value)) {
            return Scalars.of(value);
        }
        if (value instanceof Optional<?> o) {
            return toData(o.orElse(null), where, depth + 1);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                copy.put(toData(e.getKey(), where, depth + 1), toData(e.getValue(), where, depth + 1));
            }
            return copy;
        }
        if (value instanceof Set<?> set) {
            Set<Object> copy = new LinkedHashSet<>();
            for (Object o : set) {
                copy.add(toData(o, where, depth + 1));
            }
            return copy;
        }
        if (value instanceof Collection<?> list) {
            List<Object> copy = new ArrayList<>();
            for (Object o : list) {
                copy.add(toData(o, where, depth + 1));
            }
            return copy;
        }
        if (value.getClass().isArray()) {
            List<Object> copy = new ArrayList<>();
            for (int i = 0, n = Array.getLength(value); i < n; i++) {
                copy.add(toData(Array.get(value, i), where, depth + 1));
            }
            return copy;
        }
        throw new ScriptException(where + ": a " + value.getClass().getName() + " cannot be passed to a sandbox "
                + "with isolation=process. Only data crosses a process boundary (null, strings, numbers, booleans, "
                + "lists, maps, sets, arrays and guest-object handles); host callbacks, functional interfaces and "
                + "other live Java objects are supported only with isolation=context");
    }

    // ---- host -> worker

    static byte[] configure(WireConfig config) throws IOException {
        WireWriter w = new WireWriter(UnaryOperator.identity(), MAX_WRITE_DEPTH);
        config.writeTo(w);
        return w.toByteArray();
    }

    static WireConfig readConfigure(byte[] payload, WireLimits limits, long deadlineNanos) throws BadFrameException {
        WireReader r = new WireReader(payload, limits, deadlineNanos, h -> h);
        WireConfig config = WireConfig.read(r);
        r.end();
        return config;
    }

    /** A run ({@link Frames#RUN}) or a call ({@link Frames#CALL}, with function and args set). */
    static byte[] request(WireRequest q) throws IOException {
        WireWriter w = new WireWriter(UnaryOperator.identity(), MAX_WRITE_DEPTH);
        q.config().writeTo(w);
        w.value(q.sameInput());
        if (q.function() == null) {
            w.value(q.code()).value(q.fileName()).value(q.wantValue()).value(q.globals()).value(q.locals());
        } else {
            w.handle((RemoteGuestObject) q.function()).value(q.args());
        }
        return w.toByteArray();
    }

    /** Reads a request; {@code handles} turns the handles in it into the worker's own objects. */
    static WireRequest readRequest(byte type, byte[] payload, WireLimits limits, long deadlineNanos,
            Function<RemoteGuestObject, Object> handles) throws BadFrameException {
        WireReader r = new WireReader(payload, limits, deadlineNanos, handles);
        WireConfig config = WireConfig.read(r);
        boolean sameInput = r.bool();
        WireRequest q;
        if (type == Frames.RUN) {
            q = new WireRequest(config, sameInput, r.string(), r.string(), r.bool(), r.namespaceOrNull(),
                    r.namespaceOrNull(), null, null);
        } else {
            Object function = handles.apply(r.handle());
            q = new WireRequest(config, sameInput, null, "<call>", false, null, null, function, r.list());
        }
        r.end();
        return q;
    }

    // ---- worker -> host

    /** A result; {@code replace} turns the worker's guest objects into handles. */
    static byte[] response(WireResponse response, UnaryOperator<Object> replace) throws IOException {
        WireWriter w = new WireWriter(replace, MAX_WRITE_DEPTH);
        w.value(response.error() == null ? (Object) "V" : "E");
        if (response.error() == null) {
            w.value(response.value()).value(response.globals()).value(response.locals());
        } else {
            response.error().writeTo(w);
        }
        return w.toByteArray();
    }

    static WireResponse readResponse(byte[] payload, WireLimits limits, long deadlineNanos) throws BadFrameException {
        WireReader r = new WireReader(payload, limits, deadlineNanos, h -> h);
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
