package org.pysandbox.limits;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import javax.script.ScriptException;

import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.pysandbox.bridge.CallerThread;
import org.pysandbox.bridge.GuestObject;
import org.pysandbox.bridge.HostAccessPolicy;
import org.pysandbox.bridge.GuestToHost;
import org.pysandbox.bridge.HostToGuest;
import org.pysandbox.bridge.PlainValues;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.error.ErrorTranslator;
import org.pysandbox.error.MemoryLimitException;
import org.pysandbox.error.OutputLimitException;
import org.pysandbox.error.PythonScriptException;
import org.pysandbox.error.RecursionLimitException;
import org.pysandbox.error.ScriptExitException;
import org.pysandbox.error.ScriptInterruptedException;
import org.pysandbox.policy.ConfinedInterpreter;

/**
 * Runs requests in one confined context of this JVM (one tenant), under the call's limits, and moves
 * values across the boundary.
 *
 * <p>Guest code runs on the interpreter's own guest thread ({@link GuestWorker}); the caller waits
 * for it under the {@link CallMonitor}. When a limit trips, the caller gets the limit's exception at
 * once, the context is interrupted, and if the guest does not yield within a short grace (a long
 * builtin such as {@code 3**(10**8)} cannot be interrupted) the context is cancelled and discarded: the
 * next call gets a fresh interpreter and worker thread, and the stuck thread ends on its own later. Calls
 * run one at a time; the context is entered by one thread at a time.
 */
public final class InProcessExecutor implements Executor {
    /** System property: milliseconds an interrupted guest gets to yield before its context is cancelled. */
    public static final String INTERRUPT_GRACE_PROPERTY = "pysandbox.interruptGraceMillis";
    private static final long INTERRUPT_GRACE_MILLIS = LimitProperties.integer(INTERRUPT_GRACE_PROPERTY, 500, 10, 60_000);
    /** How long a caller waits for a stopped call to settle before it takes the interpreter for lost. */
    private static final long SETTLE_BOUND_MILLIS = 4 * INTERRUPT_GRACE_MILLIS + 1000;
    private static final int BOUNDED_CACHE_LIMIT = 256;

    private final SandboxConfig config;
    private final Object owner;
    /** Host members scripts may reach (pysandbox.hostAccess): fixed for the executor, like its confinement. */
    private final HostAccessPolicy policy;
    private Tenant tenant;
    private boolean closed;
    /**
     * The interpreter that replaces a lost one, made (and warmed up) from the moment the loss is known rather
     * than when the next call asks: 1.2-1.8 s interpreter-only on 2 busy cores, which that call waited for.
     * Guarded by {@link #replacementLock}, not this executor's lock: the stopper thread starts it while a
     * caller may hold that lock, waiting for the stopper.
     */
    private CompletableFuture<PooledInterpreter> replacement;
    private boolean replacementClosed;
    private final Object replacementLock = new Object();

    /** The interpreter that holds the interactive namespace ({@link #runInteractive}); 0 before there is one. */
    private volatile long sessionGeneration;

    /** Numbers the tenants (interpreters) of all executors, from 1: see {@link #interpreterGeneration}. */
    private static final AtomicLong GENERATIONS = new AtomicLong();

    /** An interpreter with the thread that runs its guest code and the value bridges bound to it. */
    private static final class Tenant {
        final long generation = GENERATIONS.incrementAndGet();
        final ConfinedInterpreter interpreter;
        final GuestToHost toHost;
        final HostToGuest toGuest;
        final GuestWorker worker;
        volatile boolean lost;
        /** A call was stopped: the interpreter's stdout/stderr buffers may hold what it printed. */
        volatile boolean unflushedOutput;
        volatile CountDownLatch settling;
        /** The call in progress: a close reached from a host function during it must not return before the cancel. */
        volatile GuardedCall running;
        /** The thread that made the call in progress: the thread host functions the script calls run on. */
        volatile Thread caller;
        /** The interactive (REPL) namespace, created on first use; a replaced interpreter starts a new one. */
        Value session;
        /**
         * Sources the checker found to run in bounded time: these run on the caller's thread; those that are
         * rules, by calling the rule's function.
         */
        final Map<BoundedCode, Optional<Rule>> bounded = new ConcurrentHashMap<>();

        Tenant(PooledInterpreter pooled, Object owner, HostAccessPolicy policy) {
            this.interpreter = pooled.interpreter();
            this.toHost = new GuestToHost(interpreter, owner);
            this.toGuest = new HostToGuest(toHost, policy);
            this.worker = pooled.worker();
            worker.taken();
        }

        private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();

        void retire() {
            worker.shutdown();
        }

        /**
         * Waits for a call that is being stopped to settle, bounded: the stopper declares the tenant lost
         * after the interrupt grace, and a call that still has not settled leaves it lost. Returns false when
         * the waiting thread was interrupted (its interrupt flag is kept).
         */
        boolean awaitSettled() {
            CountDownLatch pending = settling;
            if (pending == null || pending.getCount() == 0) {
                // settled long ago: an interrupted caller is not refused for it (await throws when interrupted)
                return true;
            }
            try {
                pending.await(SETTLE_BOUND_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (pending.getCount() != 0) {
                lost = true;
            }
            return true;
        }

        /**
         * {@link #awaitSettled} for a caller that must have the answer (is the interpreter lost?): an interrupt,
         * one set on entry or one that comes during the wait, is kept for after it, and the wait is as bounded.
         * Given in to, an interrupt ended the wait before the stopper had decided (review 57).
         */
        void awaitSettledUninterruptibly() {
            boolean interrupted = Thread.interrupted();
            try {
                CountDownLatch pending = settling;
                if (pending == null) {
                    return;
                }
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_BOUND_MILLIS);
                while (true) {
                    try {
                        if (!pending.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                            lost = true;
                        }
                        return;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Closes the context once; a second caller returns at once (the first may block on a stuck guest). */
        void closeContext() {
            if (closing.compareAndSet(false, true)) {
                interpreter.close();
            }
        }

        /** {@link #closeContext} without waiting for it (see {@link InterpreterCloser}). */
        void closeContextInBackground() {
            if (closing.compareAndSet(false, true)) {
                InterpreterCloser.close(interpreter);
            }
        }
    }

    @Override
    public boolean madeHere(Object scriptObject) {
        return scriptObject instanceof GuestObject handle && handle.owner() == owner;
    }

    public InProcessExecutor(SandboxConfig config, Object owner) {
        this.config = config;
        this.owner = owner;
        this.policy = new HostAccessPolicy(config.hostAccess());
    }

    private synchronized Tenant tenant() throws ScriptException {
        if (closed) {
            throw new ScriptException("this sandbox is closed");
        }
        Tenant t = tenant;
        if (t != null) {
            if (!t.awaitSettled()) {
                throw new ScriptInterruptedException("interrupted while the previous call of this sandbox was being stopped");
            }
            if (t.lost) {
                t.retire();
                t.closeContextInBackground();
                tenant = null;
            }
        }
        if (tenant == null) {
            tenant = new Tenant(nextInterpreter(), owner, policy);
        }
        return tenant;
    }

    /**
     * Clears the interrupt status of the interpreter's own guest thread. Truffle's interrupt of a stopped call
     * can leave it set, and the next stream operation on that thread then closed GraalPy's channel over the
     * stream for good (review 29). A caller's thread (bounded code runs there) keeps its status: it is the
     * host's.
     */
    private static void clearGuestInterrupt(Tenant t) {
        if (Thread.currentThread() != t.caller) {
            Thread.interrupted();
        }
    }

    /** Starts making the replacement of a lost interpreter, unless one is on its way. */
    private void prepareReplacement() {
        synchronized (replacementLock) {
            if (replacement != null || replacementClosed) {
                return;
            }
            CompletableFuture<PooledInterpreter> next = new CompletableFuture<>();
            replacement = next;
            GuestThreads.housekeeping("replacement").newThread(() -> {
                try {
                    PooledInterpreter made = InterpreterPool.take(config);
                    try {
                        made.worker().submit(made.interpreter()::warmUp).get();
                    } catch (ExecutionException e) {
                        // a configuration the warm-up script does not suit: the interpreter is just not warmed
                    }
                    next.complete(made);
                } catch (Throwable e) {
                    next.completeExceptionally(e);
                }
            }).start();
        }
    }

    /** The replacement when one was started, else a new interpreter from the pool (or made now). */
    private PooledInterpreter nextInterpreter() throws ScriptException {
        CompletableFuture<PooledInterpreter> next;
        synchronized (replacementLock) {
            next = replacement;
            replacement = null;
        }
        if (next != null) {
            try {
                return next.get();
            } catch (InterruptedException e) {
                next.thenAccept(PooledInterpreter::closeInBackground);
                Thread.currentThread().interrupt();
                throw new ScriptInterruptedException("interrupted while the sandbox's interpreter was being replaced");
            } catch (ExecutionException e) {
                // made again below, where the failure reaches the caller as itself
            }
        }
        return InterpreterPool.take(config);
    }

    /**
     * Whether a call can start at once: the interpreter exists, is not lost and no stopped call is still
     * settling in it. Otherwise the next call first waits for that, or for a new interpreter.
     */
    public synchronized boolean isReady() {
        Tenant t = tenant;
        CountDownLatch pending = t == null ? null : t.settling;
        return t != null && !t.lost && (pending == null || pending.getCount() == 0);
    }

    @Override
    public synchronized long interpreterGeneration() throws ScriptException {
        return tenant().generation;
    }

    /**
     * Whether the interpreter of that generation is gone, without making its replacement (the next call
     * does): a stop still settling decides it, and is waited for, bounded by the interrupt grace. A caller
     * whose interrupt status is set, or is interrupted meanwhile, waits all the same and keeps it. Asked
     * through {@link #interpreterGeneration} instead, a failed engine call waited for the replacement (2 s
     * after its timeout), and an interrupted caller's wait failed, so the engine retired a slot whose
     * interpreter had survived (review 56).
     */
    @Override
    public boolean hasLost(long interpreterGeneration) {
        Tenant t;
        synchronized (this) {
            if (closed) {
                return true;
            }
            t = tenant;
        }
        if (t == null || t.generation != interpreterGeneration) {
            return true;
        }
        t.awaitSettledUninterruptibly();
        return t.lost;
    }

    /**
     * Makes this sandbox's interpreter now and runs the warm-up script in it on the guest thread, so that
     * the first call's clock pays for neither. A worker process does this when it is configured: after a
     * limit replaced a worker, its first call would otherwise spend a 1-s timeout on a cold interpreter.
     */
    public void warmUp() throws ScriptException {
        Tenant t = tenant();
        try {
            t.worker.submit(t.interpreter::warmUp).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScriptInterruptedException("interrupted while the sandbox's interpreter was warming up");
        } catch (java.util.concurrent.ExecutionException e) {
            ScriptException se = new ScriptException("the sandbox's warm-up failed: " + e.getCause());
            se.initCause(e.getCause());
            throw se;
        }
    }

    /**
     * A source the checker found to run in bounded time (see {@link #run}), with the names the host bound:
     * the verdict holds only when every name the code reads is one of them (else it reads the builtins).
     */
    private record BoundedCode(String code, String fileName, boolean wantValue, String[] names) {
        /** The names as a sorted array without repeats: a set, but made and hashed without a HashSet per call. */
        static BoundedCode of(Request r) {
            String[] globals = r.globals() == null ? new String[0] : r.globals().keySet().toArray(new String[0]);
            String[] names = globals;
            if (r.locals() != null) {
                String[] locals = r.locals().keySet().toArray(new String[0]);
                names = Arrays.copyOf(globals, globals.length + locals.length);
                System.arraycopy(locals, 0, names, globals.length, locals.length);
            }
            Arrays.sort(names, NAME_ORDER);
            int distinct = 0;
            for (int i = 0; i < names.length; i++) {
                if (i == 0 || !Objects.equals(names[i], names[distinct - 1])) {
                    names[distinct++] = names[i];
                }
            }
            return new BoundedCode(r.code(), r.fileName(), r.wantValue(),
                    distinct == names.length ? names : Arrays.copyOf(names, distinct));
        }

        private static final Comparator<String> NAME_ORDER = Comparator.nullsFirst(Comparator.naturalOrder());

        @Override
        public boolean equals(Object o) {
            return o instanceof BoundedCode b && wantValue == b.wantValue && code.equals(b.code)
                    && Objects.equals(fileName, b.fileName) && Arrays.equals(names, b.names);
        }

        @Override
        public int hashCode() {
            return (code.hashCode() * 31 + Objects.hashCode(fileName)) * 31 + Arrays.hashCode(names) + (wantValue ? 1 : 0);
        }
    }

    /**
     * A rule (one bounded expression that binds nothing, over names the host bound, without separate
     * locals) as a guest function of the names it reads: evaluated by calling it with the host's values,
     * without the namespaces, write-back and run bookkeeping that only guest code could need.
     */
    private record Rule(Value function, String[] params) {
        static Optional<Rule> of(Value rule) {
            if (rule.isNull()) {
                return Optional.empty();
            }
            Value names = rule.getArrayElement(1);
            String[] params = new String[(int) names.getArraySize()];
            for (int i = 0; i < params.length; i++) {
                params[i] = names.getArrayElement(i).asString();
            }
            return Optional.of(new Rule(rule.getArrayElement(0), params));
        }

        /** The guest values of the parameters, from the host's (checked, copied) values in their order. */
        Object[] arguments(Tenant t, Object[] hostValues) {
            Object[] values = new Object[params.length];
            for (int i = 0; i < params.length; i++) {
                values[i] = t.toGuest.toGuestDirect(hostValues[i]);
            }
            return values;
        }
    }

    /**
     * Runs guest source. Code the checker found to run in time bounded by its size and its inputs (a rule
     * such as {@code amount > limit and country in allowed}: no loops, calls or size-multiplying operators)
     * runs on the caller's thread from its second run on, under the same watchdog, when its bindings are
     * {@link PlainValues plain data}; anything else runs on the guest thread, which the caller can give up on.
     */
    @Override
    public synchronized Object run(Request r) throws ScriptException {
        Tenant t = tenant();
        ConfinedInterpreter it = t.interpreter;
        BoundedCode key = BoundedCode.of(r);
        Optional<Rule> known = t.bounded.get(key);
        CallerInputs fast = known == null ? null : CallerInputs.of(known, r);
        boolean onCaller = fast != null;
        return limited(t, r.fileName(), r.out(), r.err(), r.in(), r.config(), onCaller, () -> {
            if (onCaller && fast.rule() != null) {
                Rule rule = fast.rule();
                return t.toHost.fromRule(it.evaluateRule(rule.function(), rule.arguments(t, fast.ruleValues())));
            }
            GuestNames globals = GuestNames.of(t, onCaller ? fast.globals() : r.globals());
            GuestNames locals = r.locals() == null ? null : GuestNames.of(t, onCaller ? fast.locals() : r.locals());
            // one guest entry fills, runs, and encodes the value and the changed names
            boolean trackGlobals = r.globals() != null && r.writeBack();
            Value done = it.evaluate(r.code(), r.fileName(), r.wantValue(), globals.names, globals.values,
                    trackGlobals, locals == null ? null : locals.names, locals == null ? null : locals.values);
            if (trackGlobals) {
                writeBack(t, done.getArrayElement(3), r.globals());
            }
            if (locals != null) { // a request without write-back has none (Executor.Request)
                writeBack(t, done.getArrayElement(4), r.locals());
            }
            if (!onCaller && done.getArrayElement(5).asBoolean()) {
                if (t.bounded.size() >= BOUNDED_CACHE_LIMIT) {
                    t.bounded.clear();
                }
                t.bounded.put(key, Rule.of(done.getArrayElement(6)));
            }
            if (done.getArrayElement(0).asBoolean()) {
                throwUnlessCleanExit(done.getArrayElement(1), r.fileName());
                return null;
            }
            return t.toHost.fromEncoded(done.getArrayElement(2));
        });
    }

    /**
     * What bounded code reads when it runs on the caller's thread: plain data only (a script object in the
     * bindings could run guest methods), and the very copy that was checked ({@link PlainValues#snapshot}),
     * never the host's collections read again. A rule gets its parameters' values; other bounded code all
     * bindings (the globals, and the locals when there are separate ones).
     */
    private record CallerInputs(Rule rule, Object[] ruleValues, Map<String, Object> globals, Map<String, Object> locals) {
        /** The inputs for code already known to be bounded, or null when it must take the guest thread. */
        static CallerInputs of(Optional<Rule> known, Request r) {
            if (known.isPresent() && r.locals() == null) {
                Object[] values = PlainValues.snapshot(r.globals(), known.get().params());
                return values == null ? null : new CallerInputs(known.get(), values, null, null);
            }
            Map<String, Object> globals = PlainValues.snapshot(r.globals());
            if (globals == null) {
                return null;
            }
            if (r.locals() == null) {
                return new CallerInputs(null, null, globals, null);
            }
            Map<String, Object> locals = PlainValues.snapshot(r.locals());
            return locals == null ? null : new CallerInputs(null, null, globals, locals);
        }
    }

    /** The identifier entries of a host map as parallel arrays of names and guest values. */
    private record GuestNames(Object[] names, Object[] values) {
        static GuestNames of(Tenant t, Map<String, Object> map) {
            if (map == null || map.isEmpty()) {
                return new GuestNames(new Object[0], new Object[0]);
            }
            Object[] names = new Object[map.size()];
            Object[] values = new Object[map.size()];
            int n = 0;
            for (Map.Entry<String, Object> e : map.entrySet()) {
                if (isIdentifier(e.getKey())) {
                    names[n] = e.getKey();
                    values[n++] = t.toGuest.toGuestDirect(e.getValue());
                }
            }
            return n == names.length ? new GuestNames(names, values)
                    : new GuestNames(Arrays.copyOf(names, n), Arrays.copyOf(values, n));
        }
    }

    @Override
    public boolean interactiveSessionLost() {
        long generation = sessionGeneration;
        return generation != 0 && hasLost(generation);
    }

    @Override
    public synchronized String runInteractive(Request r) throws ScriptException {
        Tenant t = tenant();
        ConfinedInterpreter it = t.interpreter;
        if (t.session == null) {
            t.session = it.newNamespace();
            sessionGeneration = t.generation;
        }
        Value namespace = t.session;
        boolean[] exited = {false};
        Object shown = limited(t, r.fileName(), r.out(), r.err(), r.in(), r.config(), false, () -> {
            Value outcome = it.run(r.code(), r.fileName(), namespace, null, true);
            if (it.outcomeExit(outcome).getArrayElement(0).asBoolean()) {
                exited[0] = true;
                return fromOutcome(t, outcome, r.fileName());
            }
            if (it.outcomeValue(outcome).isNull()) {
                return null;
            }
            // repr() runs the guest's own __repr__, so it is confined and timed like the code itself.
            return fromOutcome(t, it.call(it.runtimeMember("_ORIGINAL").getHashValue("repr"),
                    it.outcomeValue(outcome)), r.fileName());
        });
        if (exited[0]) {
            // A failing status was thrown by limited(); a clean exit() must still end the session.
            throw new ScriptExitException(0, r.fileName());
        }
        return (String) shown;
    }

    @Override
    public synchronized Object call(Object function, Object[] args, Writer out, Writer err, Reader in,
            SandboxConfig callConfig) throws ScriptException {
        if (!(function instanceof GuestObject handle)) {
            throw new ScriptException("not a function of this sandbox: " + function);
        }
        Tenant t = tenant();
        ConfinedInterpreter it = t.interpreter;
        if (!handle.belongsTo(it)) {
            throw new ScriptException("this function belongs to another sandbox (or to an interpreter that was "
                    + "replaced after a timeout) and cannot be called here");
        }
        return limited(t, "<call>", out, err, in, callConfig, false, () -> {
            Object[] guestArgs = new Object[args.length];
            for (int i = 0; i < args.length; i++) {
                guestArgs[i] = t.toGuest.toGuestDirect(args[i]);
            }
            return fromOutcome(t, it.call(handle.valueFor(it), guestArgs), "<call>");
        });
    }

    /**
     * Parses and policy-checks code without running it (javax.script {@code Compilable}). The checked code
     * is cached by the interpreter, so a later run of the same source and file name is not checked again.
     */
    public void check(String code, String fileName, SandboxConfig callConfig) throws ScriptException {
        Tenant t = tenant();
        ConfinedInterpreter it = t.interpreter;
        // a check reads no input: the reader stays the last call's, and so does the interpreter's read-ahead
        limited(t, fileName, Writer.nullWriter(), Writer.nullWriter(), it.streams().input(), callConfig, false,
                () -> {
                    it.check(code, fileName, true);
                    return null;
                });
    }

    /** The guest side of a call, run on the worker thread; returns the host value of the result. */
    private interface GuestWork {
        Object perform() throws ScriptException;
    }

    private Object limited(Tenant t, String fileName, Writer out, Writer err, Reader in, SandboxConfig callConfig,
            boolean onCaller, GuestWork work) throws ScriptException {
        if (t.running != null && t.caller == Thread.currentThread()) {
            // a host function the script called, calling back into this sandbox: the call would wait for the
            // guest thread, which waits for the host function, until the timeout stopped both (review 25)
            throw new ScriptException("a host function called back into the sandbox whose script called it; a "
                    + "sandbox runs one call at a time (use another Sandbox or ScriptEngine for the inner work)");
        }
        ConfinedInterpreter it = t.interpreter;
        boolean staleInput = it.streams().holdsInputOtherThan(in);
        boolean leftovers = t.unflushedOutput || staleInput;
        // emptied on the guest thread, under this call's limits: nothing of the sandbox runs unwatched
        GuestWork guarded = !leftovers ? work : () -> {
            discardLeftovers(t, staleInput);
            return work.perform();
        };
        // A host thread whose interrupt status is set would close GraalPy's channel over any stream it touched,
        // for good (review 30: an emptying of stdin there), and Truffle's interrupt of a stopped call clears
        // that status: such a call, and every emptying, runs on the guest thread, where the status is the
        // sandbox's and an interrupted caller is a CALLER_INTERRUPTED stop like any other.
        onCaller = onCaller && !leftovers && !Thread.currentThread().isInterrupted();
        it.streams().bind(out, err, in, callConfig.maxOutput());
        GuardedCall[] self = new GuardedCall[1];
        GuardedCall call = new GuardedCall(callConfig, fileName, onCaller, it.streams()::outputLimitHit,
                limit -> stop(t, self[0], limit));
        self[0] = call;
        t.running = call;
        t.caller = Thread.currentThread();
        try {
            return limited(t, call, fileName, callConfig, onCaller, guarded);
        } finally {
            t.running = null;
            t.caller = null;
        }
    }

    private Object limited(Tenant t, GuardedCall call, String fileName, SandboxConfig callConfig, boolean onCaller,
            GuestWork work) throws ScriptException {
        if (onCaller) {
            CallMonitor.watch(call);
            try {
                perform(t, call, fileName, callConfig, work);
                return call.await();
            } finally {
                CallMonitor.forget(call);
            }
        }
        try {
            t.worker.execute(GuestThreads.withCallersLoader(() -> perform(t, call, fileName, callConfig, work)));
        } catch (RejectedExecutionException e) {
            throw new ScriptException("this sandbox is closed");
        }
        CallMonitor.watch(call);
        try {
            return call.await();
        } finally {
            CallMonitor.forget(call);
        }
    }

    /**
     * The worker thread's side of a call: run, convert, flush the output, and only then answer the caller, so
     * that everything the script printed is in the call's writers when the call returns (and none of it can
     * reach the writers of the next call, which rebinds the streams).
     */
    private void perform(Tenant t, GuardedCall call, String fileName, SandboxConfig callConfig, GuestWork work) {
        ConfinedInterpreter it = t.interpreter;
        clearGuestInterrupt(t);
        call.started();
        // host code the script reaches runs on the caller's thread, with its thread-locals
        CallerThread.bind(call);
        Object value = null;
        ScriptException failure = null;
        try {
            value = work.perform();
            if (it.streams().outputLimitHit()) {
                // the script swallowed the OSError of its output limit: its result is not trusted, and its
                // interpreter's stream buffers may be left half-written: the tenant gets a fresh one
                t.lost = true;
                failure = call.limitException(GuardedCall.Limit.OUTPUT);
            }
        } catch (ScriptException e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = translate(t, call, e, fileName, callConfig);
        } catch (StackOverflowError e) {
            t.lost = true;
            failure = new RecursionLimitException("script stopped: it exhausted the guest thread's stack ("
                    + (GuestThreads.stackSize() >> 20) + " MiB, " + GuestThreads.STACK_SIZE_PROPERTY + ")", fileName, -1);
        } catch (OutOfMemoryError e) {
            t.lost = true;
            failure = new MemoryLimitException("script stopped: the JVM ran out of memory", fileName, -1);
        } catch (Throwable e) {
            t.lost = true;
            failure = new ScriptException("sandbox call failed: " + e);
            failure.initCause(e);
        } finally {
            CallerThread.unbind();
            clearGuestInterrupt(t);
            if (call.tripped() == null && !t.lost) {
                flush(it);
            } else {
                // stopped: its finally, which flushes, may not have run; what is buffered is no later call's
                t.unflushedOutput = true;
            }
            if (t.lost) {
                prepareReplacement(); // before the caller is answered: its next call finds it on its way
            }
            if (failure != null) {
                call.fail(failure);
            } else {
                call.complete(value);
            }
            call.finished();
        }
    }

    /** The host value of a run's or call's outcome; a failing exit status becomes a ScriptExitException. */
    private static Object fromOutcome(Tenant t, Value outcome, String fileName) throws ScriptException {
        ConfinedInterpreter it = t.interpreter;
        Value exit = it.outcomeExit(outcome);
        if (exit.getArrayElement(0).asBoolean()) {
            throwUnlessCleanExit(exit.getArrayElement(1), fileName);
            return null;
        }
        return t.toHost.toHost(it.outcomeValue(outcome));
    }

    private static void throwUnlessCleanExit(Value status, String fileName) throws ScriptExitException {
        // an int outside Java's int range comes as its decimal text: a String status, exit code 1 (review 23:
        // asInt() failed, and the host got a ClassCastException instead of the exit)
        Object code = status.isNull() ? null
                : status.isNumber() ? (status.fitsInInt() ? (Object) status.asInt() : status.toString()) : status.asString();
        if (code != null && !(code instanceof Integer i && i == 0)) {
            throw new ScriptExitException(code, fileName);
        }
    }

    private static ScriptException translate(Tenant t, GuardedCall call, RuntimeException e, String fileName,
            SandboxConfig callConfig) {
        if (call.tripped() != null) {
            return call.limitException(call.tripped());
        }
        if (t.interpreter.streams().outputLimitHit()) {
            t.lost = true;
            return call.limitException(GuardedCall.Limit.OUTPUT);
        }
        if (e instanceof PolyglotException pe && (pe.isCancelled() || pe.isInternalError() && ErrorTranslator.isStackOverflow(pe))) {
            t.lost = pe.isCancelled() || t.lost;
        }
        ScriptException se;
        try {
            se = ErrorTranslator.translate(e, t.interpreter, new ErrorTranslator.CallSite(fileName, false,
                    GuardedCall.describe(callConfig), false));
        } catch (RuntimeException failed) {
            t.lost = true;
            se = new ScriptException("script failed and its error could not be read: " + e);
            se.initCause(e);
        }
        return sizeOverflowAsMemory(se);
    }

    /**
     * GraalPy sizes are Java ints: {@code bytearray(10**12)} or {@code 'a' * 10**10} raise OverflowError
     * where CPython raises MemoryError. Uncaught, that is a request for more memory than any sandbox has.
     */
    private static ScriptException sizeOverflowAsMemory(ScriptException se) {
        if (se instanceof PythonScriptException p && "OverflowError".equals(p.getPythonType())
                && p.getPythonMessage() != null && p.getPythonMessage().contains("index-sized integer")) {
            MemoryLimitException m = new MemoryLimitException("script stopped: it asked for more memory than a "
                    + "sandbox can have (OverflowError: " + p.getPythonMessage() + ")", p.getFileName(),
                    p.getLineNumber());
            m.initCause(p);
            return m;
        }
        return se;
    }

    /**
     * Runs on its own daemon thread when a limit tripped: interrupts the guest, and if it does not yield
     * in the grace period, declares the tenant lost and cancels the context (which may block for as long
     * as the guest's current builtin runs; nobody waits for that).
     */
    private void stop(Tenant t, GuardedCall call, GuardedCall.Limit limit) {
        CountDownLatch settling = new CountDownLatch(1);
        t.settling = settling;
        // the caller is answered now; what the script prints until it yields goes nowhere, not into writers
        // the host has taken back (but for a piece already inside the host's writer, which nothing can stop)
        t.interpreter.streams().detach();
        if (limit == GuardedCall.Limit.OUTPUT) {
            // stopped in the middle of a write: the interpreter's own stream buffers and their locks are in an
            // unknown state (a later print can fail with "reentrant call"); the tenant gets a fresh interpreter
            t.lost = true;
        }
        GuestThreads.housekeeping("stopper").newThread(() -> {
            boolean yielded = false;
            try {
                if (!t.lost && !call.isFinished()) {
                    // a read of the host's input returns soon after the detach if its reader does: interrupted
                    // inside it, GraalPy's stdin would close for good (GuestStreams.awaitInputIdle)
                    t.interpreter.streams().awaitInputIdle(Math.min(250, INTERRUPT_GRACE_MILLIS / 2));
                    t.interpreter.context().interrupt(java.time.Duration.ofMillis(INTERRUPT_GRACE_MILLIS));
                }
                yielded = !t.lost && call.awaitFinished(INTERRUPT_GRACE_MILLIS);
                if (yielded && !t.interpreter.streamsUsable()) {
                    // the interrupt closed a stream under a print or input(): every later call would fail
                    t.lost = true;
                }
            } catch (TimeoutException e) {
                yielded = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                yielded = false; // the context closed under us
            }
            if (!yielded) {
                t.lost = true;
            }
            if (t.lost) {
                prepareReplacement();
            }
            settling.countDown();
            if (t.lost) {
                t.retire();
                t.closeContext();
            }
        }).start();
    }

    /**
     * At the start of a call: what an earlier call left in the interpreter's stream buffers is emptied into
     * nothing, never into this call's writers or script (see GuestStreams).
     */
    private static void discardLeftovers(Tenant t, boolean input) throws ScriptException {
        try {
            t.interpreter.discardLeftovers(t.unflushedOutput, input);
        } catch (IllegalStateException e) {
            // what the stream held may still be there, for whichever call reads it next: not this interpreter
            t.lost = true;
            ScriptException se = new ScriptException("the sandbox could not empty what an earlier call left in its "
                    + "standard streams (" + e.getMessage() + "); the next call gets a fresh interpreter");
            se.initCause(e);
            throw se;
        }
        t.unflushedOutput = false;
    }

    /** The guest flushed its own streams when its call ended (the runtime's _confined); pass it on to the host. */
    private static void flush(ConfinedInterpreter it) {
        try {
            it.streams().flush();
        } catch (IOException ignored) {
            // the host's writer failed; the script's result stands
        }
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

    /**
     * Applies the encoded ([(name, value)...], [deleted names]) the guest reported to the host's map: only
     * identifier names (a guest's {@code globals()['pysandbox.x']} never reaches the host), one at a time,
     * so a map that refuses a key (unmodifiable, or a value it cannot store) costs only that key.
     */
    private static void writeBack(Tenant t, Value changes, Map<String, Object> target) {
        Value changed = changes.getArrayElement(0);
        Value deleted = changes.getArrayElement(1);
        for (long i = 0; i < changed.getArraySize(); i++) {
            Value pair = changed.getArrayElement(i);
            String name = pair.getArrayElement(0).asString();
            if (isIdentifier(name)) {
                Object value = t.toHost.fromEncoded(pair.getArrayElement(1));
                CallerThread.onHost(target, () -> target.put(name, value));
            }
        }
        for (long i = 0; i < deleted.getArraySize(); i++) {
            String name = deleted.getArrayElement(i).asString();
            if (isIdentifier(name)) {
                CallerThread.onHost(target, () -> target.remove(name));
            }
        }
    }

    /** True when the next call will run in a fresh interpreter (the last one was cancelled). */
    synchronized boolean interpreterLost() {
        return tenant != null && tenant.lost;
    }

    @Override
    public synchronized void close() {
        closed = true;
        synchronized (replacementLock) {
            replacementClosed = true;
            if (replacement != null) {
                replacement.thenAccept(PooledInterpreter::closeInBackground);
                replacement = null;
            }
        }
        Tenant t = tenant;
        tenant = null;
        if (t != null) {
            t.awaitSettled();
            t.retire();
            if (t.running != null) {
                // closed by a host function the script called: the cancel happens before close returns, so
                // that the script makes no further host call after it (as every close did before closers)
                t.closeContext();
            } else {
                t.closeContextInBackground();
            }
        }
    }
}
