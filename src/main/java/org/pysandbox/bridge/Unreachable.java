package org.pysandbox.bridge;

import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * What the guest gets in place of a host value it may never reach (a Class, a ClassLoader, a Thread,
 * reflection, an object of a trusted polyglot context): a placeholder with no members that holds no
 * reference to the value, so nothing of it can leak, whatever the script does with the placeholder.
 */
final class Unreachable implements ProxyObject {
    private final String typeName;

    Unreachable(Class<?> type) {
        this.typeName = type.getName();
    }

    @Override
    public Object getMember(String key) {
        return null;
    }

    @Override
    public Object getMemberKeys() {
        return new String[0];
    }

    @Override
    public boolean hasMember(String key) {
        return false;
    }

    @Override
    public void putMember(String key, Value value) {
        throw new UnsupportedOperationException("a host value the sandbox never hands out");
    }

    @Override
    public String toString() {
        return "<host " + typeName + ": not accessible in the sandbox>";
    }
}
