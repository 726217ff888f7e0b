package org.pysandbox.isolation;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.lang.reflect.Array;
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
 * Serialises what crosses to and from a worker process. Values are the data of SPEC §4 (null, strings,
 * numbers, booleans, lists, maps, sets, arrays, byte arrays) and guest-object handles; a value the
 * worker could only see as a live host object (a callback, a functional interface, a bean) cannot cross
 * a process boundary and is refused with a message saying so. Failures cross as the script exceptions
 * they are, with causes that only the worker's JVM could read turned into plain descriptions.
 */
final class WireCodec {
    private WireCodec() {
    }

    /** Host value -> data a worker can rebuild, or a ScriptException naming what cannot cross. */
    static Object toData(Object value, String where) throws ScriptException {
        if (value == null || value instanceof byte[] || value instanceof RemoteGuestObject) {
            return value;
        }
        if (Scalars.is(value)) {
            return Scalars.of(value);
        }
        if (value instanceof Optional<?> o) {
            return toData(o.orElse(null), where);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                copy.put(toData(e.getKey(), where), toData(e.getValue(), where));
            }
            return copy;
        }
        if (value instanceof Set<?> set) {
            Set<Object> copy = new LinkedHashSet<>();
            for (Object o : set) {
                copy.add(toData(o, where));
            }
            return copy;
        }
        if (value instanceof Collection<?> list) {
            List<Object> copy = new ArrayList<>();
            for (Object o : list) {
                copy.add(toData(o, where));
            }
            return copy;
        }
        if (value.getClass().isArray()) {
            List<Object> copy = new ArrayList<>();
            for (int i = 0, n = Array.getLength(value); i < n; i++) {
                copy.add(toData(Array.get(value, i), where));
            }
            return copy;
        }
        throw new ScriptException(where + ": a " + value.getClass().getName() + " cannot be passed to a sandbox "
                + "with isolation=process. Only data crosses a process boundary (null, strings, numbers, booleans, "
                + "lists, maps, sets, arrays and guest-object handles); host callbacks, functional interfaces and "
                + "other live Java objects are supported only with isolation=context");
    }

    static byte[] encode(Object value, UnaryOperator<Object> replace) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new Replacing(bytes, replace)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    static Object decode(byte[] data, UnaryOperator<Object> resolve) throws IOException {
        try (ObjectInputStream in = new Resolving(new ByteArrayInputStream(data), resolve)) {
            return in.readObject();
        } catch (ClassNotFoundException e) {
            throw new IOException("unknown class on the wire: " + e.getMessage(), e);
        }
    }

    /** Replaces objects while writing: handles, and throwables the other JVM could not read. */
    private static final class Replacing extends ObjectOutputStream {
        private final UnaryOperator<Object> replace;

        Replacing(ByteArrayOutputStream out, UnaryOperator<Object> replace) throws IOException {
            super(out);
            this.replace = replace;
            enableReplaceObject(true);
        }

        @Override
        protected Object replaceObject(Object obj) {
            if (obj instanceof Throwable t && !(t instanceof ScriptException)) {
                RuntimeException plain = new RuntimeException(t.toString());
                plain.setStackTrace(new StackTraceElement[0]);
                return plain;
            }
            Object replaced = replace.apply(obj);
            if (replaced != obj) {
                return replaced;
            }
            if (!(obj instanceof Serializable)) {
                return String.valueOf(obj);
            }
            return obj;
        }
    }

    /** Resolves handles while reading, and accepts only the classes the protocol uses. */
    private static final class Resolving extends ObjectInputStream {
        private final UnaryOperator<Object> resolve;

        Resolving(ByteArrayInputStream in, UnaryOperator<Object> resolve) throws IOException {
            super(in);
            this.resolve = resolve;
            enableResolveObject(true);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            String name = desc.getName();
            if (!(name.startsWith("java.") || name.startsWith("javax.script.") || name.startsWith("org.pysandbox.")
                    || name.startsWith("[") || name.equals("byte") || name.equals("int") || name.equals("long"))) {
                throw new IOException("class not allowed on the wire: " + name);
            }
            return super.resolveClass(desc);
        }

        @Override
        protected Object resolveObject(Object obj) {
            return resolve.apply(obj);
        }
    }
}
