package org.pysandbox.bridge;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Whether host values reach the guest as plain data: scalars, and maps, collections and arrays of plain
 * data, small enough to look at ({@value #BUDGET} items in all). Operations on plain data run only the
 * interpreter's builtins and the host's collections, never code of the guest; a script object handed back
 * in (a {@link GuestObject}, directly or inside a collection), a bean or a function may run the guest's
 * own methods ({@code __eq__}, a property) when the script merely compares or reads it.
 */
public final class PlainValues {
    static final int BUDGET = 1000;
    private static final int MAX_DEPTH = 8;

    private PlainValues() {
    }

    /** True when every value of the map (null counts as an empty map) is plain data. */
    public static boolean only(Map<String, Object> values) {
        if (values == null) {
            return true;
        }
        int[] budget = {BUDGET};
        try {
            for (Object value : values.values()) {
                if (!plain(value, budget, 0)) {
                    return false;
                }
            }
            return true;
        } catch (RuntimeException changedWhileLooking) {
            // a collection modified concurrently, or one that refuses iteration: not known to be plain
            return false;
        }
    }

    private static boolean plain(Object value, int[] budget, int depth) {
        if (--budget[0] < 0 || depth > MAX_DEPTH) {
            return false;
        }
        if (value == null || Scalars.is(value)) {
            return true;
        }
        if (value instanceof Optional<?> o) {
            return plain(o.orElse(null), budget, depth + 1);
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!plain(e.getKey(), budget, depth + 1) || !plain(e.getValue(), budget, depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof Collection<?> collection) {
            for (Object item : collection) {
                if (!plain(item, budget, depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        if (value.getClass().isArray()) {
            int n = Array.getLength(value);
            if (value.getClass().getComponentType().isPrimitive()) {
                budget[0] -= n;
                return budget[0] >= 0;
            }
            for (int i = 0; i < n; i++) {
                if (!plain(Array.get(value, i), budget, depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }
}
