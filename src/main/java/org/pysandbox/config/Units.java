package org.pysandbox.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text forms of durations and byte sizes, one syntax on every surface: the command line's options, the
 * javax.script context attributes and the system properties. Each caller says which setting was malformed;
 * this class says what the text should look like.
 */
public final class Units {
    /** A number of milliseconds, or a number with a unit: {@code 250ms}, {@code 1.5s}, {@code 2m}, {@code 2min}, {@code 1h}. */
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h)?");
    /** Bytes, or a binary multiple: {@code 512k}, {@code 64m}, {@code 64MB}, {@code 64MiB}, {@code 1g}, {@code 1t}. */
    private static final Pattern BYTES = Pattern.compile("(\\d+)\\s*([kmgt])?(?:i?b)?");

    public static final String DURATION_FORMS = "250ms, 1.5s, 2m, 1h or ISO-8601 like PT1M; a bare number is milliseconds";
    public static final String BYTE_FORMS = "bytes, or 512k, 64m, 1g (binary multiples)";

    private Units() {
    }

    /**
     * Parses a duration. ISO-8601 text may be negative ({@code -PT1S}); callers that need a positive value
     * check it themselves, with their own setting's name.
     *
     * @throws IllegalArgumentException saying what the text should look like, or that it is too long
     */
    public static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("p") || t.startsWith("-p")) {
            Duration d;
            try {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw e.getCause() instanceof ArithmeticException ? tooLong(text) : notADuration(text);
            }
            try {
                d.toMillis(); // every limit is kept in milliseconds
            } catch (ArithmeticException e) {
                throw tooLong(text);
            }
            return d;
        }
        Matcher m = DURATION.matcher(t);
        if (!m.matches()) {
            throw notADuration(text);
        }
        long unitMillis = switch (m.group(2) == null ? "ms" : m.group(2)) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m", "min" -> 60_000;
            default -> 3_600_000;
        };
        try {
            return Duration.ofMillis(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitMillis))
                    .setScale(0, RoundingMode.CEILING).longValueExact()); // up: "0.4ms" is a limit, not none
        } catch (ArithmeticException e) {
            throw tooLong(text);
        }
    }

    /**
     * Parses a byte size.
     *
     * @throws IllegalArgumentException saying what the text should look like, or that it is too large
     */
    public static long parseBytes(String text) {
        Matcher m = BYTES.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size; use " + BYTE_FORMS);
        }
        int shift = m.group(2) == null ? 0 : switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 40;
        };
        try {
            long n = Long.parseLong(m.group(1));
            if (n > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
    }

    private static IllegalArgumentException notADuration(String text) {
        return new IllegalArgumentException("'" + text + "' is not a duration; use " + DURATION_FORMS);
    }

    private static IllegalArgumentException tooLong(String text) {
        return new IllegalArgumentException("'" + text + "' is too long");
    }
}
