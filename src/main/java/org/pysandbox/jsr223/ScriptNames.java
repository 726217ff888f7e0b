package org.pysandbox.jsr223;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.pysandbox.limits.InProcessExecutor;

/**
 * The names a script could load from its bindings: every identifier-like word of its source, strings and
 * comments included (an f-string's expressions, a {@code globals()['x']} key). A superset of the names the
 * compiled code loads, found without running the parser, so only those bindings are read: a host whose
 * Bindings resolve values lazily (a process engine's variables) pays only for what a script names, and a
 * binding that cannot be read breaks only the scripts that name it. A name built at run time
 * ({@code globals()['a' + 'b']}) is not seen. Python's keywords ({@code and}, {@code in}, {@code if}, ...)
 * are left out: no Python name can be one, and a rule is full of them, each an absent binding to look up on
 * every call. Nor are words that are no identifier a script receives ({@code __dunder__} names). The names
 * come sorted, so that the executor's key for a bounded script finds them in order.
 */
final class ScriptNames {
    private static final int CACHE = 256;
    /** Recent sources; emptied when full (a host's scripts are few and come back: the next calls refill it). */
    private static final Map<String, List<String>> SEEN = new ConcurrentHashMap<>();

    private ScriptNames() {
    }

    static List<String> of(String source) {
        List<String> names = SEEN.get(source);
        if (names == null) {
            names = scan(source);
            if (SEEN.size() >= CACHE) {
                SEEN.clear();
            }
            SEEN.put(source, names);
        }
        return names;
    }

    /** Python's hard keywords: never a name, so never a binding a script can load by name. */
    private static final Set<String> KEYWORDS = Set.of("False", "None", "True", "and", "as", "assert", "async",
            "await", "break", "class", "continue", "def", "del", "elif", "else", "except", "finally", "for", "from",
            "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try",
            "while", "with", "yield");

    private static List<String> scan(String source) {
        Set<String> names = new TreeSet<>();
        int n = source.length();
        int i = 0;
        while (i < n) {
            char c = source.charAt(i);
            if (Character.isJavaIdentifierStart(c) && c != '$') {
                int start = i++;
                while (i < n && Character.isJavaIdentifierPart(source.charAt(i)) && source.charAt(i) != '$') {
                    i++;
                }
                String word = source.substring(start, i);
                if (!KEYWORDS.contains(word) && InProcessExecutor.isIdentifier(word)) {
                    names.add(word);
                }
            } else {
                i++;
            }
        }
        return List.copyOf(names);
    }
}
