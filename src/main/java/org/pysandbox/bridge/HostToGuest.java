package org.pysandbox.bridge;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.concurrent.Callable;

import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

/**
 * Turns host values into what the guest may see: Python scalars for scalars, and read-only proxies for
 * everything else. The guest never receives a host object itself, so no Java member is reachable.
 */
public final class HostToGuest {
    private final GuestToHost back;

    public HostToGuest(GuestToHost back) {
        this.back = back;
    }

    /** The guest-side form of a host value. */
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
            return fromOtherContext(v, null);
        }
        if (value instanceof Map<?, ?> map) {
            return new ReadOnlyMap(map, this);
        }
        if (value instanceof List<?> list) {
            return new ReadOnlySequence(list, this);
        }
        if (value instanceof Collection<?> collection) {
            return new ReadOnlySequence(List.copyOf(collection), this);
        }
        if (value.getClass().isArray()) {
            return new ReadOnlySequence(arrayAsList(value), this);
        }
        Object function = HostFunction.of(value, this, back);
        if (function != null) {
            return function;
        }
        return new ReadOnlyBean(value, this);
    }

    /**
     * A value of another (trusted) polyglot context: scalars as Python values, arrays and hashes as
     * read-only snapshots, anything else as a read-only view made by the sandbox runtime.
     */
    Object fromOtherContext(Value v, String memberName) {
        if (v == null || v.isNull()) {
            return Value.asValue(null);
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
        if (v.hasArrayElements() && !v.canExecute()) {
            List<Value> items = new java.util.ArrayList<>();
            for (long i = 0; i < v.getArraySize(); i++) {
                items.add(v.getArrayElement(i));
            }
            return new ReadOnlySequence(items, this);
        }
        if (v.hasHashEntries() && !v.canExecute()) {
            Map<Object, Object> entries = new java.util.LinkedHashMap<>();
            Value it = v.getHashEntriesIterator();
            while (it.hasIteratorNextElement()) {
                Value entry = it.getIteratorNextElement();
                Value key = entry.getArrayElement(0);
                Object k = key.isString() ? key.asString() : key.isNumber() && key.fitsInLong() ? key.asLong()
                        : key.isBoolean() ? key.asBoolean() : key.toString();
                entries.put(k, entry.getArrayElement(1));
            }
            return new ReadOnlyMap(entries, this);
        }
        return back.interpreter().runtimeMember("host_value_view").execute(new ValueView(v, this, memberName));
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

    /** Interfaces whose implementations cross as plain callables. */
    static boolean isFunctional(Object value) {
        return value instanceof Function || value instanceof BiFunction || value instanceof Supplier
                || value instanceof Predicate || value instanceof BiPredicate || value instanceof Consumer
                || value instanceof BiConsumer || value instanceof Runnable || value instanceof Callable
                || value instanceof UnaryOperator || value instanceof BinaryOperator;
    }
}
