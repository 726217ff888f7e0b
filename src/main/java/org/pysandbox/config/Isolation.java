package org.pysandbox.config;

import java.util.Locale;

/** Where sandboxed code runs. */
public enum Isolation {
    /** In a confined GraalPy context inside the host JVM (the default). */
    CONTEXT,
    /** In a pooled worker JVM with a hard heap limit, one confined context per call. */
    PROCESS;

    public static Isolation parse(String text) {
        for (Isolation isolation : values()) {
            if (isolation.name().equalsIgnoreCase(text.trim())) {
                return isolation;
            }
        }
        throw new SandboxConfigurationException("unknown isolation '" + text + "'; expected 'context' or 'process'");
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
