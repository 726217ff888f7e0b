package org.pysandbox.limits;

import java.util.Locale;

import org.pysandbox.config.SandboxConfigurationException;

/** Parses byte sizes of system properties ({@code 4096}, {@code 64k}, {@code 64m}, {@code 1g}). */
final class Sizes {
    private Sizes() {
    }

    static long parseBytes(String text, String what) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (s.endsWith("k")) {
            unit = 1L << 10;
        } else if (s.endsWith("m")) {
            unit = 1L << 20;
        } else if (s.endsWith("g")) {
            unit = 1L << 30;
        }
        if (unit != 1) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            long n = Long.parseLong(s.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new SandboxConfigurationException(what + ": not a byte size: '" + text + "' (use 4096, 64k, 64m, 1g)");
        }
    }

    static int parseInt(String property, int fallback, int min, int max) {
        String text = System.getProperty(property);
        if (text == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(text.trim());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new SandboxConfigurationException(property + " must be an integer between " + min + " and " + max
                    + ", got '" + text + "'");
        }
    }
}
