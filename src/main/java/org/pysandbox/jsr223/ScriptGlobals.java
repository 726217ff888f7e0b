package org.pysandbox.jsr223;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.script.Bindings;
import javax.script.ScriptContext;
import javax.script.ScriptException;

import org.pysandbox.bridge.CallerThread;
import org.pysandbox.limits.InProcessExecutor;

/**
 * The globals of one eval: the bindings the script names (see {@link ScriptNames}), each read once, before
 * the call, on the caller's thread: ENGINE_SCOPE, then GLOBAL_SCOPE, then the script objects earlier scripts
 * of the engine made. Only Python identifiers (so {@code pysandbox.*}, {@code javax.script.filename} and
 * the like never reach the script) and only script objects of the interpreter that runs the call. The
 * executor writes the names the script bound back into this map; {@link #writeBackTo} then replays them.
 */
final class ScriptGlobals extends AbstractMap<String, Object> implements CallerThread.LibraryMap {
    private static final System.Logger LOG = System.getLogger("org.pysandbox.jsr223");

    private final Map<String, Object> values = new LinkedHashMap<>();
    /** What the script bound and unbound, and what was left out: made when first needed (most calls need none). */
    private Map<String, Object> changed = Map.of();
    private List<String> removed = List.of();
    /** Bindings left out because they hold another interpreter's script object, to explain a NameError. */
    private Map<String, Object> leftOut = Map.of();

    private ScriptGlobals() {
    }

    /** The globals for a run of {@code code} in the interpreter (or worker process) of {@code slot}. */
    static ScriptGlobals of(ScriptContext context, Tenant.Slot slot, String code, Map<String, Object> scriptObjects)
            throws ScriptException {
        ScriptGlobals g = new ScriptGlobals();
        Bindings engine = context.getBindings(ScriptContext.ENGINE_SCOPE);
        Bindings global = context.getBindings(ScriptContext.GLOBAL_SCOPE);
        for (String name : ScriptNames.of(code)) { // identifiers only
            Object value;
            try {
                value = lookup(engine, name);
                if (value == ABSENT) {
                    value = lookup(global, name);
                }
                if (value == ABSENT) {
                    value = lookup(scriptObjects, name);
                }
                if (value == ABSENT) {
                    continue;
                }
            } catch (RuntimeException e) {
                ScriptException se = new ScriptException("the binding '" + name + "' could not be read: " + e);
                se.initCause(e);
                throw se;
            }
            if (PySandboxEngine.isScriptObject(value) && !slot.executor.madeHere(value)) {
                // A script object of another interpreter or worker (another thread's, another confinement's,
                // or one discarded after a timeout) cannot enter this one; the script does not see the name,
                // which is not an error by itself: the script may bind the name before it reads it (a setup
                // script run again after a timeout redefines its functions).
                if (g.leftOut.isEmpty()) {
                    g.leftOut = new LinkedHashMap<>();
                }
                g.leftOut.put(name, value);
                continue;
            }
            g.values.put(name, value);
        }
        return g;
    }

    private static final Object ABSENT = new Object();

    /** The value of name in map, or ABSENT: one lookup, and containsKey only to tell a null value from none. */
    private static Object lookup(Map<String, Object> map, String name) {
        if (map == null) {
            return ABSENT;
        }
        Object value = map.get(name);
        return value != null || map.containsKey(name) ? value : ABSENT;
    }

    /** The script object a binding of this name held but the script could not be given, or null. */
    Object leftOut(String name) {
        return leftOut.get(name);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return values.entrySet();
    }

    @Override
    public Object get(Object key) {
        return values.get(key);
    }

    @Override
    public Object put(String key, Object value) {
        if (!InProcessExecutor.isIdentifier(key)) {
            // globals()['pysandbox.allowPaths'] = ...: never reaches the host's Bindings
            return null;
        }
        if (changed.isEmpty()) {
            changed = new LinkedHashMap<>();
        }
        changed.put(key, value);
        if (!removed.isEmpty()) {
            removed.remove(key); // Map.of() and List.of() refuse even a remove that changes nothing
        }
        return values.put(key, value);
    }

    @Override
    public Object remove(Object key) {
        if (!changed.isEmpty()) {
            changed.remove(key);
        }
        if (key instanceof String s && InProcessExecutor.isIdentifier(s) && !removed.contains(s)) {
            if (removed.isEmpty()) {
                removed = new ArrayList<>();
            }
            removed.add(s);
        }
        return values.remove(key);
    }

    /**
     * Replays the script's top-level bindings: data onto the ENGINE_SCOPE of the call, script objects
     * (functions, instances) into the engine's own table, where {@code Invocable} and later scripts find
     * them (and into the engine's own {@link EngineBindings}), so a host that stores its Bindings (a process engine persisting variables) is only given
     * values it can store. A key the host refuses is logged and skipped: the script's result stands.
     */
    void writeBackTo(Bindings engineScope, Map<String, Object> scriptObjects) {
        // the engine's own Bindings (createBindings(), the default context) are never stored by a host:
        // they also get script objects, so engine.get("processor") works as NiFi-style hosts expect
        boolean ours = engineScope instanceof EngineBindings;
        changed.forEach((name, value) -> {
            if (ours || isData(value, 0)) {
                scriptObjects.remove(name);
                store(engineScope, name, value, false);
            } else {
                scriptObjects.put(name, value);
                store(engineScope, name, null, true);
            }
        });
        removed.forEach(name -> {
            scriptObjects.remove(name);
            store(engineScope, name, null, true);
        });
    }

    private static void store(Bindings scope, String name, Object value, boolean remove) {
        if (scope == null) {
            return;
        }
        try {
            if (remove) {
                if (scope.containsKey(name)) {
                    scope.remove(name);
                }
            } else {
                scope.put(name, value);
            }
        } catch (RuntimeException e) {
            // an unmodifiable Bindings, or a host that cannot store this value: the script's result stands
            LOG.log(System.Logger.Level.DEBUG, "pysandbox could not write ''{0}'' back to the Bindings: {1}", name, e);
        }
    }

    /** Plain data a host can store: scalars, byte[], and lists, sets and maps of data. */
    static boolean isData(Object value, int depth) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof byte[]) {
            return true;
        }
        if (depth > 64) {
            return false;
        }
        if (value instanceof java.util.Collection<?> c) {
            return c.stream().allMatch(v -> isData(v, depth + 1));
        }
        if (value instanceof Map<?, ?> m) {
            return m.entrySet().stream().allMatch(e -> isData(e.getKey(), depth + 1) && isData(e.getValue(), depth + 1));
        }
        return false;
    }
}
