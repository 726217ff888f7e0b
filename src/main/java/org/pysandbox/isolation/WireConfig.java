package org.pysandbox.isolation;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.pysandbox.config.Feature;
import org.pysandbox.config.SandboxConfig;

/** A {@link SandboxConfig} as it travels to a worker process. */
record WireConfig(List<String> features, Map<String, List<String>> modules, List<String> paths, int recursionLimit,
        long timeoutMillis, long maxMemory, long maxOutput) implements Serializable {

    static WireConfig of(SandboxConfig c) {
        List<String> features = new ArrayList<>();
        for (Feature f : c.features()) {
            features.add(f.name());
        }
        Map<String, List<String>> modules = new LinkedHashMap<>();
        c.allowedModules().forEach((k, v) -> modules.put(k, new ArrayList<>(v)));
        List<String> paths = new ArrayList<>();
        c.allowedPaths().forEach(p -> paths.add(p.toString()));
        return new WireConfig(features, modules, paths, c.recursionLimit(), c.timeout().toMillis(), c.maxMemory(),
                c.maxOutput());
    }

    SandboxConfig toConfig() {
        SandboxConfig.Builder b = SandboxConfig.builder();
        features.forEach(f -> b.enable(Feature.valueOf(f)));
        modules.forEach((m, symbols) -> b.allowModule(m, symbols.toArray(String[]::new)));
        paths.forEach(p -> b.allowPath(Path.of(p)));
        return b.recursionLimit(recursionLimit).timeout(Duration.ofMillis(timeoutMillis)).maxMemory(maxMemory)
                .maxOutput(maxOutput).build();
    }
}
