package org.pysandbox.cli;

import java.lang.management.ManagementFactory;

/**
 * With {@code -Dpysandbox.cli.timing=true}, prints to stderr how long after the JVM's start each phase of the
 * command ended, to measure start-up (README, "Command line"). The JVM's own uptime: a process's start
 * instant is derived from the boot time in whole seconds, and read 0.2-1 s early here.
 */
final class StartupTimer {
    static final String PROPERTY = "pysandbox.cli.timing";
    private static final boolean ENABLED = Boolean.getBoolean(PROPERTY);

    private StartupTimer() {
    }

    static void mark(String phase) {
        if (ENABLED) {
            System.err.println("pysandbox: timing: " + phase + " at " + millisSinceJvmStart() + " ms");
        }
    }

    static long millisSinceJvmStart() {
        return ManagementFactory.getRuntimeMXBean().getUptime();
    }
}
