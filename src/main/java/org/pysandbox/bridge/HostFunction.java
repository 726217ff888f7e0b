package org.pysandbox.bridge;

import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * A host functional interface the host passed directly (a binding or an argument) as a Python callable:
 * arguments arrive as Java values (SPEC §4, the same conversion as results), it runs on the caller's
 * thread, and what it returns goes back as a read-only view (never as another callable).
 */
final class HostFunction implements ProxyExecutable {
    private final Object target;
    private final int arity;
    private final HostToGuest convert;
    private final GuestToHost back;

    private HostFunction(Object target, int arity, HostToGuest convert, GuestToHost back) {
        this.target = target;
        this.arity = arity;
        this.convert = convert;
        this.back = back;
    }

    static HostFunction of(Object value, HostToGuest convert, GuestToHost back) {
        int arity;
        if (value instanceof BiFunction || value instanceof BiPredicate || value instanceof BiConsumer) {
            arity = 2;
        } else if (value instanceof Function || value instanceof Predicate || value instanceof Consumer) {
            arity = 1;
        } else if (value instanceof Supplier || value instanceof Runnable || value instanceof Callable) {
            arity = 0;
        } else {
            return null;
        }
        return new HostFunction(value, arity, convert, back);
    }

    @Override
    public Object execute(Value... arguments) {
        if (arguments.length != arity) {
            throw new IllegalArgumentException("expected " + arity + " argument(s), got " + arguments.length);
        }
        Object[] args = new Object[arity];
        for (int i = 0; i < arity; i++) {
            args[i] = back.toHost(arguments[i]);
        }
        Object result = CallerThread.run(() -> apply(args));
        return convert.toGuest(result);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object apply(Object[] args) throws Exception {
        if (target instanceof BiFunction f) {
            return f.apply(args[0], args[1]);
        } else if (target instanceof BiPredicate p) {
            return p.test(args[0], args[1]);
        } else if (target instanceof BiConsumer c) {
            c.accept(args[0], args[1]);
            return null;
        } else if (target instanceof Function f) {
            return f.apply(args[0]);
        } else if (target instanceof Predicate p) {
            return p.test(args[0]);
        } else if (target instanceof Consumer c) {
            c.accept(args[0]);
            return null;
        } else if (target instanceof Supplier s) {
            return s.get();
        } else if (target instanceof Callable c) {
            return c.call();
        }
        ((Runnable) target).run();
        return null;
    }

    @Override
    public String toString() {
        return "<host function>";
    }
}
