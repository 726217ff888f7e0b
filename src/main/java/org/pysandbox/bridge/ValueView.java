package org.pysandbox.bridge;

import java.util.Set;

import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * The host side of a polyglot value from another context (for example an object made by a trusted,
 * unsandboxed GraalPy context of the host). The guest never holds this proxy: the sandbox runtime wraps
 * it in a read-only Python view ({@code HostValueView}) that keeps it private and asks it for one
 * operation at a time: read a member, str/repr/hash, list members, call. Members are readable; the value
 * itself can be called if the host passed a callable; of its methods only the read-only protocol ones
 * ({@code __str__}, {@code __repr__}, {@code __hash__}, ...) can be called, so a script cannot change the
 * host object through them. Arguments must be plain values (None, bool, int, float, str).
 */
final class ValueView implements ProxyExecutable {
    private static final Set<String> READ_ONLY_METHODS = Set.of("__str__", "__repr__", "__hash__", "__format__",
            "__len__", "__bool__", "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__contains__",
            "__getitem__", "__sizeof__");

    private final Value value;
    private final HostToGuest convert;
    /** The member name this value was read as, or null when the host passed it directly. */
    private final String memberName;

    ValueView(Value value, HostToGuest convert, String memberName) {
        this.value = value;
        this.convert = convert;
        this.memberName = memberName;
    }

    @Override
    public Object execute(Value... arguments) {
        String op = arguments[0].asString();
        switch (op) {
            case "get": {
                String name = arguments[1].asString();
                if (!value.hasMember(name)) {
                    throw convert.refuseMissing("the host object has no attribute '" + name + "'");
                }
                return convert.fromOtherContext(value.getMember(name), name);
            }
            case "str":
                return value.canInvokeMember("__str__") ? value.invokeMember("__str__").asString() : value.toString();
            case "repr":
                return value.canInvokeMember("__repr__") ? value.invokeMember("__repr__").asString() : value.toString();
            case "hash":
                return value.canInvokeMember("__hash__") ? value.invokeMember("__hash__").asLong()
                        : (long) System.identityHashCode(this);
            case "dir":
                return ProxyArray.fromArray(value.getMemberKeys().toArray());
            case "call":
                return call(arguments);
            default:
                throw new IllegalArgumentException("unknown operation " + op);
        }
    }

    private Object call(Value[] arguments) {
        if (!value.canExecute()) {
            throw convert.refuseCall("this host object is not callable");
        }
        if (memberName != null && !READ_ONLY_METHODS.contains(memberName)) {
            throw convert.refuseCall("calling the method '" + memberName + "' of a host object is blocked by the "
                    + "sandbox: it could change the host object");
        }
        Object[] args = new Object[arguments.length - 1];
        for (int i = 1; i < arguments.length; i++) {
            Value a = arguments[i];
            if (a.isNull()) {
                args[i - 1] = null;
            } else if (a.isBoolean()) {
                args[i - 1] = a.asBoolean();
            } else if (a.isString()) {
                args[i - 1] = a.asString();
            } else if (a.isNumber() && a.fitsInLong()) {
                args[i - 1] = a.asLong();
            } else if (a.isNumber() && a.fitsInDouble()) {
                args[i - 1] = a.asDouble();
            } else {
                throw convert.refuseCall("only None, bool, int, float and str can be passed to a host callable");
            }
        }
        return convert.fromOtherContext(value.execute(args), null);
    }

    @Override
    public String toString() {
        return "<host value>";
    }
}
