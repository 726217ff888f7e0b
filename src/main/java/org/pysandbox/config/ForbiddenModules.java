package org.pysandbox.config;

import java.util.Set;

/** Modules no configuration may open: each hands out the interpreter, the host or native code. */
final class ForbiddenModules {
    private static final Set<String> NAMES = Set.of("builtins", "gc", "importlib", "_imp", "__graalpython__",
            "polyglot", "java", "ctypes", "_ctypes", "_posixsubprocess", "_frozen_importlib",
            "_frozen_importlib_external", "inspect", "__main__", "pysandbox_runtime", "pysandbox_checker");

    private ForbiddenModules() {
    }

    static boolean isForbidden(String module) {
        return NAMES.contains(module) || NAMES.contains(module.split("\\.")[0]);
    }

    static String describe() {
        return String.join(", ", NAMES.stream().sorted().toList());
    }
}
