package org.pysandbox.jsr223;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.script.ScriptContext;
import javax.script.SimpleBindings;
import javax.script.SimpleScriptContext;

import org.junit.jupiter.api.Test;
import org.pysandbox.config.Feature;
import org.pysandbox.config.Isolation;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.config.SandboxConfigurationException;

/** Every accepted form of every pysandbox.* attribute, the lookup order, and the malformed cases. */
class ContextConfigTest {
    private static SandboxConfig of(Map<String, Object> attributes) {
        return ContextConfig.from(attributes::get);
    }

    private static SandboxConfig of(String key, Object value) {
        return of(Map.of(key, value));
    }

    @Test
    void defaultsWhenNothingIsSet() {
        assertThat(of(Map.of())).isEqualTo(SandboxConfig.defaults());
    }

    @Test
    void featuresFromStringOrCollection() {
        assertThat(of(ContextConfig.FEATURES, "stdout, math").features()).containsExactlyInAnyOrder(Feature.STDOUT,
                Feature.MATH);
        assertThat(of(ContextConfig.FEATURES, List.of("regex")).features()).containsExactly(Feature.REGEX);
        // implied features come along, as with the Java API
        assertThat(of(ContextConfig.FEATURES, Set.of("random")).features()).contains(Feature.HASHLIB, Feature.MATH);
        assertThat(of(ContextConfig.FEATURES, "").features()).isEmpty();
    }

    @Test
    void pathsFromStringOrCollection() {
        assertThat(of(ContextConfig.ALLOW_PATHS, "/data/in,/etc/app.conf").allowedPaths())
                .containsExactly(Path.of("/data/in"), Path.of("/etc/app.conf"));
        assertThat(of(ContextConfig.ALLOW_PATHS, List.of("/data/in", Path.of("/x"))).allowedPaths())
                .containsExactly(Path.of("/data/in"), Path.of("/x"));
    }

    @Test
    void modulesFromStringCollectionOrMap() {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("json", List.of("loads", "dumps"));
        expected.put("string", List.of("ascii_letters"));
        assertThat(of(ContextConfig.ALLOW_MODULES, "json:loads,dumps;string:ascii_letters").allowedModules())
                .isEqualTo(expected);
        assertThat(of(ContextConfig.ALLOW_MODULES, List.of("json:loads,dumps", "string:ascii_letters"))
                .allowedModules()).isEqualTo(expected);
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("json", List.of("loads", "dumps"));
        map.put("string", Set.of("ascii_letters"));
        assertThat(of(ContextConfig.ALLOW_MODULES, map).allowedModules()).isEqualTo(expected);
        // no symbols means every public symbol, the same on every surface (docs/configuration.md)
        assertThat(of(ContextConfig.ALLOW_MODULES, "json").allowedModules()).isEqualTo(Map.of("json", List.of("*")));
        assertThat(of(ContextConfig.ALLOW_MODULES, Map.of("json", List.of())).allowedModules())
                .isEqualTo(Map.of("json", List.of("*")));
    }

    @Test
    void timeoutInEveryForm() {
        assertThat(of(ContextConfig.TIMEOUT, Duration.ofSeconds(3)).timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(of(ContextConfig.TIMEOUT, 250).timeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(of(ContextConfig.TIMEOUT, 1500L).timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(of(ContextConfig.TIMEOUT, "250ms").timeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(of(ContextConfig.TIMEOUT, "5s").timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(of(ContextConfig.TIMEOUT, "1.5s").timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(of(ContextConfig.TIMEOUT, "2m").timeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(of(ContextConfig.TIMEOUT, "1h").timeout()).isEqualTo(Duration.ofHours(1));
        assertThat(of(ContextConfig.TIMEOUT, "PT0.5S").timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(of(ContextConfig.TIMEOUT, "pt2s").timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(of(ContextConfig.TIMEOUT, "0").timeout()).isEqualTo(Duration.ZERO);
        assertThat(of(ContextConfig.TIMEOUT, "400").timeout()).isEqualTo(Duration.ofMillis(400));
    }

    @Test
    void sizesInEveryForm() {
        assertThat(of(ContextConfig.MAX_MEMORY, "64m").maxMemory()).isEqualTo(64L << 20);
        assertThat(of(ContextConfig.MAX_MEMORY, "1g").maxMemory()).isEqualTo(1L << 30);
        assertThat(of(ContextConfig.MAX_MEMORY, "1G").maxMemory()).isEqualTo(1L << 30);
        assertThat(of(ContextConfig.MAX_MEMORY, "512k").maxMemory()).isEqualTo(512L << 10);
        assertThat(of(ContextConfig.MAX_MEMORY, "64MB").maxMemory()).isEqualTo(64L << 20);
        assertThat(of(ContextConfig.MAX_MEMORY, 123456L).maxMemory()).isEqualTo(123456L);
        assertThat(of(ContextConfig.MAX_OUTPUT, "1000").maxOutput()).isEqualTo(1000L);
        assertThat(of(ContextConfig.MAX_OUTPUT, 10).maxOutput()).isEqualTo(10L);
    }

    @Test
    void recursionLimitAndIsolation() {
        assertThat(of(ContextConfig.RECURSION_LIMIT, 80).recursionLimit()).isEqualTo(80);
        assertThat(of(ContextConfig.RECURSION_LIMIT, "120").recursionLimit()).isEqualTo(120);
        assertThat(of(ContextConfig.ISOLATION, "process").isolation()).isEqualTo(Isolation.PROCESS);
        assertThat(of(ContextConfig.ISOLATION, "Context").isolation()).isEqualTo(Isolation.CONTEXT);
        assertThat(of(ContextConfig.ISOLATION, Isolation.PROCESS).isolation()).isEqualTo(Isolation.PROCESS);
    }

    @Test
    void malformedValuesNameTheAttributeAndTheExpectedForm() {
        assertMalformed(ContextConfig.FEATURES, 42, "Collection<String>");
        assertMalformed(ContextConfig.FEATURES, List.of("stdout", 3), "Collection<String>");
        assertMalformed(ContextConfig.FEATURES, "stdout,telepathy", "valid features are");
        assertMalformed(ContextConfig.FEATURES, "cpython_restricted", "does not exist on GraalPy");
        assertMalformed(ContextConfig.ALLOW_PATHS, 7, "Collection of paths");
        assertMalformed(ContextConfig.ALLOW_MODULES, 7, "Map<String, Collection<String>>");
        assertMalformed(ContextConfig.ALLOW_MODULES, "json:lo ads", "invalid symbol");
        assertMalformed(ContextConfig.ALLOW_MODULES, Map.of("json", 5), "Map<String, Collection<String>>");
        assertMalformed(ContextConfig.TIMEOUT, "soon", "'soon' is not a duration; use 250ms, 1.5s, 2m, 1h or ISO-8601");
        assertMalformed(ContextConfig.TIMEOUT, "5 parsecs", "is not a duration");
        assertMalformed(ContextConfig.TIMEOUT, "PT5X", "ISO-8601 like PT1M");
        assertMalformed(ContextConfig.TIMEOUT, "9999999999999999h", "'9999999999999999h' is too long");
        assertMalformed(ContextConfig.TIMEOUT, 2.5, "milliseconds as a whole Number");
        assertMalformed(ContextConfig.TIMEOUT, "-5s", "is not a duration");
        assertMalformed(ContextConfig.TIMEOUT, -5, "must not be negative");
        // review 34: a fraction or a number beyond a long was truncated (0.5 -> 0, no limit; 2^64 + 3 -> 3 ms)
        assertMalformed(ContextConfig.TIMEOUT, new java.math.BigDecimal("0.5"), "Number");
        assertMalformed(ContextConfig.TIMEOUT, java.math.BigInteger.ONE.shiftLeft(64).add(java.math.BigInteger.valueOf(3)),
                "Number");
        assertMalformed(ContextConfig.MAX_MEMORY, new java.math.BigDecimal("1.5"), "Number");
        // review 35: any whole Number is read, whatever its class
        assertThat(of(ContextConfig.TIMEOUT, new java.util.concurrent.atomic.AtomicLong(5000)).timeout())
                .isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(of(ContextConfig.MAX_MEMORY, new java.util.concurrent.atomic.AtomicInteger(1 << 20)).maxMemory())
                .isEqualTo(1L << 20);
        assertThat(of(ContextConfig.TIMEOUT, new java.math.BigDecimal("5E+3")).timeout())
                .isEqualTo(java.time.Duration.ofSeconds(5));
        // review 36: a Number whose text disagrees with its value, or has none, is refused, not read as 0
        assertMalformed(ContextConfig.TIMEOUT, new OddNumber("0"), "whole Number");
        assertMalformed(ContextConfig.TIMEOUT, new OddNumber(null), "whole Number");
        assertMalformed(ContextConfig.RECURSION_LIMIT, "fifty", "whole number");
        assertMalformed(ContextConfig.RECURSION_LIMIT, 0, "between 1 and 10000");
        assertMalformed(ContextConfig.MAX_MEMORY, "64 elephants", "'64 elephants' is not a size; use bytes, or 512k, 64m, 1g");
        assertMalformed(ContextConfig.MAX_MEMORY, "99999999999999999999g", "too large");
        assertMalformed(ContextConfig.MAX_OUTPUT, List.of(1), "\"64m\"");
        assertMalformed(ContextConfig.MAX_OUTPUT, -1, "must not be negative");
        assertMalformed(ContextConfig.ISOLATION, "vm", "'context' or 'process'");
        assertMalformed(ContextConfig.ISOLATION, 1, "\"context\" or \"process\"");
    }

    /** 5000 as a value, with the given text. */
    private static final class OddNumber extends Number {
        private final String text;

        OddNumber(String text) {
            this.text = text;
        }

        @Override
        public int intValue() {
            return 5000;
        }

        @Override
        public long longValue() {
            return 5000;
        }

        @Override
        public float floatValue() {
            return 5000;
        }

        @Override
        public double doubleValue() {
            return 5000;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private static void assertMalformed(String attribute, Object value, String expectedForm) {
        assertThatThrownBy(() -> of(attribute, value)).as(attribute + "=" + value)
                .isInstanceOf(SandboxConfigurationException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(attribute).hasMessageContaining(expectedForm);
    }

    @Test
    void engineScopeThenGlobalScopeThenSystemProperty() {
        ScriptContext ctx = new SimpleScriptContext();
        ctx.setBindings(new SimpleBindings(new HashMap<>()), ScriptContext.ENGINE_SCOPE);
        ctx.setBindings(new SimpleBindings(new HashMap<>()), ScriptContext.GLOBAL_SCOPE);
        String key = ContextConfig.RECURSION_LIMIT;
        String saved = System.getProperty(key);
        try {
            System.setProperty(key, "70");
            assertThat(ContextConfig.from(ctx).recursionLimit()).isEqualTo(70);
            ctx.setAttribute(key, 80, ScriptContext.GLOBAL_SCOPE);
            assertThat(ContextConfig.from(ctx).recursionLimit()).isEqualTo(80);
            ctx.setAttribute(key, 90, ScriptContext.ENGINE_SCOPE);
            assertThat(ContextConfig.from(ctx).recursionLimit()).isEqualTo(90);
        } finally {
            if (saved == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, saved);
            }
        }
    }

    @Test
    void settingsFromGlobalIgnoresEngineScope() {
        // ENGINE_SCOPE of hosts such as Operaton holds values untrusted parties chose: with settingsFrom=global
        // a key there named like a setting widens nothing, while GLOBAL_SCOPE and system properties still count.
        ScriptContext ctx = new SimpleScriptContext();
        ctx.setBindings(new SimpleBindings(new HashMap<>()), ScriptContext.ENGINE_SCOPE);
        ctx.setBindings(new SimpleBindings(new HashMap<>()), ScriptContext.GLOBAL_SCOPE);
        ctx.setAttribute(ContextConfig.FEATURES, "math", ScriptContext.ENGINE_SCOPE);
        ctx.setAttribute(ContextConfig.TENANT, "someone-else", ScriptContext.ENGINE_SCOPE);
        assertThat(ContextConfig.from(ctx).features()).contains(Feature.MATH);
        ctx.setAttribute(ContextConfig.SETTINGS_FROM, "global", ScriptContext.GLOBAL_SCOPE);
        assertThat(ContextConfig.from(ctx).features()).doesNotContain(Feature.MATH);
        assertThat(ContextConfig.setting(ctx, ContextConfig.TENANT)).isNull();
        ctx.setAttribute(ContextConfig.FEATURES, "stdout", ScriptContext.GLOBAL_SCOPE);
        assertThat(ContextConfig.from(ctx).features()).contains(Feature.STDOUT).doesNotContain(Feature.MATH);
        // the switch itself is never read from ENGINE_SCOPE, so a script's bindings cannot turn it back
        ctx.setAttribute(ContextConfig.SETTINGS_FROM, "context", ScriptContext.ENGINE_SCOPE);
        assertThat(ContextConfig.from(ctx).features()).doesNotContain(Feature.MATH);
        ctx.setAttribute(ContextConfig.SETTINGS_FROM, "sometimes", ScriptContext.GLOBAL_SCOPE);
        assertThatThrownBy(() -> ContextConfig.from(ctx)).isInstanceOf(SandboxConfigurationException.class)
                .hasMessageContaining(ContextConfig.SETTINGS_FROM);
    }
}
