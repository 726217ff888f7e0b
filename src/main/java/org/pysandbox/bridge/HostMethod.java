package org.pysandbox.bridge;

import java.lang.reflect.Method;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * An allowed host method bound to its object, as a Python callable. Arguments are converted as results
 * are (SPEC §4); the overload is the first whose parameters accept them. The method runs on the caller's
 * thread; what it returns goes back through the policy again.
 */
final class HostMethod implements ProxyExecutable {
    private static final Object NO = new Object();
    private final Object target;
    private final String name;
    private final List<Method> overloads;
    private final HostToGuest convert;

    HostMethod(Object target, String name, List<Method> overloads, HostToGuest convert) {
        this.target = target;
        this.name = name;
        this.overloads = overloads;
        this.convert = convert;
    }

    @Override
    public Object execute(Value... arguments) {
        Object[] host = new Object[arguments.length];
        for (int i = 0; i < arguments.length; i++) {
            host[i] = convert.back().toHost(arguments[i]);
        }
        for (Method m : overloads) {
            Object[] args = fit(m, host);
            if (args != null) {
                return convert.toGuest(CallerThread.run(() -> ReadOnlyBean.invoke(m, target, args)));
            }
        }
        throw convert.refuseCall("no overload of the host method '" + name + "' accepts these " + host.length
                + " argument(s); allowed: " + overloads.stream().map(Method::toGenericString).toList());
    }

    private static Object[] fit(Method m, Object[] args) {
        Class<?>[] types = m.getParameterTypes();
        if (types.length != args.length) {
            return null;
        }
        Object[] result = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            Object v = coerce(args[i], types[i]);
            if (v == NO) {
                return null;
            }
            result[i] = v;
        }
        return result;
    }

    private static Object coerce(Object v, Class<?> type) {
        if (v == null) {
            return type.isPrimitive() ? NO : null;
        }
        Class<?> boxed = box(type);
        if (boxed.isInstance(v)) {
            return v;
        }
        if (v instanceof Number n && !(v instanceof Double) && !(v instanceof BigInteger)) {
            long l = n.longValue();
            if (boxed == Long.class) {
                return l;
            }
            if (boxed == Integer.class && l == (int) l) {
                return (int) l;
            }
            if (boxed == Short.class && l == (short) l) {
                return (short) l;
            }
            if (boxed == Byte.class && l == (byte) l) {
                return (byte) l;
            }
            if (boxed == Double.class) {
                return (double) l;
            }
            if (boxed == Float.class) {
                return (float) l;
            }
        }
        if (v instanceof Double d && boxed == Float.class) {
            return d.floatValue();
        }
        if (v instanceof String s && boxed == Character.class && s.length() == 1) {
            return s.charAt(0);
        }
        if (v instanceof List<?> && type.isAssignableFrom(List.class) || v instanceof Map<?, ?> && type.isAssignableFrom(Map.class)
                || v instanceof Set<?> && type.isAssignableFrom(Set.class)) {
            return v;
        }
        return NO;
    }

    private static Class<?> box(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return switch (type.getName()) {
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "double" -> Double.class;
            case "float" -> Float.class;
            case "boolean" -> Boolean.class;
            case "short" -> Short.class;
            case "byte" -> Byte.class;
            case "char" -> Character.class;
            default -> Void.class;
        };
    }

    @Override
    public String toString() {
        return "<host method " + name + ">";
    }
}
