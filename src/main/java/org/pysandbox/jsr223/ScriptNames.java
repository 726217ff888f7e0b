package org.pysandbox.jsr223;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The names a script could load from its bindings: every identifier-like word of its source, strings and
 * comments included (an f-string's expressions, a {@code globals()['x']} key). A superset of the names the
 * compiled code loads, found without running the parser, so only those bindings are read: a host whose
 * Bindings resolve values lazily (a process engine's variables) pays only for what a script names, and a
 * binding that cannot be read breaks only the scripts that name it. A name built at run time
 * ({@code globals()['a' + 'b']}) is not seen.
 */
final class ScriptNames {
    private static final int CACHE = 256;
    private static final Map<String, Set<String>> SEEN = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
            return size() > CACHE;
        }
    });

    private ScriptNames() {
    }

    static Set<String> of(String source) {
        Set<String> names = SEEN.get(source);
        if (names == null) {
            names = scan(source);
            SEEN.put(source, names);
        }
        return names;
    }

    private static Set<String> scan(String source) {
        Set<String> names = new LinkedHashSet<>();
        int n = source.length();
        int i = 0;
        while (i < n) {
            char c = source.charAt(i);
            if (Character.isJavaIdentifierStart(c) && c != '$') {
                int start = i++;
                while (i < n && Character.isJavaIdentifierPart(source.charAt(i)) && source.charAt(i) != '$') {
                    i++;
                }
                names.add(source.substring(start, i));
            } else {
                i++;
            }
        }
        return Collections.unmodifiableSet(names);
    }
}
