package org.pysandbox.limits;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.Map;

import javax.script.ScriptException;

import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.pysandbox.bridge.GuestObject;
import org.pysandbox.bridge.GuestToHost;
import org.pysandbox.bridge.HostToGuest;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.error.ErrorTranslator;
import org.pysandbox.error.ScriptExitException;
import org.pysandbox.policy.ConfinedInterpreter;

/**
 * Runs requests in one confined context of this JVM (one tenant), under the wall-clock limit, and
 * moves values across the boundary. A context that had to be cancelled is replaced by a fresh one.
 */
public final class InProcessExecutor implements Executor {
    private final SandboxConfig config;
    private final Object owner;
    private ConfinedInterpreter interpreter;
    private GuestToHost toHost;
    private HostToGuest toGuest;
    /** The interactive namespace and the interpreter it lives in (a replaced interpreter starts a new one). */
    private Value session;
    private ConfinedInterpreter sessionInterpreter;

    public InProcessExecutor(SandboxConfig config, Object owner) {
        this.config = config;
        this.owner = owner;
    }

    private ConfinedInterpreter interpreter() {
        if (interpreter == null) {
            interpreter = ConfinedInterpreter.create(config);
            toHost = new GuestToHost(interpreter, owner);
            toGuest = new HostToGuest(toHost);
        }
        return interpreter;
    }

    @Override
    public Object run(Request r) throws ScriptException {
        ConfinedInterpreter it = interpreter();
        return limited(it, r.fileName(), r.out(), r.err(), r.in(), r.config(), () -> {
            Value globals = fill(it.newNamespace(), r.globals());
            Value locals = r.locals() == null ? null : fill(it.runtimeMember("new_locals").execute(), r.locals());
            Value globalsBefore = it.snapshot(globals);
            Value localsBefore = locals == null ? null : it.snapshot(locals);
            Value outcome = it.run(r.code(), r.fileName(), globals, locals, r.wantValue());
            if (r.globals() != null) {
                writeBack(it, globals, globalsBefore, r.globals());
            }
            if (locals != null) {
                writeBack(it, locals, localsBefore, r.locals());
            }
            return outcome;
        });
    }

    @Override
    public String runInteractive(Request r) throws ScriptException {
        ConfinedInterpreter it = interpreter();
        if (sessionInterpreter != it) {
            session = it.newNamespace();
            sessionInterpreter = it;
        }
        Value namespace = session;
        boolean[] exited = {false};
        Object shown = limited(it, r.fileName(), r.out(), r.err(), r.in(), r.config(), () -> {
            Value outcome = it.run(r.code(), r.fileName(), namespace, null, true);
            if (it.outcomeExit(outcome).getArrayElement(0).asBoolean()) {
                exited[0] = true;
                return outcome;
            }
            if (it.outcomeValue(outcome).isNull()) {
                return outcome;
            }
            // repr() runs the guest's own __repr__, so it is confined and timed like the code itself.
            return it.runtimeMember("call").execute(it.runtimeMember("_ORIGINAL").getHashValue("repr"),
                    ProxyArray.fromArray(it.outcomeValue(outcome)));
        });
        if (exited[0]) {
            // A failing status was thrown by limited(); a clean exit() must still end the session.
            throw new ScriptExitException(0, r.fileName());
        }
        return (String) shown;
    }

    @Override
    public Object call(Object function, Object[] args, Writer out, Writer err, Reader in, SandboxConfig callConfig)
            throws ScriptException {
        if (!(function instanceof GuestObject handle)) {
            throw new ScriptException("not a function of this sandbox: " + function);
        }
        ConfinedInterpreter it = interpreter();
        if (!handle.belongsTo(it)) {
            throw new ScriptException("this function belongs to another sandbox (or to an interpreter that was "
                    + "replaced after a timeout) and cannot be called here");
        }
        return limited(it, "<call>", out, err, in, callConfig, () -> {
            Object[] guestArgs = new Object[args.length];
            for (int i = 0; i < args.length; i++) {
                guestArgs[i] = toGuest.toGuest(args[i]);
            }
            return it.call(handle.valueFor(it), ProxyArray.fromArray(guestArgs));
        });
    }

    private interface GuestWork {
        Value perform();
    }

    private Object limited(ConfinedInterpreter it, String fileName, Writer out, Writer err, Reader in,
            SandboxConfig callConfig, GuestWork work) throws ScriptException {
        it.streams().bind(out, err, in, callConfig.maxOutput());
        Watchdog.Watch watch = Watchdog.watch(it.context(), callConfig.timeout());
        boolean lost = false;
        try {
            Value outcome = work.perform();
            Value exit = it.outcomeExit(outcome);
            if (exit.getArrayElement(0).asBoolean()) {
                Value status = exit.getArrayElement(1);
                Object code = status.isNull() ? null : status.isNumber() ? (Object) status.asInt() : status.asString();
                if (code != null && !(code instanceof Integer i && i == 0)) {
                    throw new ScriptExitException(code, fileName);
                }
                return null;
            }
            return toHost.toHost(it.outcomeValue(outcome));
        } catch (RuntimeException e) {
            watch.close();
            lost = watch.contextLost() || it.context() == null;
            throw ErrorTranslator.translate(e, it, new ErrorTranslator.CallSite(fileName, watch.timedOut(),
                    describe(callConfig), it.streams().outputLimitHit()));
        } finally {
            watch.close();
            if (lost || watch.contextLost()) {
                discard();
            } else {
                flush(it);
            }
        }
    }

    private static String describe(SandboxConfig c) {
        long ms = c.timeout().toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s (pysandbox.timeout)" : ms + " ms (pysandbox.timeout)";
    }

    private void flush(ConfinedInterpreter it) {
        try {
            it.flushStreams();
        } catch (RuntimeException ignored) {
            // the output that could not be flushed was refused by the streams themselves
        }
        try {
            it.streams().flush();
        } catch (IOException ignored) {
            // the host's writer failed; the script's result stands
        }
    }

    private void discard() {
        if (interpreter != null) {
            interpreter.close();
            interpreter = null;
        }
    }

    private Value fill(Value namespace, Map<String, Object> values) {
        if (values != null) {
            for (Map.Entry<String, Object> e : values.entrySet()) {
                if (isIdentifier(e.getKey())) {
                    namespace.putHashEntry(e.getKey(), toGuest.toGuest(e.getValue()));
                }
            }
        }
        return namespace;
    }

    /** Keys that are not Python identifiers (such as configuration attributes) never reach the script. */
    public static boolean isIdentifier(String key) {
        if (key == null || key.isEmpty() || !Character.isJavaIdentifierStart(key.charAt(0)) || key.charAt(0) == '$') {
            return false;
        }
        for (int i = 1; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!Character.isJavaIdentifierPart(c) || c == '$') {
                return false;
            }
        }
        return !(key.startsWith("__") && key.endsWith("__"));
    }

    private void writeBack(ConfinedInterpreter it, Value namespace, Value before, Map<String, Object> target) {
        Value changes = it.changedNames(namespace, before);
        Value changed = changes.getArrayElement(0);
        Value deleted = changes.getArrayElement(1);
        try {
            for (long i = 0; i < changed.getArraySize(); i++) {
                Value pair = changed.getArrayElement(i);
                target.put(pair.getArrayElement(0).asString(), toHost.toHost(pair.getArrayElement(1)));
            }
            for (long i = 0; i < deleted.getArraySize(); i++) {
                target.remove(deleted.getArrayElement(i).asString());
            }
        } catch (UnsupportedOperationException readOnlyMap) {
            // the caller passed an unmodifiable map: it gets the script's reads, not its writes
        }
    }

    @Override
    public void close() {
        discard();
    }
}
