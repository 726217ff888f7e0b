package org.pysandbox.bridge;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Host values that reach Python as one of its scalars (str, bool, int, float), and the form they cross
 * in. One list for every place that moves host values: the guest bridge, the worker-process wire, and
 * the plain-data test of the caller's-thread path.
 */
public final class Scalars {
    private Scalars() {
    }

    /** True for a non-null value that the guest receives as a Python scalar. */
    public static boolean is(Object value) {
        return value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof Double || value instanceof Short
                || value instanceof Byte || value instanceof Float || value instanceof BigInteger
                || value instanceof Character || value instanceof BigDecimal || value instanceof Enum<?>;
    }

    /**
     * The form of a scalar ({@link #is}) that crosses: a char as a one-character String, a BigDecimal as
     * a double, an enum constant as its name, anything else as itself.
     */
    public static Object of(Object value) {
        if (value instanceof Character c) {
            return String.valueOf(c);
        }
        if (value instanceof BigDecimal d) {
            return d.doubleValue();
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        return value;
    }
}
