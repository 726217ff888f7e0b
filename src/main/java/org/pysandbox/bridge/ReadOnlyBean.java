package org.pysandbox.bridge;

import java.beans.Introspector;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.lang3.reflect.MethodUtils;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * Any other host object, seen by the guest as read-only attributes: its bean getters ({@code getName()}
 * becomes {@code name}) and public fields. No method can be called, {@code getClass()} is never
 * exposed, and nothing can be assigned.
 */
final class ReadOnlyBean implements ProxyObject {
    private static final ClassValue<Map<String, Accessor>> ACCESSORS = new ClassValue<>() {
        @Override
        protected Map<String, Accessor> computeValue(Class<?> type) {
            return Collections.unmodifiableMap(accessorsOf(type));
        }
    };

    private final Object bean;
    private final HostToGuest convert;

    ReadOnlyBean(Object bean, HostToGuest convert) {
        this.bean = bean;
        this.convert = convert;
    }

    @Override
    public Object getMember(String key) {
        Accessor accessor = ACCESSORS.get(bean.getClass()).get(key);
        if (accessor == null) {
            return null;
        }
        return convert.toGuest(accessor.read(bean));
    }

    @Override
    public Object getMemberKeys() {
        return ProxyArray.fromArray(ACCESSORS.get(bean.getClass()).keySet().toArray());
    }

    @Override
    public boolean hasMember(String key) {
        return ACCESSORS.get(bean.getClass()).containsKey(key);
    }

    @Override
    public void putMember(String key, Value value) {
        throw convert.refuse("this host object");
    }

    @Override
    public boolean removeMember(String key) {
        throw convert.refuse("this host object");
    }

    @Override
    public String toString() {
        return bean.toString();
    }

    private interface Accessor {
        Object read(Object bean);
    }

    private static Map<String, Accessor> accessorsOf(Class<?> type) {
        Map<String, Accessor> result = new LinkedHashMap<>();
        for (Field field : type.getFields()) {
            if (!Modifier.isStatic(field.getModifiers()) && Modifier.isPublic(field.getDeclaringClass().getModifiers())) {
                result.put(field.getName(), bean -> {
                    try {
                        return field.get(bean);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
        }
        for (Method method : type.getMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.getParameterCount() != 0
                    || method.getReturnType() == void.class || method.getDeclaringClass() == Object.class) {
                continue;
            }
            String property = propertyName(method);
            if (property == null) {
                continue;
            }
            Method accessible = MethodUtils.getAccessibleMethod(method);
            if (accessible == null) {
                continue;
            }
            result.putIfAbsent(property, bean -> {
                try {
                    return accessible.invoke(bean);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                } catch (InvocationTargetException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(cause);
                }
            });
        }
        return result;
    }

    private static String propertyName(Method method) {
        String name = method.getName();
        if (name.startsWith("get") && name.length() > 3) {
            return Introspector.decapitalize(name.substring(3));
        }
        if (name.startsWith("is") && name.length() > 2
                && (method.getReturnType() == boolean.class || method.getReturnType() == Boolean.class)) {
            return Introspector.decapitalize(name.substring(2));
        }
        if (method.getDeclaringClass().isRecord()) {
            return name;
        }
        return null;
    }
}
