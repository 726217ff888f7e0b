package org.pysandbox.bridge;

import java.lang.reflect.Array;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether host values reach the guest as plain data: scalars, and maps, collections and arrays of plain
 * data, small enough to look at ({@value #BUDGET} items in all, long strings and big integers counting as
 * several). Operations on plain data run only the interpreter's builtins and the host's collections,
 * never code of the guest; a script object handed back in (a {@link GuestObject}, directly or inside a
 * collection), a bean or a function may run the guest's own methods ({@code __eq__}, a property) when the
 * script merely compares or reads it.
 */
public final class PlainValues {
    static final int BUDGET = 1000;
    private static final int MAX_DEPTH = 8;
    /**
     * A string costs an item per this many characters, an integer per this many bits: one operator of
     * bounded code is not bounded by the number of values alone. {@code a in b} over host strings is
     * quadratic in GraalPy (a 30,001-character needle in a 1,000,000-character haystack ran for over 100 s,
     * uninterruptibly: a review attack), {@code a // b} of two 2.8-million-bit integers took 1.2 s. Within
     * the budget (8,000 characters, 64,000 bits) the worst measured was 50 ms and 20 ms, interpreter-only.
     */
    private static final int CHARS_PER_ITEM = 8;
    private static final int BITS_PER_ITEM = 64;

    private PlainValues() {
    }

    /**
     * The map's values as plain data the host can no longer change, or null when one is not plain: scalars
     * and immutable JDK collections as they are, other collections, maps and arrays copied after their items
     * were checked. Code that runs on the caller's thread because its inputs are plain hands the guest this
     * copy, so what the guest reads is exactly what was checked: a collection whose iterator and get()
     * disagree, or that another thread changes meanwhile, cannot slip a script object past the check.
     * A null map is an empty one.
     */
    public static Map<String, Object> snapshot(Map<String, Object> values) {
        if (values == null) {
            return Map.of();
        }
        int[] budget = {BUDGET};
        Map<String, Object> copy = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Object> e : values.entrySet()) {
                Object value = copy(e.getValue(), budget, 0);
                if (value == NOT_PLAIN) {
                    return null;
                }
                copy.put(e.getKey(), value);
            }
            return copy;
        } catch (RuntimeException changedWhileLooking) {
            return null;
        }
    }

    /** {@link #snapshot(Map)} for the values of a map's names, in their order; null when one is not plain. */
    public static Object[] snapshot(Map<String, Object> values, String[] names) {
        int[] budget = {BUDGET};
        Object[] copy = new Object[names.length];
        try {
            for (int i = 0; i < names.length; i++) {
                copy[i] = copy(values.get(names[i]), budget, 0);
                if (copy[i] == NOT_PLAIN) {
                    return null;
                }
            }
            return copy;
        } catch (RuntimeException changedWhileLooking) {
            return null;
        }
    }

    private static final Object NOT_PLAIN = new Object();

    private static Object copy(Object value, int[] budget, int depth) {
        if (--budget[0] < 0 || depth > MAX_DEPTH) {
            return NOT_PLAIN;
        }
        if (value instanceof String text) {
            budget[0] -= text.length() / CHARS_PER_ITEM;
            return budget[0] < 0 ? NOT_PLAIN : text;
        }
        if (value instanceof BigInteger number) {
            budget[0] -= number.bitLength() / BITS_PER_ITEM;
            return budget[0] < 0 ? NOT_PLAIN : number;
        }
        if (value == null || Scalars.is(value)) {
            return value;
        }
        if (value instanceof Optional<?> o) {
            Object inner = copy(o.orElse(null), budget, depth + 1);
            return inner == NOT_PLAIN ? NOT_PLAIN : Optional.ofNullable(inner);
        }
        boolean immutable = value.getClass().getName().startsWith("java.util.ImmutableCollections$");
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object k = copy(e.getKey(), budget, depth + 1);
                Object v = copy(e.getValue(), budget, depth + 1);
                if (k == NOT_PLAIN || v == NOT_PLAIN) {
                    return NOT_PLAIN;
                }
                immutable &= k == e.getKey() && v == e.getValue();
                copy.put(k, v);
            }
            return immutable ? map : copy;
        }
        if (value instanceof Collection<?> collection) {
            // an immutable collection whose items are plain as they are is handed over itself (the common
            // List.of(...) binding: nothing allocated); the copy is made at its first item that is not,
            // from the items checked before it, which cannot have changed
            List<Object> copy = immutable ? null : new ArrayList<>();
            int checked = 0;
            for (Object item : collection) {
                Object c = copy(item, budget, depth + 1);
                if (c == NOT_PLAIN) {
                    return NOT_PLAIN;
                }
                if (copy == null && c != item) {
                    copy = new ArrayList<>();
                    Iterator<?> before = collection.iterator();
                    for (int i = 0; i < checked; i++) {
                        copy.add(before.next());
                    }
                }
                if (copy != null) {
                    copy.add(c);
                }
                checked++;
            }
            return copy == null ? collection : collection instanceof Set<?> ? new LinkedHashSet<>(copy) : copy;
        }
        if (value.getClass().isArray()) {
            int n = Array.getLength(value);
            if (value.getClass().getComponentType().isPrimitive()) {
                budget[0] -= n;
                if (budget[0] < 0) {
                    return NOT_PLAIN;
                }
                Object copy = Array.newInstance(value.getClass().getComponentType(), n);
                System.arraycopy(value, 0, copy, 0, n);
                return copy;
            }
            Object[] copy = new Object[n];
            for (int i = 0; i < n; i++) {
                copy[i] = copy(Array.get(value, i), budget, depth + 1);
                if (copy[i] == NOT_PLAIN) {
                    return NOT_PLAIN;
                }
            }
            return copy;
        }
        return NOT_PLAIN;
    }
}
