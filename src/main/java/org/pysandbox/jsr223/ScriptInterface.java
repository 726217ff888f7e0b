package org.pysandbox.jsr223;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.math.BigInteger;


/**
 * Implements a Java interface with script functions ({@code getInterface(Class)}: functions bound in the
 * engine's context, looked up at each call) or with the methods of a script object
 * ({@code getInterface(Object, Class)}). Each call goes through {@code invokeFunction}/{@code invokeMethod},
 * so it is confined and limited like an eval. A ScriptException is thrown as is when the interface method
 * declares it, else wrapped in an {@link UndeclaredThrowableException}.
 */
final class ScriptInterface implements InvocationHandler {
    private final PySandboxEngine engine;
    /** The script object whose methods implement the interface, or null for the engine's functions. */
    private final Object thiz;
    private final Class<?> type;

    ScriptInterface(PySandboxEngine engine, Object thiz, Class<?> type) {
        this.engine = engine;
        this.thiz = thiz;
        this.type = type;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> type.getName() + " implemented by " + (thiz == null ? "script functions" : "a script object");
            };
        }
        if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        Object result;
        try {
            result = thiz == null ? engine.invokeFunction(method.getName(), args) : engine.invokeMethod(thiz,
                    method.getName(), args);
        } catch (Exception e) {
            for (Class<?> declared : method.getExceptionTypes()) {
                if (declared.isInstance(e)) {
                    throw e;
                }
            }
            throw new UndeclaredThrowableException(e, type.getSimpleName() + "." + method.getName()
                    + " failed in the script: " + e.getMessage());
        }
        return adapt(result, method);
    }

    /** Fits the script's result to the declared return type (numbers are widened or narrowed as Java does). */
    private Object adapt(Object result, Method method) {
        Class<?> want = method.getReturnType();
        if (want == void.class) {
            return null;
        }
        if (result instanceof Number n) {
            if (want == int.class || want == Integer.class) {
                return n.intValue();
            } else if (want == long.class || want == Long.class) {
                return n.longValue();
            } else if (want == double.class || want == Double.class) {
                return n.doubleValue();
            } else if (want == float.class || want == Float.class) {
                return n.floatValue();
            } else if (want == short.class || want == Short.class) {
                return n.shortValue();
            } else if (want == byte.class || want == Byte.class) {
                return n.byteValue();
            } else if (want == BigInteger.class && !(n instanceof BigInteger)) {
                return BigInteger.valueOf(n.longValue());
            }
        }
        if ((want == char.class || want == Character.class) && result instanceof String s && s.length() == 1) {
            return s.charAt(0);
        }
        if (PySandboxEngine.isScriptObject(result) && want.isInterface() && !want.isInstance(result)) {
            Object adapted = engine.getInterface(result, want);
            if (adapted != null) {
                return adapted;
            }
        }
        if (result == null && want.isPrimitive()) {
            throw new NullPointerException(type.getSimpleName() + "." + method.getName() + " returned None, but the "
                    + "interface declares " + want.getName());
        }
        if (result != null && !box(want).isInstance(result)) {
            throw new ClassCastException(type.getSimpleName() + "." + method.getName() + " returned a "
                    + result.getClass().getName() + ", but the interface declares " + want.getName());
        }
        return result;
    }

    private static Class<?> box(Class<?> c) {
        if (!c.isPrimitive()) {
            return c;
        }
        return switch (c.getName()) {
            case "boolean" -> Boolean.class;
            case "char" -> Character.class;
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "double" -> Double.class;
            case "float" -> Float.class;
            case "short" -> Short.class;
            default -> Byte.class;
        };
    }
}
