package org.pysandbox.bridge;

import java.beans.Introspector;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.apache.commons.lang3.reflect.MethodUtils;
import org.pysandbox.HostAccessible;
import org.pysandbox.config.HostAccessRule;

/**
 * Which members of a host object a script may reach. Safe by construction, without the host's say:
 * <ul>
 * <li>record components and public fields, read from the field itself (reading a field runs no code, so
 * it cannot change host state; a record's accessor method could, so it is not called);</li>
 * <li>the getters of immutable JDK value types ({@code java.time}, {@code UUID}).</li>
 * </ul>
 * Any other method, getters included ({@code AtomicInteger.getAndIncrement()} or
 * {@code ByteBuffer.getLong()} change the object they read), runs only when a {@code pysandbox.hostAccess}
 * rule or {@link HostAccessible} allows a declaration of it somewhere in the object's type hierarchy. Types
 * that reach the JVM itself ({@link #isNeverReachable}) are never reachable, whatever the rules say.
 */
public final class HostAccessPolicy {
    private static final System.Logger LOG = System.getLogger("org.pysandbox.hostAccess");
    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();
    private static final int MAX_REPORTED = 10_000;

    /** The setting named in every refusal. */
    public static final String SETTING = "pysandbox.hostAccess";

    /** Host types that reach the JVM, the class path or other threads: never visible to a script. */
    private static final List<Class<?>> NEVER = List.of(Class.class, ClassLoader.class, Thread.class,
            ThreadGroup.class, Runtime.class, Process.class, ProcessBuilder.class, ProcessHandle.class, Module.class,
            ModuleLayer.class, StackWalker.class, java.lang.ref.Reference.class, ThreadLocal.class, ClassValue.class,
            java.security.ProtectionDomain.class, java.security.CodeSource.class, java.util.concurrent.Executor.class,
            java.util.Timer.class, javax.script.ScriptEngine.class, javax.script.ScriptEngineManager.class,
            javax.script.ScriptEngineFactory.class, javax.script.ScriptContext.class, javax.script.CompiledScript.class,
            java.lang.reflect.AnnotatedElement.class, java.lang.reflect.Member.class, java.lang.reflect.Type.class,
            java.lang.reflect.InvocationHandler.class, java.lang.invoke.MethodHandle.class,
            java.lang.invoke.MethodHandles.Lookup.class, java.lang.invoke.VarHandle.class);
    private static final List<String> NEVER_PACKAGES = List.of("java.lang.reflect.", "java.lang.invoke.",
            "java.lang.instrument.", "java.lang.management.", "sun.", "jdk.internal.", "com.sun.", "org.graalvm.",
            "com.oracle.truffle.");

    private final List<HostAccessRule> rules;
    private final ClassValue<Members> members = new ClassValue<>() {
        @Override
        protected Members computeValue(Class<?> type) {
            return membersOf(type);
        }
    };

    public HostAccessPolicy(List<HostAccessRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** True for values of types that reach the JVM itself: a script never gets them, not even as a view. */
    public static boolean isNeverReachable(Class<?> type) {
        return NEVER_REACHABLE.get(type);
    }

    /** isNeverReachable's answer per class: every value crossing into a script asks it, a rule on every call. */
    private static final ClassValue<Boolean> NEVER_REACHABLE = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return neverReachable(type);
        }
    };

    private static boolean neverReachable(Class<?> type) {
        for (Class<?> never : NEVER) {
            if (never.isAssignableFrom(type)) {
                return true;
            }
        }
        String name = type.getName();
        for (String prefix : NEVER_PACKAGES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** A readable property: a field (no code runs) or an allowed getter. */
    record Property(Field field, Method getter) {
    }

    /** What a script can reach on objects of one class; {@code refused} maps names to the rules that would allow them. */
    record Members(Map<String, Property> properties, Map<String, List<Method>> methods, Map<String, List<String>> refused) {
    }

    Members of(Class<?> type) {
        return members.get(type);
    }

    private Members membersOf(Class<?> type) {
        Map<String, Property> properties = new LinkedHashMap<>();
        Map<String, List<Method>> methods = new LinkedHashMap<>();
        Map<String, List<String>> refused = new LinkedHashMap<>();
        if (isNeverReachable(type)) {
            return new Members(Map.of(), Map.of(), Map.of());
        }
        if (type.isRecord()) {
            for (RecordComponent c : type.getRecordComponents()) {
                try {
                    Field f = type.getDeclaredField(c.getName());
                    if (f.trySetAccessible()) {
                        properties.put(c.getName(), new Property(f, null));
                    }
                } catch (NoSuchFieldException e) {
                    // every component has its field
                }
            }
        }
        for (Field field : type.getFields()) {
            if (!Modifier.isStatic(field.getModifiers())
                    && Modifier.isPublic(field.getDeclaringClass().getModifiers())) {
                properties.putIfAbsent(field.getName(), new Property(field, null));
            }
        }
        boolean valueType = isJdkValueType(type);
        for (Method method : type.getMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.getDeclaringClass() == Object.class
                    || method.isBridge() || method.isSynthetic()) {
                continue;
            }
            Method accessible = MethodUtils.getAccessibleMethod(method);
            String property = propertyName(method);
            boolean allowed = accessible != null && (allows(type, method) || valueType && property != null);
            if (allowed) {
                methods.computeIfAbsent(method.getName(), n -> new ArrayList<>()).add(accessible);
                if (property != null) {
                    properties.putIfAbsent(property, new Property(null, accessible));
                }
            } else {
                String rule = ruleFor(type, method);
                refused.computeIfAbsent(method.getName(), n -> new ArrayList<>()).add(rule);
                if (property != null) {
                    refused.computeIfAbsent(property, n -> new ArrayList<>()).add(rule);
                }
            }
        }
        methods.keySet().forEach(refused::remove);
        properties.keySet().forEach(refused::remove);
        methods.replaceAll((name, list) -> List.copyOf(list));
        refused.replaceAll((name, list) -> List.copyOf(list.stream().distinct().toList()));
        return new Members(Collections.unmodifiableMap(properties), Collections.unmodifiableMap(methods),
                Collections.unmodifiableMap(refused));
    }

    /** Immutable JDK value types whose getters only read. */
    private static boolean isJdkValueType(Class<?> type) {
        return type.getClassLoader() == null && Modifier.isFinal(type.getModifiers())
                && (type.getPackageName().equals("java.time") || type == java.util.UUID.class);
    }

    /** True when a rule or an annotation allows a declaration of the method in the type's hierarchy. */
    private boolean allows(Class<?> type, Method method) {
        for (Method declaration : declarations(type, method)) {
            Class<?> owner = declaration.getDeclaringClass();
            if (owner == Object.class || isNeverReachable(owner)) {
                return false;
            }
            if (declaration.isAnnotationPresent(HostAccessible.class) || owner.isAnnotationPresent(HostAccessible.class)) {
                return true;
            }
            for (HostAccessRule rule : rules) {
                if (rule.className().equals(owner.getName()) && (rule.wholeClass() || rule.method().equals(method.getName())
                        && (rule.parameterTypes() == null || rule.parameterTypes().equals(parameterNames(declaration))))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Every public declaration of the method's signature in the type, its superclasses and interfaces. */
    private static List<Method> declarations(Class<?> type, Method method) {
        List<Method> found = new ArrayList<>();
        collect(type, method, found, new java.util.HashSet<>());
        return found;
    }

    private static void collect(Class<?> type, Method method, List<Method> found, Set<Class<?>> seen) {
        if (type == null || !seen.add(type)) {
            return;
        }
        try {
            Method m = type.getDeclaredMethod(method.getName(), method.getParameterTypes());
            if (Modifier.isPublic(m.getModifiers())) {
                found.add(m);
            }
        } catch (NoSuchMethodException e) {
            // not declared here
        }
        collect(type.getSuperclass(), method, found, seen);
        for (Class<?> i : type.getInterfaces()) {
            collect(i, method, found, seen);
        }
    }

    private static List<String> parameterNames(Method m) {
        return Arrays.stream(m.getParameterTypes()).map(Class::getTypeName).toList();
    }

    /** The rule an operator would add to allow the method: its most general public declaration (an interface's first). */
    private static String ruleFor(Class<?> type, Method method) {
        List<Method> all = declarations(type, method);
        Method best = all.stream().filter(m -> m.getDeclaringClass().isInterface()
                && Modifier.isPublic(m.getDeclaringClass().getModifiers())).reduce((a, b) -> b)
                .orElse(all.stream().filter(m -> Modifier.isPublic(m.getDeclaringClass().getModifiers()))
                        .reduce((a, b) -> b).orElse(method));
        return best.getDeclaringClass().getName() + "#" + best.getName() + "("
                + parameterNames(best).stream().collect(Collectors.joining(",")) + ")";
    }

    private static String propertyName(Method method) {
        if (method.getParameterCount() != 0 || method.getReturnType() == void.class) {
            return null;
        }
        String name = method.getName();
        if (name.startsWith("get") && name.length() > 3) {
            return Introspector.decapitalize(name.substring(3));
        }
        if (name.startsWith("is") && name.length() > 2
                && (method.getReturnType() == boolean.class || method.getReturnType() == Boolean.class)) {
            return Introspector.decapitalize(name.substring(2));
        }
        return null;
    }

    /** The refusal message for a name, after reporting it once to the operator's log. */
    static String refusal(Class<?> type, String name, List<String> rules) {
        String message = "'" + name + "' of the host object (" + type.getName() + ") runs host code the host did not "
                + "allow; allow it with " + SETTING + " (SandboxConfig.allowHostMethod, --allow-host): "
                + String.join(" or ", rules);
        for (String rule : rules) {
            if (REPORTED.size() < MAX_REPORTED && REPORTED.add(rule)) {
                LOG.log(System.Logger.Level.WARNING, "pysandbox refused a script''s call of {0}; to allow it, add it to "
                        + SETTING + ": {0}", rule);
            }
        }
        return message;
    }
}
