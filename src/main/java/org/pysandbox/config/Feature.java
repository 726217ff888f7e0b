package org.pysandbox.config;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The features of the original pysandbox (1.5.1), with Python 3 names. Each enables exactly what its
 * description says, plus the features it implies.
 */
public enum Feature {
    CODECS("codecs module (lookup and the ascii, latin_1, utf_8, utf_16_be, utf_32_be, charmap codecs)"),
    TRACEBACK("traceback module, compile(), frame.f_code summaries and tracebacks with source lines"),
    DEBUG_SANDBOX("tracebacks of the sandbox itself and sys._getframe() summaries (unsafe, for debugging)", TRACEBACK),
    DATETIME("datetime module (date, datetime, time, timedelta, tzinfo, timezone, MINYEAR, MAXYEAR)"),
    ENCODINGS("encodings package with the ascii, latin_1, utf_8, utf_16_be, utf_32_be and rot_13 codecs", CODECS),
    EXIT("sys.exit(), exit(), quit(), BaseException, KeyboardInterrupt and SystemExit (exit ends the script only)"),
    FUTURE("from __future__ import ..."),
    HASHLIB("hashlib constructors md5, sha1, sha224, sha256, sha384, sha512"),
    REGEX("re module (compile, match, search, findall, finditer, split, sub, subn, escape, flags, error)"),
    HELP("help()", REGEX),
    STDIN("sys.stdin and input(), reading the host's reader"),
    STDOUT("print() and sys.stdout, writing to the host's writer"),
    STDERR("sys.stderr, writing to the host's error writer"),
    SITE("license(), credits() and copyright()"),
    INTERPRETER("standard streams and tracebacks, sys.version, sys.version_info, sys.hexversion",
            ENCODINGS, EXIT, SITE, STDIN, STDOUT, STDERR, TRACEBACK),
    ITERTOOLS("itertools module"),
    MATH("math module"),
    RANDOM("random module without seed(), getstate() and setstate()", HASHLIB, MATH),
    TIME("time module without sleep(), strptime() and tzset()"),
    UNICODEDATA("unicodedata module (needed for \\N{...} escapes in some interpreters)");

    private final String description;
    private final Feature[] implied;

    Feature(String description, Feature... implied) {
        this.description = description;
        this.implied = implied;
    }

    /** The name used in configuration: lower case, as in the original project. */
    public String featureName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String description() {
        return description;
    }

    /** This feature and every feature it implies, transitively. */
    public Set<Feature> withImplied() {
        EnumSet<Feature> result = EnumSet.of(this);
        for (Feature f : implied) {
            result.addAll(f.withImplied());
        }
        return result;
    }

    public static Optional<Feature> find(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        return Arrays.stream(values()).filter(f -> f.featureName().equals(key)).findFirst();
    }

    /** Parses a feature name, failing with a message that lists the valid names. */
    public static Feature parse(String name) {
        if (name.trim().equalsIgnoreCase("cpython_restricted")) {
            throw new SandboxConfigurationException(SandboxConfig.CPYTHON_RESTRICTED_MESSAGE);
        }
        return find(name).orElseThrow(() -> new SandboxConfigurationException(
                "unknown sandbox feature '" + name + "'; valid features are: " + validNames()));
    }

    public static String validNames() {
        return Arrays.stream(values()).map(Feature::featureName).sorted().collect(Collectors.joining(", "));
    }
}
