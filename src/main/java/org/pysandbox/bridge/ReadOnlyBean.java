package org.pysandbox.bridge;

import java.lang.reflect.InvocationTargetException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * Any other host object, seen by the guest through the {@link HostAccessPolicy}: fields it may read,
 * getters and methods the host allowed. Nothing can be assigned. A name that exists but is not allowed
 * raises a refusal naming the rule that would allow it.
 */
final class ReadOnlyBean implements ProxyObject {
    private final Object bean;
    private final HostToGuest convert;

    ReadOnlyBean(Object bean, HostToGuest convert) {
        this.bean = bean;
        this.convert = convert;
    }

    private HostAccessPolicy.Members members() {
        return convert.policy().of(bean.getClass());
    }

    @Override
    public Object getMember(String key) {
        HostAccessPolicy.Members m = members();
        HostAccessPolicy.Property property = m.properties().get(key);
        if (property != null) {
            return convert.toGuest(read(property));
        }
        List<java.lang.reflect.Method> overloads = m.methods().get(key);
        if (overloads != null) {
            return new HostMethod(bean, key, overloads, convert);
        }
        List<String> rules = m.refused().get(key);
        if (rules != null) {
            throw convert.refuseCall(HostAccessPolicy.refusal(bean.getClass(), key, rules));
        }
        return null;
    }

    private Object read(HostAccessPolicy.Property property) {
        if (property.field() != null) {
            try {
                // a field read runs no host code: no need for the caller's thread
                return property.field().get(bean);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return CallerThread.run(() -> invoke(property.getter(), bean));
    }

    static Object invoke(java.lang.reflect.Method method, Object target, Object... args) throws Exception {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    @Override
    public Object getMemberKeys() {
        HostAccessPolicy.Members m = members();
        Set<String> keys = new LinkedHashSet<>(m.properties().keySet());
        keys.addAll(m.methods().keySet());
        return ProxyArray.fromArray(keys.toArray());
    }

    @Override
    public boolean hasMember(String key) {
        HostAccessPolicy.Members m = members();
        return m.properties().containsKey(key) || m.methods().containsKey(key) || m.refused().containsKey(key);
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
        return "<host object " + bean.getClass().getName() + ">";
    }
}
