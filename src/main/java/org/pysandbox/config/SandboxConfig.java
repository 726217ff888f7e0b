package org.pysandbox.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a sandbox allows: immutable, built with {@link #builder()}. The defaults deny everything the
 * original pysandbox denied by default: no file, no module, no exit, no standard streams.
 */
public final class SandboxConfig {
    static final String CPYTHON_RESTRICTED_MESSAGE = "cpython_restricted does not exist on GraalPy: it was CPython 2's "
            + "restricted execution mode, removed from Python 3. It is not needed either: every pysandbox context is "
            + "already confined by GraalVM (no I/O, processes, threads, native code or host classes) beneath the "
            + "Python-level policy.";

    public static final int DEFAULT_RECURSION_LIMIT = 50;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** The longest timeout, ~292 years: the most whole milliseconds whose nanoseconds fit in a long. */
    public static final Duration LONGEST_TIMEOUT = Duration.ofMillis(Long.MAX_VALUE / 1_000_000);
    public static final long DEFAULT_MAX_OUTPUT = 4L * 1024 * 1024;
    /**
     * No per-call allocation budget by default: in-process the budget counts every byte a call allocates,
     * garbage included, so any fixed default stops ordinary allocation-heavy code (a parser or string churn
     * allocates hundreds of MiB a second). The JVM-wide heap guard still protects the host; set a budget
     * per use, or use process isolation for a hard heap cap.
     */
    public static final long DEFAULT_MAX_MEMORY = 0;

    private static final SandboxConfig DEFAULT = builder().build();

    private final Set<Feature> features;
    private final Map<String, List<String>> allowedModules;
    private final List<Path> allowedPaths;
    private final int recursionLimit;
    private final Duration timeout;
    private final long maxMemory;
    private final long maxOutput;
    private final Isolation isolation;
    private final List<HostAccessRule> hostAccess;

    private SandboxConfig(Builder b) {
        EnumSet<Feature> all = EnumSet.noneOf(Feature.class);
        b.features.forEach(f -> all.addAll(f.withImplied()));
        this.features = Collections.unmodifiableSet(all);
        Map<String, List<String>> modules = new LinkedHashMap<>();
        b.modules.forEach((name, symbols) -> modules.put(name, List.copyOf(symbols)));
        this.allowedModules = Collections.unmodifiableMap(modules);
        this.allowedPaths = List.copyOf(b.paths);
        this.recursionLimit = b.recursionLimit;
        this.timeout = b.timeout;
        this.maxMemory = b.maxMemory;
        this.maxOutput = b.maxOutput;
        this.isolation = b.isolation;
        this.hostAccess = List.copyOf(b.hostAccess);
    }

    /** The default configuration: nothing enabled. */
    public static SandboxConfig defaults() {
        return DEFAULT;
    }

    /** A configuration with the given features, everything else default (like {@code SandboxConfig('a', 'b')}). */
    public static SandboxConfig of(String... features) {
        return builder().enable(features).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.features.addAll(features);
        allowedModules.forEach((name, symbols) -> b.modules.put(name, new LinkedHashSet<>(symbols)));
        b.paths.addAll(allowedPaths);
        b.recursionLimit = recursionLimit;
        b.timeout = timeout;
        b.maxMemory = maxMemory;
        b.maxOutput = maxOutput;
        b.isolation = isolation;
        b.hostAccess.addAll(hostAccess);
        return b;
    }

    /** Enabled features, including the implied ones. */
    public Set<Feature> features() {
        return features;
    }

    public boolean has(Feature feature) {
        return features.contains(feature);
    }

    /** Modules allowed with {@link Builder#allowModule}, with their allowed symbols. */
    public Map<String, List<String>> allowedModules() {
        return allowedModules;
    }

    /** Real paths the sandbox may read (files, or directories and everything under them). */
    public List<Path> allowedPaths() {
        return allowedPaths;
    }

    /** Frames of sandboxed code a call may use. */
    public int recursionLimit() {
        return recursionLimit;
    }

    /** Wall-clock limit of one call; {@link Duration#ZERO} means none. */
    public Duration timeout() {
        return timeout;
    }

    /** Bytes one call may allocate (in-process) or the worker heap (process isolation); 0 means no limit. */
    public long maxMemory() {
        return maxMemory;
    }

    /** Bytes one call may write to stdout and stderr together; 0 means no limit. */
    public long maxOutput() {
        return maxOutput;
    }

    public Isolation isolation() {
        return isolation;
    }

    /**
     * Host methods scripts may call besides reading plain data ({@code pysandbox.hostAccess}); see
     * {@link Builder#allowHostMethod(String)} and docs/javax-script.md, "Host access".
     */
    public List<HostAccessRule> hostAccess() {
        return hostAccess;
    }

    /** True when two configurations make the same confined interpreter (limits aside). */
    public boolean sameConfinement(SandboxConfig other) {
        return features.equals(other.features) && allowedModules.equals(other.allowedModules)
                && allowedPaths.equals(other.allowedPaths) && hostAccess.equals(other.hostAccess);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SandboxConfig other)) {
            return false;
        }
        return sameConfinement(other) && recursionLimit == other.recursionLimit && timeout.equals(other.timeout)
                && maxMemory == other.maxMemory && maxOutput == other.maxOutput && isolation == other.isolation;
    }

    @Override
    public int hashCode() {
        return Objects.hash(features, allowedModules, allowedPaths, recursionLimit, timeout, maxMemory, maxOutput,
                isolation, hostAccess);
    }

    @Override
    public String toString() {
        return "SandboxConfig{features=" + features + ", modules=" + allowedModules + ", paths=" + allowedPaths
                + ", recursionLimit=" + recursionLimit + ", timeout=" + timeout + ", maxMemory=" + maxMemory
                + ", maxOutput=" + maxOutput + ", isolation=" + isolation.configName()
                + (hostAccess.isEmpty() ? "" : ", hostAccess=" + hostAccess) + "}";
    }

    /** Builds a {@link SandboxConfig}; every method checks its input and fails with a clear message. */
    public static final class Builder {
        private final EnumSet<Feature> features = EnumSet.noneOf(Feature.class);
        private final Map<String, Set<String>> modules = new LinkedHashMap<>();
        private final List<Path> paths = new ArrayList<>();
        private int recursionLimit = DEFAULT_RECURSION_LIMIT;
        private Duration timeout = DEFAULT_TIMEOUT;
        private long maxMemory = DEFAULT_MAX_MEMORY;
        private long maxOutput = DEFAULT_MAX_OUTPUT;
        private Isolation isolation = Isolation.CONTEXT;
        private final Set<HostAccessRule> hostAccess = new LinkedHashSet<>();

        private Builder() {
        }

        /** Enables features by name ({@code "stdout"}, {@code "math"}, ...). */
        public Builder enable(String... names) {
            for (String name : names) {
                enable(Feature.parse(Objects.requireNonNull(name, "feature name")));
            }
            return this;
        }

        public Builder enable(Feature... enabled) {
            for (Feature f : enabled) {
                features.add(Objects.requireNonNull(f, "feature"));
            }
            return this;
        }

        public Builder enableAll(Collection<Feature> enabled) {
            enabled.forEach(this::enable);
            return this;
        }

        /**
         * Allows importing {@code module} and reading only the given symbols of it; {@code "*"} allows every
         * public symbol, and so does naming no symbols (as {@code --allow-module NAME} and a
         * {@code pysandbox.allowModules} entry without symbols). Calling it again for the same module adds symbols.
         */
        public Builder allowModule(String module, String... symbols) {
            Objects.requireNonNull(module, "module");
            if (!module.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
                throw new SandboxConfigurationException("invalid module name '" + module + "'");
            }
            ForbiddenModules.reason(module).ifPresent(reason -> {
                throw new SandboxConfigurationException("module '" + module + "' can never be allowed: " + reason
                        + " (forbidden modules: " + String.join(", ", ForbiddenModules.modules()) + ")");
            });
            if (symbols.length == 0) {
                // the same on every surface (this API, pysandbox.allowModules, --allow-module): a module
                // allowed without naming symbols is allowed with every public symbol
                symbols = new String[] {"*"};
            }
            for (String symbol : symbols) {
                Objects.requireNonNull(symbol, "symbol");
                if (!"*".equals(symbol) && !symbol.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    throw new SandboxConfigurationException("invalid symbol '" + symbol + "' for module '" + module + "'");
                }
                ForbiddenModules.symbolReason(module, symbol).ifPresent(reason -> {
                    throw new SandboxConfigurationException("symbol '" + symbol + "' of module '" + module
                            + "' can never be allowed: " + reason);
                });
            }
            // checked in full first, so that a refused call leaves the builder as it was
            modules.computeIfAbsent(module, m -> new LinkedHashSet<>()).addAll(List.of(symbols));
            return this;
        }

        /** Allows reading the file or directory tree at {@code path} (its real path; symlinks leaving it are refused). */
        public Builder allowPath(Path path) {
            Objects.requireNonNull(path, "path");
            paths.add(path.toAbsolutePath().normalize());
            return this;
        }

        public Builder allowPath(String path) {
            return allowPath(Path.of(Objects.requireNonNull(path, "path")));
        }

        public Builder recursionLimit(int frames) {
            if (frames < 1 || frames > 10_000) {
                throw new SandboxConfigurationException("recursionLimit must be between 1 and 10000, got " + frames);
            }
            this.recursionLimit = frames;
            return this;
        }

        /**
         * Wall-clock limit per call; zero disables it. Kept in whole milliseconds, a fraction rounded up: a
         * worker process and its host count the limit in milliseconds, where a limit under one was 0, which
         * means no limit (review 33: a 0.999-ms timeout let a loop run to its end with isolation=process).
         */
        public Builder timeout(Duration limit) {
            Objects.requireNonNull(limit, "timeout");
            if (limit.isNegative()) {
                throw new SandboxConfigurationException("timeout must not be negative, got " + limit);
            }
            if (limit.compareTo(LONGEST_TIMEOUT) >= 0) {
                // "forever" (Duration.ofNanos(Long.MAX_VALUE), ChronoUnit.FOREVER): counted in nanoseconds a
                // limit must fit in a long (review 34: rounded up past it, every call overflowed)
                this.timeout = LONGEST_TIMEOUT;
                return this;
            }
            Duration millis = limit.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            this.timeout = millis.equals(limit) ? limit : millis.plusMillis(1);
            return this;
        }

        public Builder maxMemory(long bytes) {
            if (bytes < 0) {
                throw new SandboxConfigurationException("maxMemory must not be negative, got " + bytes);
            }
            this.maxMemory = bytes;
            return this;
        }

        public Builder maxOutput(long bytes) {
            if (bytes < 0) {
                throw new SandboxConfigurationException("maxOutput must not be negative, got " + bytes);
            }
            this.maxOutput = bytes;
            return this;
        }

        public Builder isolation(Isolation mode) {
            this.isolation = Objects.requireNonNull(mode, "isolation");
            return this;
        }

        /**
         * Lets scripts call host methods, named by signature as in Jenkins script-security:
         * {@code "org.operaton.bpm.engine.delegate.VariableScope#setVariable(java.lang.String,java.lang.Object)"}
         * (one overload), {@code "org.apache.jmeter.threads.JMeterVariables#get,put"} (every overload of each
         * name), or {@code "com.example.Api#*"} (every public method the type declares). The type is the one
         * declaring the method anywhere in the object's hierarchy. An allowed getter ({@code getName()}) is
         * also readable as the attribute {@code name}. Some members are never allowed: see
         * docs/javax-script.md, "Host access".
         */
        public Builder allowHostMethod(String... signatures) {
            for (String signature : signatures) {
                hostAccess.addAll(HostAccessRule.parse(Objects.requireNonNull(signature, "signature")));
            }
            return this;
        }

        /** Lets scripts call one host method: {@code allowHostMethod(Map.class, "get", Object.class)}. */
        public Builder allowHostMethod(Class<?> declaringType, String name, Class<?>... parameterTypes) {
            Objects.requireNonNull(declaringType, "declaringType");
            List<String> types = new ArrayList<>();
            for (Class<?> p : parameterTypes) {
                types.add(p.getTypeName());
            }
            hostAccess.add(new HostAccessRule(declaringType.getName(), Objects.requireNonNull(name, "name"), types));
            return this;
        }

        /** Lets scripts call every public method the named class or interface declares (and read its getters). */
        public Builder allowHostClass(String className) {
            hostAccess.add(new HostAccessRule(Objects.requireNonNull(className, "className").strip(), "*", null));
            return this;
        }

        public Builder allowHostClass(Class<?> type) {
            return allowHostClass(Objects.requireNonNull(type, "type").getName());
        }

        /** Forgets every host-access rule given so far. */
        public Builder clearHostAccess() {
            hostAccess.clear();
            return this;
        }

        /** Adds parsed host-access rules (see {@link #allowHostMethod(String...)}). */
        public Builder allowHostAccess(Collection<HostAccessRule> rules) {
            rules.forEach(r -> hostAccess.add(Objects.requireNonNull(r, "rule")));
            return this;
        }

        /** Always fails: CPython's restricted mode does not exist on GraalPy (see the message). */
        public Builder cpythonRestricted(boolean enabled) {
            if (enabled) {
                throw new SandboxConfigurationException(CPYTHON_RESTRICTED_MESSAGE);
            }
            return this;
        }

        public SandboxConfig build() {
            SandboxConfig config = new SandboxConfig(this);
            if (config.allowedModules().getOrDefault("sys", List.of()).contains(ForbiddenModules.FRAME)
                    && !config.has(Feature.TRACEBACK)) {
                throw new SandboxConfigurationException("symbol '_getframe' of module 'sys' can only be allowed with the "
                        + "traceback feature (frames are part of tracebacks)");
            }
            return config;
        }
    }
}
