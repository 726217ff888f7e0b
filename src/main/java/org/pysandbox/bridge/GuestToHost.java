package org.pysandbox.bridge;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.graalvm.polyglot.Value;
import org.pysandbox.policy.ConfinedInterpreter;

/**
 * Turns guest values into Java values (SPEC §4): None, bool, int, float and str into their Java
 * counterparts, list/tuple, dict and set into unmodifiable collections, anything else into an opaque
 * {@link GuestObject}. The guest side encodes the value first using exact type checks, so no guest code
 * (an overridden {@code __iter__}, say) runs during conversion.
 */
public final class GuestToHost {
    private final ConfinedInterpreter interpreter;
    private final Object owner;

    /** {@code owner} is the sandbox that handles made here call back into. */
    public GuestToHost(ConfinedInterpreter interpreter, Object owner) {
        this.interpreter = interpreter;
        this.owner = owner;
    }

    ConfinedInterpreter interpreter() {
        return interpreter;
    }

    /** Converts a guest value; must be called while the context is entered. */
    public Object toHost(Value value) {
        return decode(interpreter.export(value));
    }

    /** A rule's value: a bool the guest returned as itself (checked there), or encoded as {@link #fromEncoded}. */
    public Object fromRule(Value value) {
        return value.isBoolean() ? (Object) value.asBoolean() : decode(value);
    }

    /** Converts a value the guest already encoded with the runtime's {@code export} (one crossing less). */
    public Object fromEncoded(Value encoded) {
        return decode(encoded);
    }

    private Object decode(Value encoded) {
        String kind = encoded.getArrayElement(0).asString();
        Value payload = encoded.getArrayElement(1);
        switch (kind) {
            case "none":
                return null;
            case "bool":
                return payload.asBoolean();
            case "int":
                if (payload.isString()) {
                    return new BigInteger(payload.asString());
                }
                return payload.fitsInInt() ? (Object) payload.asInt() : (Object) payload.asLong();
            case "float":
                return payload.asDouble();
            case "str":
                return payload.asString();
            case "list": {
                int n = (int) payload.getArraySize();
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(decode(payload.getArrayElement(i)));
                }
                return Collections.unmodifiableList(list);
            }
            case "dict": {
                int n = (int) payload.getArraySize();
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    Value pair = payload.getArrayElement(i);
                    map.put(decode(pair.getArrayElement(0)), decode(pair.getArrayElement(1)));
                }
                return Collections.unmodifiableMap(map);
            }
            case "set": {
                int n = (int) payload.getArraySize();
                Set<Object> set = new LinkedHashSet<>();
                for (int i = 0; i < n; i++) {
                    set.add(decode(payload.getArrayElement(i)));
                }
                return Collections.unmodifiableSet(set);
            }
            case "bytes":
                return payload.asString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            default:
                return new GuestObject(payload, interpreter, owner);
        }
    }
}
