package org.pysandbox.isolation;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.pysandbox.config.Feature;
import org.pysandbox.config.SandboxConfig;

/**
 * A {@link SandboxConfig} as it travels to a worker process, as plain data. It carries no isolation
 * mode: inside a worker the tenant always runs in-process, and the configuration of each call comes
 * from the host's request for that call, never from the script's namespace.
 */
record WireConfig(List<String> features, Map<String, List<String>> modules, List<String> paths, int recursionLimit,
        long timeoutMillis, long maxMemory, long maxOutput, WireLimits results) {

    static WireConfig of(SandboxConfig c) {
        return of(c, WireLimits.HOST);
    }

    /** ... with {@code results}, what the host reads the worker's answers with. */
    static WireConfig of(SandboxConfig c, WireLimits results) {
        List<String> features = new ArrayList<>();
        for (Feature f : c.features()) {
            features.add(f.name());
        }
        Map<String, List<String>> modules = new LinkedHashMap<>();
        c.allowedModules().forEach((k, v) -> modules.put(k, new ArrayList<>(v)));
        List<String> paths = new ArrayList<>();
        c.allowedPaths().forEach(p -> paths.add(p.toString()));
        return new WireConfig(features, modules, paths, c.recursionLimit(), c.timeout().toMillis(), c.maxMemory(),
                c.maxOutput(), results);
    }

    /**
     * ... checked against what a worker reads ({@code limits}), as a request's data is: a configuration the
     * worker would refuse is the host's error, not a worker that ends while configuring (review 33: an
     * allowed path over 16 MiB did that, at every later call again).
     */
    static WireConfig of(SandboxConfig c, WireLimits limits, WireLimits results) throws javax.script.ScriptException {
        WireConfig config = of(c, results);
        WireCodec.toData(config.features, "the configuration's features", limits);
        WireCodec.toData(config.modules, "the configuration's allowed modules", limits);
        WireCodec.toData(config.paths, "the configuration's allowed paths", limits);
        try {
            WireCodec.configure(config);
        } catch (java.io.IOException e) {
            throw new javax.script.ScriptException(e.getMessage() + " (it travels with every request of a sandbox "
                    + "with isolation=process, and may take at most a quarter of one)");
        }
        return config;
    }

    /**
     * The most a configuration may take on the wire: every request carries it, so it leaves three quarters of
     * a request to code and data (review 34: a configuration just under 64 MiB passed its own frame, and
     * every request after it was refused).
     */
    static final int MAX_BYTES = WireLimits.WORKER.maxFrame() / 4;

    void writeTo(WireWriter w) throws java.io.IOException {
        w.value(features).value(modules).value(paths).value(recursionLimit).value(timeoutMillis).value(maxMemory)
                .value(maxOutput).value(results.maxFrame()).value(results.maxDepth()).value(results.maxItems())
                .value(results.maxString()).value(results.maxDecodeMillis()).value(results.graceMillis());
    }

    @SuppressWarnings("unchecked")
    static WireConfig read(WireReader r) throws BadFrameException {
        List<String> features = strings(r.list());
        Object modules = r.value();
        if (!(modules instanceof Map<?, ?> m)) {
            throw new BadFrameException("expected the allowed modules as a dict", "wrong type");
        }
        Map<String, List<String>> mods = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String name) || !(e.getValue() instanceof List<?> symbols)) {
                throw new BadFrameException("expected module name -> list of symbols", "wrong type");
            }
            mods.put(name, strings(symbols));
        }
        List<String> paths = strings(r.list());
        return new WireConfig(features, mods, paths, r.intValue(), r.longValue(), r.longValue(), r.longValue(),
                new WireLimits(r.intValue(), r.intValue(), r.intValue(), r.intValue(), WireLimits.WORKER.allocationPerByte(),
                        r.longValue(), r.longValue()));
    }

    private static List<String> strings(List<?> list) throws BadFrameException {
        for (Object o : list) {
            if (!(o instanceof String)) {
                throw new BadFrameException("expected a list of str", "wrong type");
            }
        }
        @SuppressWarnings("unchecked")
        List<String> strings = (List<String>) list;
        return strings;
    }

    /** The configuration; an unknown feature or an invalid value is the sender's protocol error. */
    SandboxConfig toConfig() throws BadFrameException {
        try {
            SandboxConfig.Builder b = SandboxConfig.builder();
            features.forEach(f -> b.enable(Feature.valueOf(f)));
            modules.forEach((m, symbols) -> b.allowModule(m, symbols.toArray(String[]::new)));
            paths.forEach(p -> b.allowPath(Path.of(p)));
            return b.recursionLimit(recursionLimit).timeout(Duration.ofMillis(timeoutMillis)).maxMemory(maxMemory)
                    .maxOutput(maxOutput).build();
        } catch (RuntimeException e) {
            throw new BadFrameException("an invalid configuration: " + e.getMessage(), "configuration");
        }
    }
}
