package org.pysandbox.bridge;

import java.util.Objects;

import org.graalvm.polyglot.Value;
import org.pysandbox.policy.ConfinedInterpreter;

/**
 * An opaque handle to a guest object that has no Java counterpart (a function, an instance of a
 * script's class). The host can pass it back into the sandbox that made it, or invoke it through that
 * sandbox; it exposes nothing of the object itself.
 */
public final class GuestObject {
    private final Value value;
    private final ConfinedInterpreter interpreter;
    private final Object owner;

    GuestObject(Value value, ConfinedInterpreter interpreter, Object owner) {
        this.value = value;
        this.interpreter = interpreter;
        this.owner = owner;
    }

    /** The sandbox (or engine) that made this handle and that can call it. */
    public Object owner() {
        return owner;
    }

    /** True when the handle belongs to the given interpreter. */
    public boolean belongsTo(ConfinedInterpreter other) {
        return interpreter == other;
    }

    /** The guest value, only for the interpreter that made it. */
    public Value valueFor(ConfinedInterpreter other) {
        if (interpreter != other) {
            throw new IllegalArgumentException("this guest object belongs to another sandbox and cannot cross into this one");
        }
        return value;
    }

    @Override
    public String toString() {
        return "GuestObject[" + Objects.toIdentityString(this) + "]";
    }
}
