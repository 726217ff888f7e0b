package org.pysandbox.policy;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.pysandbox.config.Feature;
import org.pysandbox.config.SandboxConfig;

/**
 * One confined GraalPy context with the Python policy installed: the unit of isolation. Guest code of
 * one tenant runs here; a context is never handed to another tenant. Not thread-safe: callers enter it
 * one at a time.
 */
public final class ConfinedInterpreter implements AutoCloseable {
    private final SandboxConfig config;
    private final Context context;
    private final GuestStreams streams;
    private final Value runtime;
    private final Value run;
    private final Value evaluate;
    private final Value evaluateRule;
    private final Value call;
    private final Value export;
    private final Value newNamespace;
    private final Value outcomeValue;
    private final Value outcomeExit;
    private final Value exceptionInfo;
    private final Value checkToShare;
    private final Value adoptChecked;
    private final Value compileGuest;
    /** This context's guard names (checker.set_guard_token); never leaves the host and this context. */
    private final String guardToken = GuestPolicy.newGuardToken();
    /** The configuration part of this interpreter's keys in {@link SharedCheckedCode}: the policy without the token. */
    private final String sharedPolicy;
    /** False until the first entry that runs guest code (the pool's warm-up is the sandbox's own code). */
    private boolean guestCodeRan;

    private ConfinedInterpreter(SandboxConfig config) {
        this.config = config;
        // made here, off a first script's clock when the interpreter is pooled
        this.sharedPolicy = GuestPolicy.toJson(config, null);
        this.streams = new GuestStreams(config.has(Feature.STDOUT), config.has(Feature.STDERR),
                config.has(Feature.STDIN), config.maxOutput());
        this.context = ConfinedContextFactory.newContext(config, streams.in(), streams.out(), streams.err());
        try {
            context.enter();
            try {
                Value load = context.eval(PolicyScripts.LOADER);
                PolicyBytecode.Codes codes = PolicyBytecode.forModules();
                Value module = null;
                for (int i = 0; i < PolicyScripts.MODULES.length; i++) {
                    String name = PolicyScripts.MODULES[i];
                    module = load.execute("pysandbox." + name, PolicyScripts.MODULE_SOURCES[i], PolicyBytecode.fileName(name),
                            codes.codes()[i], codes.version());
                }
                this.runtime = module;
                Value main = context.getBindings(PolicyScripts.LANGUAGE);
                for (String key : PolicyScripts.LOADER_NAMES) {
                    main.removeMember(key);
                }
                runtime.getMember("setup").execute(GuestPolicy.toJson(config, guardToken));
                this.run = runtime.getMember("run");
                this.evaluate = runtime.getMember("evaluate");
                this.evaluateRule = runtime.getMember("evaluate_rule");
                this.call = runtime.getMember("call");
                this.export = runtime.getMember("export");
                this.newNamespace = runtime.getMember("new_namespace");
                this.outcomeValue = runtime.getMember("outcome_value");
                this.outcomeExit = runtime.getMember("outcome_exit");
                this.exceptionInfo = runtime.getMember("exception_info");
                this.checkToShare = runtime.getMember("check_to_share");
                this.adoptChecked = runtime.getMember("adopt_checked");
                this.compileGuest = runtime.getMember("compile_guest");
            } finally {
                context.leave();
            }
        } catch (RuntimeException e) {
            context.close(true);
            throw e;
        }
    }

    /** Creates and sets up a context for the configuration (100-300 ms interpreted; pool them). */
    public static ConfinedInterpreter create(SandboxConfig config) {
        return new ConfinedInterpreter(config);
    }

    public SandboxConfig config() {
        return config;
    }

    public Context context() {
        return context;
    }

    public GuestStreams streams() {
        return streams;
    }

    /** A fresh guest namespace: a dict holding only the read-only {@code __builtins__} view. */
    public Value newNamespace() {
        return newNamespace.execute();
    }

    /** Checks and runs guest source; returns the run's outcome object (see {@link #outcomeValue}). */
    public Value run(String source, String fileName, Value globals, Value locals, boolean wantValue) {
        beforeGuestCode(source, fileName, wantValue);
        return run.execute(source, fileName, globals, locals, wantValue);
    }

    /**
     * Fills fresh namespaces, checks and runs guest source, and encodes the outcome, in one guest entry:
     * {@code (exited, exit status, encoded value, globals' changes, locals' changes, bounded, rule)}, where a
     * value is encoded as {@link #export} does, changes are {@code ([(name, encoded value)...], [deleted
     * names])} or null when not wanted, bounded is the checker's verdict over the names given, and rule is
     * {@code (function, parameter names)} for {@link #evaluateRule} when the source is a rule (one bounded
     * expression over those names), else null. {@code localNames} null means the globals are also the locals.
     */
    public Value evaluate(String source, String fileName, boolean wantValue, Object[] names, Object[] values,
            boolean trackGlobals, Object[] localNames, Object[] localValues) {
        beforeGuestCode(source, fileName, wantValue);
        return evaluateHere(source, fileName, wantValue, names, values, trackGlobals, localNames, localValues);
    }

    /** {@link #evaluate} with this context's own check, whether or not guest code has run here. */
    private Value evaluateHere(String source, String fileName, boolean wantValue, Object[] names, Object[] values,
            boolean trackGlobals, Object[] localNames, Object[] localValues) {
        return evaluate.execute(source, fileName, wantValue, ProxyArray.fromArray(names), ProxyArray.fromArray(values),
                trackGlobals, localNames == null ? null : ProxyArray.fromArray(localNames),
                localValues == null ? null : ProxyArray.fromArray(localValues));
    }

    /**
     * Evaluates a rule: the function element 6 of an {@link #evaluate} result gave, with the host's values
     * (plain data only) for its parameters, in their order. Returns a bool as itself (the guest checked its
     * exact type), any other value encoded as {@link #export} does.
     */
    public Value evaluateRule(Value function, Object[] values) {
        guestCodeRan = true;
        return evaluateRule.execute(withFirst(function, values));
    }

    /**
     * Runs warmup.py through the guest path once (for the pool, off the caller's thread), so that the first
     * script of the sandbox that takes this interpreter does not pay for the first use of the checker and
     * the guards in this context. Leaves nothing behind but its entry in the checked-code cache, and the
     * {@code re} module when the configuration allows it: its import is 0.3-1 s of a first script otherwise
     * (pooled interpreters imported it through the checked formatter until that stopped needing string).
     */
    public void warmUp() {
        // the sandbox's own code, checked here (it warms the checker) and never shared: the interpreter
        // stays one that has run no guest code (see shareChecked)
        evaluateHere(PolicyScripts.WARM_UP, "<pysandbox warm-up>", true, new Object[] {"amount", "limit", "country", "allowed"},
                new Object[] {120, 100, "NL", ProxyArray.fromArray("NL", "DE")}, true, null, null);
        if (GuestPolicy.effectiveModules(config).containsKey("re")) {
            evaluateHere("import re", "<pysandbox warm-up>", false, new Object[0], new Object[0], false, null, null);
        }
    }

    /** Calls a guest callable under the same confinement and recursion limit as a run. */
    public Value call(Value function, Object... args) {
        guestCodeRan = true;
        return call.execute(withFirst(function, args));
    }

    /**
     * Checks guest source without running it, as a run would (javax.script {@code Compilable}); the checked
     * code stays cached here for the run. Raises the violation or syntax error a run would raise.
     */
    public void check(String source, String fileName, boolean wantValue) {
        if (guestCodeRan || !shareChecked(source, fileName, wantValue)) {
            compileGuest.execute(source, fileName, wantValue);
        }
    }

    /** The first entry that runs guest code gets its checked code as {@link #shareChecked} says. */
    private void beforeGuestCode(String source, String fileName, boolean wantValue) {
        if (!guestCodeRan) {
            guestCodeRan = true;
            shareChecked(source, fileName, wantValue);
        }
    }

    /**
     * While no guest code has run here, this context's checker is the policy's own: the source's checked code
     * comes from {@link SharedCheckedCode} when another interpreter of this policy made it, else this one
     * checks the source in an entry that runs no guest code and publishes the result. Once guest code has
     * run, the context checks for itself and shares nothing. False when sharing is off (nothing was checked).
     */
    private boolean shareChecked(String source, String fileName, boolean wantValue) {
        if (!SharedCheckedCode.enabled()) {
            return false;
        }
        SharedCheckedCode.Key key = new SharedCheckedCode.Key(sharedPolicy, fileName, wantValue, source);
        String shared = SharedCheckedCode.forContext(key, guardToken);
        if (shared != null) {
            adoptChecked.execute(source, fileName, wantValue, shared);
            return true;
        }
        Value made = checkToShare.execute(source, fileName, wantValue);
        if (!made.isNull()) {
            SharedCheckedCode.publish(key, made.asString(), guardToken);
        }
        return true;
    }

    /** The arguments of a guest entry as positional arguments: the guest gets its own tuple, not a proxy. */
    private static Object[] withFirst(Object first, Object[] rest) {
        Object[] arguments = new Object[rest.length + 1];
        arguments[0] = first;
        System.arraycopy(rest, 0, arguments, 1, rest.length);
        return arguments;
    }

    public Value outcomeValue(Value outcome) {
        return outcomeValue.execute(outcome);
    }

    /** (exited, status) of an outcome: a SystemExit ends the script, never the interpreter. */
    public Value outcomeExit(Value outcome) {
        return outcomeExit.execute(outcome);
    }

    /** The (kind, payload) encoding of a guest value that the bridge decodes. */
    public Value export(Value value) {
        return export.execute(value);
    }

    /** (type, message, is violation, setting, is recursion error, file, line, column) of a guest exception. */
    public Value exceptionInfo(Value exception, String fileName) {
        return exceptionInfo.execute(exception, fileName);
    }

    /**
     * Empties what the interpreter's own stream buffers hold of an earlier call (runtime.discard_leftovers):
     * output a stopped run printed but never flushed, and input read ahead from a reader this call does not
     * have. The streams are bound to nothing meanwhile ({@link GuestStreams#discarding}).
     */
    public void discardLeftovers(boolean output, boolean input) {
        streams.discarding(input, () -> {
            if (!runtime.getMember("discard_leftovers").execute(output, input).asBoolean()) {
                throw new IllegalStateException("a standard stream of the interpreter failed while it was emptied");
            }
        });
    }

    /**
     * Whether the standard streams still work (runtime.streams_usable): an interrupt that lands while GraalPy
     * reads or writes one closes it for the rest of the context's life.
     */
    public boolean streamsUsable() {
        return runtime.getMember("streams_usable").execute().asBoolean();
    }

    public Value runtimeMember(String name) {
        return runtime.getMember(name);
    }

    @Override
    public void close() {
        try {
            context.close(true);
        } catch (RuntimeException ignored) {
            // a context that is already closed or cancelled needs no further cleanup
        }
    }
}
