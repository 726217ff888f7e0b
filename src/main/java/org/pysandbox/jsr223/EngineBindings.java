package org.pysandbox.jsr223;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.script.Bindings;

/**
 * The Bindings of {@link PySandboxEngine#createBindings()}: safe to read, iterate and write from several
 * threads at once (the engine is MULTITHREADED and writes top-level names back here), and, unlike a
 * {@code ConcurrentHashMap}, it holds {@code null} values (a script's {@code x = None}).
 */
public final class EngineBindings extends AbstractMap<String, Object> implements Bindings {
    private static final Object NULL = new Object();
    private final ConcurrentHashMap<String, Object> map = new ConcurrentHashMap<>();

    private static String checkKey(Object key) {
        Objects.requireNonNull(key, "key");
        if (!(key instanceof String s)) {
            throw new ClassCastException("key must be a String, got " + key.getClass().getName());
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        return s;
    }

    private static Object mask(Object value) {
        return value == null ? NULL : value;
    }

    private static Object unmask(Object value) {
        return value == NULL ? null : value;
    }

    @Override
    public Object put(String name, Object value) {
        return unmask(map.put(checkKey(name), mask(value)));
    }

    @Override
    public void putAll(Map<? extends String, ? extends Object> toMerge) {
        toMerge.forEach(this::put);
    }

    @Override
    public Object get(Object key) {
        return unmask(map.get(checkKey(key)));
    }

    @Override
    public boolean containsKey(Object key) {
        return map.containsKey(checkKey(key));
    }

    @Override
    public Object remove(Object key) {
        return unmask(map.remove(checkKey(key)));
    }

    @Override
    public int size() {
        return map.size();
    }

    @Override
    public void clear() {
        map.clear();
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                Iterator<Entry<String, Object>> it = map.entrySet().iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Entry<String, Object> next() {
                        Entry<String, Object> e = it.next();
                        return new SimpleEntry<>(e.getKey(), unmask(e.getValue())) {
                            @Override
                            public Object setValue(Object value) {
                                super.setValue(value);
                                return unmask(map.put(e.getKey(), mask(value)));
                            }
                        };
                    }

                    @Override
                    public void remove() {
                        it.remove();
                    }
                };
            }

            @Override
            public int size() {
                return map.size();
            }
        };
    }
}
