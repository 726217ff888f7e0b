package org.pysandbox.limits;

import org.pysandbox.config.SandboxConfigurationException;
import org.pysandbox.config.Units;

/** Reads the system properties that tune the limits machinery; a malformed value names its property. */
final class LimitProperties {
    private LimitProperties() {
    }

    /** A byte size ({@link Units#BYTE_FORMS}), or the fallback when the property is not set. */
    static long bytes(String property, String fallback) {
        String text = System.getProperty(property, fallback);
        try {
            return Units.parseBytes(text);
        } catch (IllegalArgumentException e) {
            throw new SandboxConfigurationException(property + ": " + e.getMessage());
        }
    }

    /** A whole number between min and max, or the fallback when the property is not set. */
    static int integer(String property, int fallback, int min, int max) {
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
