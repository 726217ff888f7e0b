package org.pysandbox.jsr223;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

import javax.script.Bindings;
import javax.script.ScriptContext;

import org.pysandbox.config.Isolation;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.config.SandboxConfigurationException;
import org.pysandbox.config.Units;

/**
 * Reads the {@code pysandbox.*} attributes of a {@link ScriptContext} (ENGINE_SCOPE, then GLOBAL_SCOPE,
 * then system properties of the same name) into the {@link SandboxConfig} of one call. Every accepted
 * form is parsed here; a malformed value fails with a message naming the attribute and the expected form.
 */
public final class ContextConfig {
    public static final String FEATURES = "pysandbox.features";
    public static final String ALLOW_PATHS = "pysandbox.allowPaths";
    public static final String ALLOW_MODULES = "pysandbox.allowModules";
    public static final String TIMEOUT = "pysandbox.timeout";
    public static final String RECURSION_LIMIT = "pysandbox.recursionLimit";
    public static final String MAX_MEMORY = "pysandbox.maxMemory";
    public static final String MAX_OUTPUT = "pysandbox.maxOutput";
    public static final String ISOLATION = "pysandbox.isolation";
    /**
     * Host methods scripts may call: rules like {@code "com.example.Vars#get,put"} separated by {@code ';'}
     * or line breaks, or a Collection of rules (see {@link org.pysandbox.config.HostAccessRule}).
     */
    public static final String HOST_ACCESS = "pysandbox.hostAccess";
    /**
     * Names the tenant an engine belongs to: engines naming the same tenant share warm interpreters (for
     * hosts that make an engine per evaluation). Read by the engine, not part of {@link SandboxConfig}.
     */
    public static final String TENANT = "pysandbox.tenant";
    /**
     * Where the other {@code pysandbox.*} settings may come from: {@code context} (the default: ENGINE_SCOPE,
     * then GLOBAL_SCOPE, then system properties) or {@code global} (GLOBAL_SCOPE and system properties only).
     * Hosts whose ENGINE_SCOPE holds values untrusted parties chose (Operaton's process variables, Spring's
     * argument maps) set {@code global}, so a variable named {@code pysandbox.hostAccess} is not a setting.
     * Itself read from GLOBAL_SCOPE or a system property only.
     */
    public static final String SETTINGS_FROM = "pysandbox.settingsFrom";

    /** Every attribute this engine reads. */
    public static final List<String> ATTRIBUTES = List.of(FEATURES, ALLOW_PATHS, ALLOW_MODULES, TIMEOUT,
            RECURSION_LIMIT, MAX_MEMORY, MAX_OUTPUT, ISOLATION, HOST_ACCESS);


    private ContextConfig() {
    }

    /** The configuration of a call made with this context. */
    public static SandboxConfig from(ScriptContext context) {
        boolean engineScope = readsEngineScope(context);
        Object[] raw = new Object[ATTRIBUTES.size()];
        boolean immutable = true;
        for (int i = 0; i < raw.length; i++) {
            raw[i] = setting(context, ATTRIBUTES.get(i), engineScope);
            immutable &= isImmutable(raw[i]);
        }
        Parsed last = lastParsed;
        if (immutable && last != null && Arrays.equals(last.raw, raw)) {
            return last.config;
        }
        SandboxConfig config = from(name -> raw[ATTRIBUTES.indexOf(name)]);
        if (immutable) {
            lastParsed = new Parsed(raw, config);
        }
        return config;
    }

    /**
     * The attribute values of the last call whose settings were all immutable, and the configuration they
     * gave: every call reads every attribute, but a host that sets the same values each time (a rule engine
     * calling one script millions of times) does not pay for parsing them and building the configuration
     * again (~10% of a rule's evaluation with the JIT, measured). A mutable value (a Collection) is parsed
     * each time, since the host may change it between calls.
     */
    private record Parsed(Object[] raw, SandboxConfig config) {
    }

    private static volatile Parsed lastParsed;

    private static boolean isImmutable(Object value) {
        return value == null || value instanceof String || value instanceof Integer || value instanceof Long
                || value instanceof Duration || value instanceof Isolation || value instanceof Boolean;
    }

    /** One setting of a call: from the scopes {@value #SETTINGS_FROM} allows, else the system property. */
    static Object setting(ScriptContext context, String name) {
        return setting(context, name, readsEngineScope(context));
    }

    private static Object setting(ScriptContext context, String name, boolean engineScope) {
        Object value = engineScope ? context.getAttribute(name) : globalAttribute(context, name);
        return value != null ? value : System.getProperty(name);
    }

    private static boolean readsEngineScope(ScriptContext context) {
        Object from = globalAttribute(context, SETTINGS_FROM);
        if (from == null) {
            from = System.getProperty(SETTINGS_FROM);
        }
        if (from == null || "context".equals(from)) {
            return true;
        }
        if ("global".equals(from)) {
            return false;
        }
        throw new SandboxConfigurationException("malformed " + SETTINGS_FROM + ": expected \"context\" or \"global\", got "
                + describe(from));
    }

    private static Object globalAttribute(ScriptContext context, String name) {
        Bindings global = context.getBindings(ScriptContext.GLOBAL_SCOPE);
        return global == null ? null : global.get(name);
    }

    /** The configuration given by a lookup of attribute values (null = not set). */
    public static SandboxConfig from(Function<String, Object> attributes) {
        SandboxConfig.Builder b = SandboxConfig.builder();
        Object features = attributes.apply(FEATURES);
        if (features != null) {
            for (String name : strings(FEATURES, features, "a String like \"stdout,math\" or a Collection<String>")) {
                apply(FEATURES, () -> b.enable(name));
            }
        }
        Object paths = attributes.apply(ALLOW_PATHS);
        if (paths != null) {
            for (String path : strings(ALLOW_PATHS, paths,
                    "a String like \"/data/in,/etc/app.conf\" or a Collection of paths")) {
                apply(ALLOW_PATHS, () -> b.allowPath(path));
            }
        }
        Object modules = attributes.apply(ALLOW_MODULES);
        if (modules != null) {
            modules(modules, b);
        }
        Object timeout = attributes.apply(TIMEOUT);
        if (timeout != null) {
            Duration limit = duration(timeout);
            apply(TIMEOUT, () -> b.timeout(limit));
        }
        Object recursion = attributes.apply(RECURSION_LIMIT);
        if (recursion != null) {
            int frames = integer(RECURSION_LIMIT, recursion);
            apply(RECURSION_LIMIT, () -> b.recursionLimit(frames));
        }
        Object memory = attributes.apply(MAX_MEMORY);
        if (memory != null) {
            long bytes = size(MAX_MEMORY, memory);
            apply(MAX_MEMORY, () -> b.maxMemory(bytes));
        }
        Object output = attributes.apply(MAX_OUTPUT);
        if (output != null) {
            long bytes = size(MAX_OUTPUT, output);
            apply(MAX_OUTPUT, () -> b.maxOutput(bytes));
        }
        Object isolation = attributes.apply(ISOLATION);
        if (isolation != null) {
            Isolation mode = isolation instanceof Isolation i ? i
                    : isolation instanceof String s ? apply(ISOLATION, () -> Isolation.parse(s))
                    : fail(ISOLATION, isolation, "\"context\" or \"process\"");
            b.isolation(mode);
        }
        Object hostAccess = attributes.apply(HOST_ACCESS);
        if (hostAccess != null) {
            String expected = "rules like \"com.example.Vars#get,put;com.example.Api\" or a Collection of rules";
            List<String> rules = hostAccess instanceof String s
                    ? split(s.replace('\n', ';').replace('\r', ';'), ";")
                    : hostAccess instanceof Collection<?> ? strings(HOST_ACCESS, hostAccess, expected)
                    : fail(HOST_ACCESS, hostAccess, expected);
            for (String rule : rules) {
                apply(HOST_ACCESS, () -> b.allowHostMethod(rule));
            }
        }
        return b.build();
    }

    private static void modules(Object value, SandboxConfig.Builder b) {
        String expected = "a String like \"json:loads,dumps;string:ascii_letters\", a Collection of \"module:symbol,...\" "
                + "or a Map<String, Collection<String>>";
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String module)) {
                    fail(ALLOW_MODULES, value, expected);
                    return;
                }
                List<String> symbols = e.getValue() == null ? List.of()
                        : strings(ALLOW_MODULES, e.getValue(), expected);
                apply(ALLOW_MODULES, () -> b.allowModule(module.trim(), symbols.toArray(String[]::new)));
            }
            return;
        }
        List<String> entries;
        if (value instanceof String s) {
            entries = split(s, ";");
        } else if (value instanceof Collection<?>) {
            entries = strings(ALLOW_MODULES, value, expected);
        } else {
            fail(ALLOW_MODULES, value, expected);
            return;
        }
        for (String entry : entries) {
            int colon = entry.indexOf(':');
            String module = (colon < 0 ? entry : entry.substring(0, colon)).trim();
            List<String> symbols = colon < 0 ? List.of() : split(entry.substring(colon + 1), ",");
            apply(ALLOW_MODULES, () -> b.allowModule(module, symbols.toArray(String[]::new)));
        }
    }

    /** {@code Duration}, milliseconds as a {@code Number}, or a String in one of {@link Units#DURATION_FORMS}. */
    static Duration duration(Object value) {
        String expected = "a Duration, milliseconds as a whole Number (not Double or Float), or a String like \"250ms\", "
                + "\"5s\" or \"PT5S\"";
        if (value instanceof Duration d) {
            return d;
        }
        if (value instanceof Number n) {
            Long millis = wholeNumber(n);
            return millis == null ? fail(TIMEOUT, value, expected) : Duration.ofMillis(millis);
        }
        if (!(value instanceof String s)) {
            return fail(TIMEOUT, value, expected);
        }
        try {
            return Units.parseDuration(s);
        } catch (IllegalArgumentException e) {
            throw new SandboxConfigurationException("malformed " + TIMEOUT + ": " + e.getMessage(), e);
        }
    }

    /**
     * A Number that is a whole long, or null: a fraction or a value beyond a long is refused, not truncated
     * (review 34: BigDecimal 0.5 became 0, no timeout at all, and 2^64 + 3 became 3 ms). Any Number class is
     * read through its text (review 35: AtomicLong, LongAdder and other languages' integers were refused);
     * Double and Float stay refused, as before, because a binary fraction is rarely what was meant.
     */
    private static Long wholeNumber(Number n) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            return n.longValue();
        }
        if (n instanceof Double || n instanceof Float) {
            return null;
        }
        try {
            long whole = new java.math.BigDecimal(n.toString().trim()).longValueExact();
            // its text and its value must agree (review 36: a class printing "0" for 5000 was no limit)
            return whole == n.longValue() ? whole : null;
        } catch (RuntimeException e) { // not a number's text, a fraction, beyond a long, or no text at all
            return null;
        }
    }

    /** Bytes as a {@code Number}, or a String in one of {@link Units#BYTE_FORMS}. */
    static long size(String attribute, Object value) {
        String expected = "bytes as a whole Number (not Double or Float), or a String like \"64m\", \"512k\" or \"1g\"";
        if (value instanceof Number n) {
            Long bytes = wholeNumber(n);
            return bytes == null ? fail(attribute, value, expected) : bytes;
        }
        if (!(value instanceof String s)) {
            return fail(attribute, value, expected);
        }
        try {
            return Units.parseBytes(s);
        } catch (IllegalArgumentException e) {
            throw new SandboxConfigurationException("malformed " + attribute + ": " + e.getMessage(), e);
        }
    }

    private static int integer(String attribute, Object value) {
        String expected = "a whole number (Number or String) like 50";
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            long n = ((Number) value).longValue();
            if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
                return fail(attribute, value, expected);
            }
            return (int) n;
        }
        if (value instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                return fail(attribute, value, expected);
            }
        }
        return fail(attribute, value, expected);
    }

    private static List<String> strings(String attribute, Object value, String expected) {
        if (value instanceof String s) {
            return split(s, ",");
        }
        if (value instanceof Collection<?> collection) {
            List<String> result = new ArrayList<>();
            for (Object element : collection) {
                if (element instanceof String s) {
                    if (!s.isBlank()) {
                        result.add(s.trim());
                    }
                } else if (ALLOW_PATHS.equals(attribute) && (element instanceof Path || element instanceof File)) {
                    result.add(element.toString());
                } else {
                    return fail(attribute, value, expected + " (found an element of type "
                            + (element == null ? "null" : element.getClass().getName()) + ")");
                }
            }
            return result;
        }
        return fail(attribute, value, expected);
    }

    private static List<String> split(String text, String separator) {
        List<String> result = new ArrayList<>();
        for (String part : text.split(Pattern.quote(separator))) {
            if (!part.isBlank()) {
                result.add(part.trim());
            }
        }
        return result;
    }

    private static <T> T fail(String attribute, Object value, String expected) {
        throw new SandboxConfigurationException("malformed " + attribute + ": expected " + expected + ", got "
                + describe(value));
    }

    private static String describe(Object value) {
        if (value instanceof String s) {
            return "\"" + s + "\"";
        }
        return value.getClass().getSimpleName() + " " + value;
    }

    private interface Step<T> {
        T apply();
    }

    private static <T> T apply(String attribute, Step<T> step) {
        try {
            return step.apply();
        } catch (SandboxConfigurationException e) {
            throw new SandboxConfigurationException(attribute + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new SandboxConfigurationException(attribute + ": " + e.getMessage(), e);
        }
    }
}
