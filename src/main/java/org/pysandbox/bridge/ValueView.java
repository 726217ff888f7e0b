package org.pysandbox.bridge;

import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * A polyglot value from another context (for example an object made by a trusted, unsandboxed GraalPy
 * context of the host) as a read-only view: its members can be read and, if callable, it can be called;
 * nothing of it can be changed.
 */
final class ValueView implements ProxyObject, ProxyExecutable {
    private final Value value;
    private final HostToGuest convert;

    ValueView(Value value, HostToGuest convert) {
        this.value = value;
        this.convert = convert;
    }

    private Object wrap(Value v) {
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
        return convert.toGuest(v);
    }

    @Override
    public Object getMember(String key) {
        return value.hasMember(key) ? wrap(value.getMember(key)) : null;
    }

    @Override
    public Object getMemberKeys() {
        return ProxyArray.fromArray(value.getMemberKeys().toArray());
    }

    @Override
    public boolean hasMember(String key) {
        return value.hasMember(key);
    }

    @Override
    public void putMember(String key, Value v) {
        throw convert.refuse("this host object");
    }

    @Override
    public boolean removeMember(String key) {
        throw convert.refuse("this host object");
    }

    @Override
    public Object execute(Value... arguments) {
        if (!value.canExecute()) {
            throw new UnsupportedOperationException("this host object is not callable");
        }
        Object[] args = new Object[arguments.length];
        for (int i = 0; i < arguments.length; i++) {
            Value a = arguments[i];
            args[i] = a.isString() ? a.asString() : a.isBoolean() ? a.asBoolean()
                    : a.isNumber() && a.fitsInLong() ? a.asLong() : a.isNumber() ? a.asDouble() : a.isNull() ? null
                    : a.toString();
        }
        return wrap(value.execute(args));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
