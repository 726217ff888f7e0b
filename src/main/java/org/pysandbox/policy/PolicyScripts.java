package org.pysandbox.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.graalvm.polyglot.Source;

/** The Python sources that set up each context, read once from the class path. */
final class PolicyScripts {
    static final String LANGUAGE = "python";
    static final String RESOURCES = "/org/pysandbox/python/";
    static final Source LOADER = load("loader.py");
    /** The names loader.py leaves in __main__, removed once the policy is loaded. */
    static final String[] LOADER_NAMES = {"_pysandbox_load", "_pysandbox_code_version", "_sys", "_ModuleType"};
    /**
     * The modules of the policy package, in load order (each imports only those before it); the last one
     * holds the entry points the host calls.
     */
    static final String[] MODULES = {"syntax", "lines", "checker", "errors", "state", "classes", "guards", "views", "patches", "imports",
        "guest_builtins", "runtime"};
    static final String[] MODULE_SOURCES = java.util.Arrays.stream(MODULES).map(m -> read("pysandbox/" + m + ".py"))
            .toArray(String[]::new);
    static final String WARM_UP = read("warmup.py");

    private PolicyScripts() {
    }

    private static Source load(String name) {
        return Source.newBuilder(LANGUAGE, read(name), "<pysandbox " + name + ">").buildLiteral();
    }

    private static String read(String name) {
        String resource = RESOURCES + name;
        try (InputStream in = PolicyScripts.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
