package org.pysandbox.jsr223;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.lang.ref.Cleaner;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.script.AbstractScriptEngine;
import javax.script.Bindings;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.Invocable;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptException;

import org.pysandbox.bridge.GuestObject;
import org.pysandbox.bridge.HostToGuest;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.config.SandboxConfigurationException;
import org.pysandbox.error.PythonScriptException;
import org.pysandbox.error.SandboxViolationException;
import org.pysandbox.error.Surface;
import org.pysandbox.limits.Executor;
import org.pysandbox.limits.InProcessExecutor;

/**
 * The {@code pysandbox} javax.script engine: untrusted Python 3, confined, with the configuration of each
 * call read from the {@link ScriptContext} it runs with (see {@link ContextConfig}).
 *
 * <p>One engine is one tenant: its interpreters are never shared with another engine, unless the host names
 * the same {@value ContextConfig#TENANT} for several engines (see {@link #tenantOf}). Concurrent calls run
 * on separate interpreters of the engine (one per concurrently running thread), and write the names they
 * bind back to the ENGINE_SCOPE Bindings of their own context, hence {@code THREADING=MULTITHREADED}.
 * Script objects (functions, instances) that reach the host are handles tied to the interpreter that made
 * them; {@link #invokeFunction}, {@link #invokeMethod} and {@link #getInterface} route calls back there.
 * Creating an engine is cheap: no interpreter exists until the first call.
 */
public final class PySandboxEngine extends AbstractScriptEngine implements Compilable, Invocable, AutoCloseable {
    /** File name of scripts run without {@link ScriptEngine#FILENAME}. */
    public static final String DEFAULT_FILE_NAME = "<script>";

    private static final Cleaner CLEANER = Cleaner.create();

    /** Looks a method up on a script object; the last expression is (found, result). */
    private static final String INVOKE_METHOD = "pysandbox_method = getattr(pysandbox_target, pysandbox_name, None)\n"
            + "(True, pysandbox_method(*pysandbox_args)) if callable(pysandbox_method) else (False, None)\n";
    /** Which of the names are callable members of a script object. */
    private static final String MEMBERS = "[n for n in pysandbox_names if callable(getattr(pysandbox_target, n, None))]\n";

    private final PySandboxEngineFactory factory;
    private final Tenant tenant = new Tenant();
    /** Engines the host declared to be one tenant ({@value ContextConfig#TENANT}) share these interpreters. */
    private static final Map<String, Tenant> SHARED = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * Script objects (functions, class instances) that scripts of this engine bound at top level. They are
     * not written into the host's Bindings (a host may store those), but later scripts and {@link Invocable}
     * find them here, after the Bindings.
     */
    private final Map<String, Object> scriptObjects = new java.util.concurrent.ConcurrentHashMap<>();
    private final Cleaner.Cleanable cleanable;

    PySandboxEngine(PySandboxEngineFactory factory) {
        this.factory = factory;
        context.setBindings(createBindings(), ScriptContext.ENGINE_SCOPE);
        // Engines are created per use by some hosts and rarely closed: free the interpreters with the engine.
        this.cleanable = CLEANER.register(this, tenant);
    }

    @Override
    public Bindings createBindings() {
        return new EngineBindings();
    }

    @Override
    public ScriptEngineFactory getFactory() {
        return factory;
    }

    @Override
    public Object eval(String script, ScriptContext context) throws ScriptException {
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(context, "context");
        return run(script, context, null);
    }

    @Override
    public Object eval(Reader reader, ScriptContext context) throws ScriptException {
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(context, "context");
        return run(read(reader, fileName(context, null)), context, null);
    }

    @Override
    public CompiledScript compile(String script) throws ScriptException {
        Objects.requireNonNull(script, "script");
        ScriptContext ctx = context;
        String file = fileName(ctx, null);
        ScriptSource.check(script, file);
        SandboxConfig config = config(ctx);
        Tenant.Slot slot = tenantOf(ctx).acquire(config);
        try {
            noteInterpreter(slot);
            if (slot.executor instanceof InProcessExecutor inProcess) {
                inProcess.check(script, file, config);
            }
        } catch (ScriptException e) {
            // a check that a limit stopped can cost the interpreter, as a stopped eval can
            retireIfLost(slot);
            throw inEngineTerms(e);
        } catch (RuntimeException | StackOverflowError e) {
            throw ScriptSource.unexpected(e, file);
        } finally {
            slot.release();
        }
        return new PySandboxCompiledScript(this, script, file);
    }

    @Override
    public CompiledScript compile(Reader script) throws ScriptException {
        Objects.requireNonNull(script, "reader");
        return compile(read(script, fileName(context, null)));
    }

    /** Runs source with a context; {@code compiledFile} is the file name a compiled script was made with. */
    Object run(String code, ScriptContext ctx, String compiledFile) throws ScriptException {
        String file = fileName(ctx, compiledFile);
        if (compiledFile == null) {
            ScriptSource.check(code, file); // a compiled script's source was checked by compile
        }
        SandboxConfig config = config(ctx);
        Tenant.Slot slot = liveSlot(tenantOf(ctx), config);
        ScriptGlobals globals = null;
        try {
            noteInterpreter(slot);
            globals = ScriptGlobals.of(ctx, slot, code, scriptObjects);
            Object result = slot.executor.run(new Executor.Request(code, file, globals, null, true, writer(ctx, false),
                    writer(ctx, true), reader(ctx), config));
            // a worker that died after liveSlot's check was replaced by this call, which defined its names in
            // the new one: the slot follows it (else the next call found the slot lost and retired them)
            slot.generation = slot.executor.lastCallGeneration(slot.generation);
            globals.writeBackTo(ctx.getBindings(ScriptContext.ENGINE_SCOPE), scriptObjects);
            return result;
        } catch (ScriptException e) {
            retireIfLost(slot);
            throw inEngineTerms(explainLeftOut(e, globals, slot));
        } catch (RuntimeException | StackOverflowError e) {
            throw ScriptSource.unexpected(e, file);
        } finally {
            slot.release();
        }
    }

    /**
     * A free slot whose interpreter is still the one its script objects live in. A worker that died between
     * calls left a slot whose next call would start a new worker under the old generation, so that a later
     * ordinary failure retired that worker with everything defined in it (review 45): such a slot is retired
     * here instead, before any state is built in it. A worker can still die after this check and before the
     * call starts; that call then starts a new worker, and {@link #run} notes its generation.
     */
    private static Tenant.Slot liveSlot(Tenant tenant, SandboxConfig config) throws ScriptException {
        Tenant.Slot slot = tenant.acquire(config);
        while (slot.generation != null && slot.executor.lostBetweenCalls(slot.generation)) {
            tenant.retire(slot);
            slot.release();
            slot = tenant.acquire(config);
        }
        return slot;
    }

    private static final Pattern UNDEFINED_NAME = Pattern.compile("name '([^']+)' is not defined");

    /**
     * A NameError for a name the host did bind, whose value was another interpreter's script object (left
     * out by {@link ScriptGlobals}), says why the script could not see it.
     */
    private static ScriptException explainLeftOut(ScriptException e, ScriptGlobals globals, Tenant.Slot slot) {
        if (globals == null || !(e instanceof PythonScriptException failure) || !"NameError".equals(failure.getPythonType())
                || failure.getPythonMessage() == null) {
            return e;
        }
        Matcher m = UNDEFINED_NAME.matcher(failure.getPythonMessage());
        Object handle = m.matches() ? globals.leftOut(m.group(1)) : null;
        if (handle == null) {
            return e;
        }
        String why;
        if (!(handle instanceof GuestObject local)) {
            Tenant.Slot maker = slot.tenant.slotThatMade(handle);
            why = maker == null ? "lives in another engine's worker process, or in one replaced after a limit stopped "
                    + "it or it crashed" : "lives in another worker process of this engine (another thread's or "
                    + "another confinement's)";
        } else if (!(local.owner() instanceof Tenant.Slot other) || other.tenant != slot.tenant) {
            why = "belongs to another pysandbox engine or tenant";
        } else if (!other.key.sameConfinement(slot.key)) {
            // not which: whoever reads the error may be less trusted than the settings of the other confinement
            why = "was made under another confinement (other features, modules, paths or host access)";
        } else if (other.isRetired()) {
            why = "is gone: its interpreter was discarded after a resource limit stopped it";
        } else {
            why = "was made in another interpreter of this engine (another thread's)";
        }
        return failure.withNote("the binding '" + m.group(1) + "' holds a script object that " + why
                + ", so this script was not given it");
    }

    /** A refusal's hint names the {@code pysandbox.*} attribute a javax.script user would set, not a builder method. */
    private static ScriptException inEngineTerms(ScriptException e) {
        return e instanceof SandboxViolationException v ? v.forSurface(Surface.JAVAX_SCRIPT) : e;
    }

    /**
     * A failed call may have cost the interpreter (a limit stop that cancelled it, an output limit): the
     * executor then replaces it, which would leave handles in Bindings that no longer fit. Retire the whole
     * slot instead, so its handles are plainly "discarded" and later calls get a fresh interpreter. Asked
     * after every failure: which stops cost an interpreter is the executor's business, not the engine's.
     */
    private void retireIfLost(Tenant.Slot slot) {
        try {
            if (slot.generation == null || slot.executor.hasLost(slot.generation)) {
                slot.tenant.retire(slot);
            }
        } catch (ScriptException | RuntimeException lost) {
            slot.tenant.retire(slot);
        }
    }

    /**
     * Notes which interpreter a new slot's script objects will live in, without a guest entry (a probe
     * function run in it, as before, cost a fresh engine's first eval about 2 ms).
     */
    private static void noteInterpreter(Tenant.Slot slot) throws ScriptException {
        if (slot.generation == null) {
            slot.generation = slot.executor.interpreterGeneration();
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Invocable
    // ------------------------------------------------------------------------------------------------

    @Override
    public Object invokeFunction(String name, Object... args) throws ScriptException, NoSuchMethodException {
        Objects.requireNonNull(name, "name");
        ScriptContext ctx = context;
        Object function = scriptObject(ctx, name);
        if (!isScriptObject(function)) {
            throw new NoSuchMethodException("no function '" + name + "' defined by a script of this engine"
                    + (function == null ? "" : " (the binding holds a " + function.getClass().getName() + ")"));
        }
        Object[] arguments = args == null ? new Object[0] : args;
        return onOwner(function, ctx, (slot, config) -> slot.executor.call(function, arguments, writer(ctx, false),
                writer(ctx, true), reader(ctx), config));
    }

    @Override
    public Object invokeMethod(Object thiz, String name, Object... args) throws ScriptException, NoSuchMethodException {
        Objects.requireNonNull(name, "name");
        Object handle = scriptObject(thiz);
        ScriptContext ctx = context;
        Map<String, Object> globals = new HashMap<>();
        globals.put("pysandbox_target", handle);
        globals.put("pysandbox_name", name);
        globals.put("pysandbox_args", HostToGuest.directArguments(args == null ? List.of() : Arrays.asList(args)));
        Object outcome = onOwner(handle, ctx, (slot, config) -> slot.executor.run(new Executor.Request(INVOKE_METHOD,
                fileName(ctx, null), globals, null, true, writer(ctx, false), writer(ctx, true), reader(ctx), config)));
        List<?> pair = (List<?>) outcome;
        if (!Boolean.TRUE.equals(pair.get(0))) {
            throw new NoSuchMethodException("the script object has no method '" + name + "'");
        }
        return pair.get(1);
    }

    @Override
    public <T> T getInterface(Class<T> type) {
        checkInterface(type);
        for (Method m : abstractMethods(type)) {
            if (!isScriptObject(scriptObject(context, m.getName()))) {
                return null;
            }
        }
        return proxy(type, null);
    }

    @Override
    public <T> T getInterface(Object thiz, Class<T> type) {
        checkInterface(type);
        Object handle = scriptObject(thiz);
        List<String> names = abstractMethods(type).stream().map(Method::getName).distinct().toList();
        Map<String, Object> globals = new HashMap<>();
        globals.put("pysandbox_target", handle);
        globals.put("pysandbox_names", names);
        ScriptContext ctx = context;
        try {
            Object present = onOwner(handle, ctx, (slot, config) -> slot.executor.run(new Executor.Request(MEMBERS,
                    fileName(ctx, null), globals, null, true, writer(ctx, false), writer(ctx, true), reader(ctx),
                    config)));
            if (!(present instanceof List<?> list) || !list.containsAll(names)) {
                return null;
            }
        } catch (ScriptException e) {
            throw new IllegalArgumentException("cannot inspect the script object: " + e.getMessage(), e);
        }
        return proxy(type, handle);
    }

    /**
     * The interpreters a call runs in: this engine's own, or, when the host names a tenant with
     * {@value ContextConfig#TENANT} (attribute or system property), those every engine naming it shares. A
     * host that makes a new engine for each evaluation (JMeter without its script cache, Spring's
     * StandardScriptEvaluator) then reuses warm interpreters instead of paying a new one per call. Engines
     * of one tenant are one trust domain by the host's word, as one engine used for every call would be;
     * engines of different tenants, or naming none, never share an interpreter.
     */
    private Tenant tenantOf(ScriptContext ctx) throws ScriptException {
        Object name = ContextConfig.setting(ctx, ContextConfig.TENANT);
        if (name == null) {
            return tenant;
        }
        if (!(name instanceof String s) || s.isBlank()) {
            throw new ScriptException("malformed " + ContextConfig.TENANT + ": expected a non-empty String, got " + name);
        }
        return SHARED.computeIfAbsent(s.strip(), k -> new Tenant());
    }

    /** A script object by name: from the context's Bindings, else from the objects scripts of this engine bound. */
    private Object scriptObject(ScriptContext ctx, String name) {
        Object value = ctx.getAttribute(name);
        return value instanceof GuestObject ? value : value == null ? scriptObjects.get(name) : value;
    }

    /** A function or object a script of this engine made: in this JVM, or in a worker process. */
    static boolean isScriptObject(Object value) {
        return value instanceof GuestObject || value instanceof org.pysandbox.isolation.RemoteGuestObject;
    }

    private <T> T proxy(Class<T> type, Object thiz) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                new ScriptInterface(this, thiz, type)));
    }

    private static void checkInterface(Class<?> type) {
        if (type == null || !type.isInterface()) {
            throw new IllegalArgumentException("getInterface needs an interface, got " + type);
        }
    }

    static List<Method> abstractMethods(Class<?> type) {
        return Arrays.stream(type.getMethods())
                .filter(m -> Modifier.isAbstract(m.getModifiers()) && !isObjectMethod(m))
                .toList();
    }

    private static boolean isObjectMethod(Method m) {
        try {
            Object.class.getMethod(m.getName(), m.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static Object scriptObject(Object thiz) {
        if (!isScriptObject(thiz)) {
            throw new IllegalArgumentException("not a script object of the pysandbox engine: "
                    + (thiz == null ? "null" : thiz.getClass().getName()));
        }
        return thiz;
    }

    private interface OnSlot {
        Object run(Tenant.Slot slot, SandboxConfig config) throws ScriptException;
    }

    /**
     * Runs work in the interpreter that made the handle, under the confinement of the calling context. An
     * object made in-process names its slot; one made in a worker process is found by asking the slots'
     * executors, since only the executor knows which worker it runs now.
     */
    private Object onOwner(Object handle, ScriptContext ctx, OnSlot work) throws ScriptException {
        Tenant tenant = tenantOf(ctx);
        Tenant.Slot slot = handle instanceof GuestObject local
                ? local.owner() instanceof Tenant.Slot s && s.tenant == tenant ? s : null
                : tenant.slotThatMade(handle);
        if (slot == null && tenant.isClosed()) {
            throw new ScriptException("this script object is gone: the engine was closed");
        }
        if (slot == null) {
            throw new ScriptException("this script object belongs to another pysandbox engine"
                    + (handle instanceof GuestObject ? "" : ", or to a worker process that was replaced after a "
                            + "limit stopped it or it crashed")
                    + "; an engine only calls objects its own scripts made");
        }
        SandboxConfig config = config(ctx);
        if (!slot.key.sameConfinement(Tenant.Key.of(config))) {
            throw new ScriptException("this script object was made under another confinement (" + describe(slot.key)
                    + ") than the context of this call grants (" + describe(Tenant.Key.of(config)) + "); a call never "
                    + "runs with other permissions than its context's");
        }
        slot.acquire();
        try {
            if (slot.isRetired()) {
                throw new ScriptException("this script object is gone: its interpreter was discarded after a "
                        + "resource limit stopped it, or the engine was closed");
            }
            noteInterpreter(slot);
            return work.run(slot, config);
        } catch (ScriptException e) {
            retireIfLost(slot);
            throw inEngineTerms(e);
        } catch (RuntimeException | StackOverflowError e) {
            throw ScriptSource.unexpected(e, fileName(ctx, null));
        } finally {
            slot.release();
        }
    }

    private static String describe(Tenant.Key key) {
        return "features " + key.features() + ", modules " + key.modules().keySet() + ", paths " + key.paths();
    }

    // ------------------------------------------------------------------------------------------------
    // The call's context: configuration, file name, streams
    // ------------------------------------------------------------------------------------------------

    static SandboxConfig config(ScriptContext ctx) throws ScriptException {
        try {
            return ContextConfig.from(ctx);
        } catch (SandboxConfigurationException e) {
            ScriptException se = new ScriptException(e.getMessage());
            se.initCause(e);
            throw se;
        }
    }

    private static String fileName(ScriptContext ctx, String fallback) {
        Object name = ctx.getAttribute(ScriptEngine.FILENAME);
        if (name != null) {
            return name.toString();
        }
        return fallback != null ? fallback : DEFAULT_FILE_NAME;
    }

    private static Writer writer(ScriptContext ctx, boolean error) {
        Writer w = error ? ctx.getErrorWriter() : ctx.getWriter();
        return w != null ? w : Writer.nullWriter();
    }

    /**
     * The input of a context without a reader: one instance, so that consecutive calls without one read the
     * same reader and the interpreter keeps nothing from another (GuestStreams.holdsInputOtherThan).
     */
    private static final Reader NO_INPUT = Reader.nullReader();

    private static Reader reader(ScriptContext ctx) {
        Reader r = ctx.getReader();
        return r != null ? r : NO_INPUT;
    }

    private static String read(Reader reader, String file) throws ScriptException {
        try {
            StringBuilder text = new StringBuilder();
            char[] buffer = new char[8192];
            for (int n; (n = reader.read(buffer)) != -1;) {
                text.append(buffer, 0, n);
            }
            return text.toString();
        } catch (IOException e) {
            ScriptException se = new ScriptException("could not read the script: " + e, file, -1);
            se.initCause(e);
            throw se;
        }
    }

    /** Number of interpreters this engine has made (for tests and monitoring). */
    public int interpreterCount() {
        try {
            return tenantOf(context).size();
        } catch (ScriptException e) {
            return tenant.size();
        }
    }

    /** Closes the engine's interpreters; script objects it handed out stop working. */
    @Override
    public void close() {
        cleanable.clean();
    }
}
