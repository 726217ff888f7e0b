package org.pysandbox.policy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.pysandbox.config.Feature;
import org.pysandbox.config.SandboxConfig;

/**
 * The Python-level policy a configuration stands for: which modules and symbols the guest may import
 * (features are shorthands for module allowances, as in pysandbox 1.5.1) and which guarded builtins
 * it gets. Rendered as JSON for the set-up code that runs inside each context.
 */
public final class GuestPolicy {
    private static final Map<Feature, Map<String, List<String>>> FEATURE_MODULES = new EnumMap<>(Feature.class);

    static {
        List<String> codecSymbols = List.of("getregentry", "Codec", "IncrementalEncoder", "IncrementalDecoder",
                "StreamReader", "StreamWriter", "encode", "decode");
        module(Feature.CODECS, "codecs", "lookup", "encode", "decode", "ascii_encode", "ascii_decode",
                "latin_1_encode", "latin_1_decode", "utf_8_encode", "utf_8_decode", "utf_16_be_encode",
                "utf_16_be_decode", "utf_32_be_encode", "utf_32_be_decode", "charmap_encode", "charmap_decode",
                "charmap_build", "CodecInfo", "Codec", "IncrementalEncoder", "IncrementalDecoder", "lookup_error",
                "BOM_UTF8", "BOM_UTF16_BE", "BOM_UTF32_BE");
        module(Feature.ENCODINGS, "encodings");
        for (String codec : List.of("ascii", "latin_1", "utf_8", "utf_16_be", "utf_32_be", "rot_13")) {
            module(Feature.ENCODINGS, "encodings." + codec, codecSymbols.toArray(String[]::new));
        }
        module(Feature.DATETIME, "datetime", "date", "datetime", "time", "timedelta", "tzinfo", "timezone",
                "MINYEAR", "MAXYEAR");
        module(Feature.EXIT, "sys", "exit");
        module(Feature.FUTURE, "__future__", "*");
        module(Feature.HASHLIB, "hashlib", "md5", "sha1", "sha224", "sha256", "sha384", "sha512");
        module(Feature.REGEX, "re", "compile", "match", "fullmatch", "search", "findall", "finditer", "split", "sub",
                "subn", "escape", "error", "Pattern", "Match", "RegexFlag", "NOFLAG", "I", "IGNORECASE", "M",
                "MULTILINE", "S", "DOTALL", "X", "VERBOSE", "A", "ASCII", "U", "UNICODE");
        module(Feature.STDIN, "sys", "stdin");
        module(Feature.STDOUT, "sys", "stdout");
        module(Feature.STDERR, "sys", "stderr");
        module(Feature.INTERPRETER, "sys", "version", "version_info", "hexversion", "api_version");
        module(Feature.ITERTOOLS, "itertools", "*");
        module(Feature.MATH, "math", "*");
        module(Feature.RANDOM, "random", "betavariate", "binomialvariate", "choice", "choices", "expovariate",
                "gammavariate", "gauss", "getrandbits", "lognormvariate", "normalvariate", "paretovariate",
                "randbytes", "randint", "random", "randrange", "sample", "shuffle", "triangular", "uniform",
                "vonmisesvariate", "weibullvariate", "Random");
        module(Feature.TIME, "time", "time", "time_ns", "gmtime", "localtime", "mktime", "asctime", "ctime",
                "strftime", "monotonic", "monotonic_ns", "perf_counter", "perf_counter_ns", "process_time",
                "process_time_ns", "get_clock_info", "timezone", "altzone", "daylight", "tzname", "struct_time");
        module(Feature.TRACEBACK, "traceback", "format_exc", "format_exception", "format_exception_only",
                "print_exc", "print_exception", "format_stack", "print_stack", "extract_stack", "format_list");
        module(Feature.DEBUG_SANDBOX, "sys", "_getframe");
        // Named, not "*": GraalPy's unicodedata loads a C extension for some rarely used names (ucd_3_2_0).
        module(Feature.UNICODEDATA, "unicodedata", "lookup", "name", "decimal", "digit", "numeric", "category",
                "bidirectional", "combining", "east_asian_width", "mirrored", "decomposition", "normalize",
                "is_normalized", "unidata_version");
    }

    private static void module(Feature feature, String name, String... symbols) {
        FEATURE_MODULES.computeIfAbsent(feature, f -> new LinkedHashMap<>())
                .computeIfAbsent(name, n -> new ArrayList<>()).addAll(List.of(symbols));
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private GuestPolicy() {
    }

    /**
     * A new context's guard token (checker.set_guard_token): 24 lower-case hex digits from the host's
     * SecureRandom, as the host's configuration is the one input of the set-up.
     */
    static String newGuardToken() {
        byte[] token = new byte[12];
        RANDOM.nextBytes(token);
        return HexFormat.of().formatHex(token);
    }

    /** Every module the configuration lets the guest import, with its symbols ({@code *} = all public). */
    public static Map<String, Set<String>> effectiveModules(SandboxConfig config) {
        Map<String, Set<String>> modules = new LinkedHashMap<>();
        for (Feature feature : config.features()) {
            FEATURE_MODULES.getOrDefault(feature, Map.of()).forEach(
                    (name, symbols) -> modules.computeIfAbsent(name, n -> new LinkedHashSet<>()).addAll(symbols));
        }
        config.allowedModules().forEach(
                (name, symbols) -> modules.computeIfAbsent(name, n -> new LinkedHashSet<>()).addAll(symbols));
        return modules;
    }

    /**
     * The configuration as the JSON document the in-context set-up reads, with the context's guard token;
     * without a token (null), the same document names the policy a context of this configuration enforces.
     */
    static String toJson(SandboxConfig config, String guardToken) {
        StringBuilder json = new StringBuilder("{\"modules\":{");
        boolean first = true;
        for (Map.Entry<String, Set<String>> e : effectiveModules(config).entrySet()) {
            if (!first) {
                json.append(',');
            }
            first = false;
            Json.string(json, e.getKey()).append(':');
            Json.strings(json, e.getValue());
        }
        json.append("},\"paths\":");
        Json.strings(json, config.allowedPaths().stream().map(Path::toString).toList());
        json.append(",\"recursion_limit\":").append(config.recursionLimit());
        if (guardToken != null) {
            json.append(",\"token\":\"").append(guardToken).append('"');
        }
        flag(json, "stdout", config.has(Feature.STDOUT));
        flag(json, "stderr", config.has(Feature.STDERR));
        flag(json, "stdin", config.has(Feature.STDIN));
        flag(json, "exit", config.has(Feature.EXIT));
        flag(json, "compile", config.has(Feature.TRACEBACK));
        flag(json, "frame_code", config.has(Feature.TRACEBACK));
        flag(json, "help", config.has(Feature.HELP));
        flag(json, "site", config.has(Feature.SITE));
        flag(json, "future", config.has(Feature.FUTURE));
        flag(json, "debug", config.has(Feature.DEBUG_SANDBOX));
        return json.append('}').toString();
    }

    private static void flag(StringBuilder json, String name, boolean value) {
        json.append(",\"").append(name).append("\":").append(value);
    }

    /** Minimal JSON string writing; the document holds only names, paths and flags. */
    private static final class Json {
        static StringBuilder string(StringBuilder out, String s) {
            out.append('"');
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    default -> {
                        // ASCII only: GraalPy 25.0's builtin JSON scanner, which the runtime reads this with, counts
                        // a raw non-BMP character as two in the end index it returns
                        if (c < 0x20 || c > 0x7e) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            return out.append('"');
        }

        static void strings(StringBuilder out, Iterable<String> values) {
            out.append('[');
            boolean first = true;
            for (String v : values) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(out, v);
            }
            out.append(']');
        }
    }
}
