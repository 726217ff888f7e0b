package org.pysandbox.cli;

/**
 * With {@code -Dpysandbox.cli.timing=true}, prints to stderr how long after the JVM's start each phase of the
 * command ended, to measure start-up (README, "Command line").
 */
final class StartupTimer {
    static final String PROPERTY = "pysandbox.cli.timing";
    private static final boolean ENABLED = Boolean.getBoolean(PROPERTY);

    private StartupTimer() {
    }

    static void mark(String phase) {
        if (ENABLED) {
            long started = ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
            System.err.println("pysandbox: timing: " + phase + " at " + (System.currentTimeMillis() - started) + " ms");
        }
    }
}
