package org.pysandbox.bridge;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

/**
 * Turns host values into what the guest may see: Python scalars for scalars, and read-only proxies for
 * everything else, shaped by the {@link HostAccessPolicy}. The guest never receives a host object itself.
 *
 * <p>Only a value the host hands over directly (a binding, an argument of an invocation) can be a host
 * function: a functional interface reached through a getter, a field or a container element is an
 * ordinary host object, so a {@code Thread}, a JMeter engine or any {@code Runnable} found inside another
 * value never runs unless a rule allows its method.
 */
public final class HostToGuest {
    private final GuestToHost back;
    private final HostAccessPolicy policy;

    public HostToGuest(GuestToHost back, HostAccessPolicy policy) {
        this.back = back;
        this.policy = policy;
    }

    HostAccessPolicy policy() {
        return policy;
    }

    GuestToHost back() {
        return back;
    }

    /**
     * The guest-side form of a value the host passes directly (a binding or an argument): a functional
     * interface becomes a callable; anything else as {@link #toGuest}.
     */
    public Object toGuestDirect(Object value) {
        if (value == null || Scalars.is(value) && !(value instanceof Enum<?>)) {
            // the common case of a rule's bindings; JDK scalars are no functions (an enum may implement one)
            return toGuest(value);
        }
        if (!HostAccessPolicy.isNeverReachable(value.getClass())) {
            Object function = HostFunction.of(value, this, back);
            if (function != null) {
                return function;
            }
        }
        return toGuest(value);
    }

    /**
     * Arguments the host passes directly (javax.script {@code invokeMethod} hands them to the guest as one
     * list): each element crosses as {@link #toGuestDirect} would, so a callback argument stays callable.
     */
    public static List<Object> directArguments(List<?> arguments) {
        return new DirectArguments(arguments);
    }

    private static final class DirectArguments extends java.util.AbstractList<Object> {
        private final List<?> items;

        DirectArguments(List<?> items) {
            this.items = List.copyOf(items.stream().map(v -> v == null ? NULL : v).toList());
        }

        @Override
        public Object get(int index) {
            Object v = items.get(index);
            return v == NULL ? null : v;
        }

        @Override
        public int size() {
            return items.size();
        }
    }

    private static final Object NULL = new Object();

    /** The guest-side form of a host value reached inside another one. */
    public Object toGuest(Object value) {
        if (value == null) {
            // polyglot refuses a bare Java null in some positions (Value.putHashEntry); this is Python's None
            return Value.asValue(null);
        }
        if (Scalars.is(value)) {
            return Scalars.of(value);
        }
        if (value instanceof Optional<?> o) {
            return toGuest(o.orElse(null));
        }
        if (value instanceof GuestObject handle) {
            return handle.valueFor(back.interpreter());
        }
        if (value instanceof Value v) {
            return toGuest(CallerThread.run(() -> fromOtherContext(v, 0)));
        }
        if (value instanceof Unreachable) {
            return value;
        }
        if (HostAccessPolicy.isNeverReachable(value.getClass())) {
            return new Unreachable(value.getClass());
        }
        if (value instanceof DirectArguments args) {
            return new ReadOnlySequence(args, this, true);
        }
        if (value instanceof Map<?, ?> map) {
            return new ReadOnlyMap(map, this);
        }
        if (value instanceof List<?> list) {
            return new ReadOnlySequence(list, this);
        }
        if (value instanceof Collection<?> collection) {
            return new ReadOnlySequence(CallerThread.plainJdkCollection(collection) ? List.copyOf(collection)
                    : CallerThread.run(() -> java.util.Arrays.asList(collection.toArray())), this);
        }
        if (value.getClass().isArray()) {
            return new ReadOnlySequence(arrayAsList(value), this);
        }
        return new ReadOnlyBean(value, this);
    }

    private static final int MAX_FOREIGN_DEPTH = 16;

    /**
     * The Java data of a value of another (trusted) polyglot context: None, bool, numbers and strings as
     * Python values, arrays and hashes as read-only snapshots of data. Anything else (an object, a
     * function, a module) is {@link Unreachable}: no member of it is read and nothing of it is called, so no
     * code of the trusted context can run on a script's behalf.
     */
    Object fromOtherContext(Value v, int depth) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isString()) {
            return v.asString();
        }
        if (v.isNumber()) {
            if (v.fitsInLong()) {
                return v.asLong();
            }
            if (v.fitsInDouble()) {
                return v.asDouble();
            }
        }
        if (depth < MAX_FOREIGN_DEPTH && v.hasArrayElements() && !v.canExecute()) {
            List<Object> items = new java.util.ArrayList<>();
            for (long i = 0; i < v.getArraySize(); i++) {
                items.add(fromOtherContext(v.getArrayElement(i), depth + 1));
            }
            return java.util.Collections.unmodifiableList(items);
        }
        if (depth < MAX_FOREIGN_DEPTH && v.hasHashEntries() && !v.canExecute() && !v.hasArrayElements()) {
            Map<Object, Object> entries = new java.util.LinkedHashMap<>();
            Value it = v.getHashEntriesIterator();
            while (it.hasIteratorNextElement()) {
                Value entry = it.getIteratorNextElement();
                Value key = entry.getArrayElement(0);
                Object k = key.isString() ? key.asString() : key.isNumber() && key.fitsInLong() ? key.asLong()
                        : key.isBoolean() ? key.asBoolean() : null;
                if (k != null) {
                    entries.put(k, fromOtherContext(entry.getArrayElement(1), depth + 1));
                }
            }
            return java.util.Collections.unmodifiableMap(entries);
        }
        return new Unreachable(Value.class);
    }

    RuntimeException refuseMissing(String message) {
        return raise("refuse_missing", message);
    }

    RuntimeException refuseCall(String message) {
        return raise("refuse_call", message);
    }

    private RuntimeException raise(String function, String message) {
        try {
            back.interpreter().runtimeMember(function).execute(message);
        } catch (PolyglotException e) {
            return e;
        }
        return new UnsupportedOperationException(message);
    }

    /**
     * The error a read-only view raises when the guest tries to change it: a Python ReadOnlyError made
     * by the sandbox runtime (a clean TypeError for the script, a violation for the host), falling back
     * to a plain refusal when the runtime cannot be called.
     */
    RuntimeException refuse(String what) {
        try {
            back.interpreter().runtimeMember("refuse_read_only").execute(what);
        } catch (PolyglotException e) {
            return e;
        } catch (RuntimeException e) {
            // no runtime to raise it: fall back to the interop refusal
        }
        return ReadOnly.refuse(what);
    }

    private static List<Object> arrayAsList(Object array) {
        int n = Array.getLength(array);
        Object[] copy = new Object[n];
        for (int i = 0; i < n; i++) {
            copy[i] = Array.get(array, i);
        }
        return java.util.Arrays.asList(copy);
    }
}
