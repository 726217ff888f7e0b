package org.pysandbox.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.graalvm.polyglot.Source;

/** The Python sources that set up each context, read once from the class path. */
final class PolicyScripts {
    static final String LANGUAGE = "python";
    static final Source LOADER = load("loader.py");
    /** The names loader.py leaves in __main__, removed once the policy is loaded. */
    static final String[] LOADER_NAMES = {"_pysandbox_load", "_sys", "_types"};
    static final String CHECKER = read("pysandbox_checker.py");
    static final String RUNTIME = read("pysandbox_runtime.py");
    static final String WARM_UP = read("warmup.py");

    private PolicyScripts() {
    }

    private static Source load(String name) {
        return Source.newBuilder(LANGUAGE, read(name), "<pysandbox " + name + ">").buildLiteral();
    }

    private static String read(String name) {
        String resource = "/org/pysandbox/python/" + name;
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
