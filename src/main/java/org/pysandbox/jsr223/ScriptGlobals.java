package org.pysandbox.jsr223;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.script.Bindings;
import javax.script.ScriptContext;

import org.pysandbox.bridge.GuestObject;
import org.pysandbox.limits.InProcessExecutor;

/**
 * The globals of one eval: a snapshot of GLOBAL_SCOPE overlaid with ENGINE_SCOPE (engine wins), keeping
 * only Python identifiers (so {@code pysandbox.*}, {@code javax.script.filename} and the like never reach
 * the script) and only script objects of the interpreter that runs the call. The executor writes the
 * names the script bound back into this map; {@link #writeBackTo} then replays them onto ENGINE_SCOPE.
 */
final class ScriptGlobals extends AbstractMap<String, Object> {
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Map<String, Object> changed = new LinkedHashMap<>();
    private final List<String> removed = new ArrayList<>();

    private ScriptGlobals() {
    }

    /** The globals for a call in the interpreter of {@code owner}. */
    static ScriptGlobals of(ScriptContext context, Object owner) {
        ScriptGlobals g = new ScriptGlobals();
        g.copy(context.getBindings(ScriptContext.GLOBAL_SCOPE), owner);
        g.copy(context.getBindings(ScriptContext.ENGINE_SCOPE), owner);
        return g;
    }

    private void copy(Bindings scope, Object owner) {
        if (scope == null) {
            return;
        }
        for (Map.Entry<String, Object> e : new ArrayList<>(scope.entrySet())) {
            String key = e.getKey();
            Object value = e.getValue();
            if (!InProcessExecutor.isIdentifier(key)) {
                continue;
            }
            if (value instanceof GuestObject handle && handle.owner() != owner) {
                // A script object of another interpreter (another thread's, another confinement's, or one
                // discarded after a timeout) cannot enter this one; the script does not see the name.
                values.remove(key);
                continue;
            }
            values.put(key, value);
        }
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
        changed.put(key, value);
        removed.remove(key);
        return values.put(key, value);
    }

    @Override
    public Object remove(Object key) {
        changed.remove(key);
        if (key instanceof String s && !removed.contains(s)) {
            removed.add(s);
        }
        return values.remove(key);
    }

    /** Replays the script's top-level bindings onto the ENGINE_SCOPE of the call. */
    void writeBackTo(Bindings engineScope) {
        if (engineScope == null) {
            return;
        }
        try {
            changed.forEach(engineScope::put);
            removed.forEach(engineScope::remove);
        } catch (UnsupportedOperationException readOnly) {
            // an unmodifiable Bindings gets the script's reads, not its writes
        }
    }
}
