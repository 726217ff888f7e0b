package org.pysandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

class StartupTimerTest {

    /**
     * The marks count from the JVM's own start. They used to count from the process start instant, which
     * Linux derives from the boot time in whole seconds: on this machine kind that read 0.2-1 s early, so
     * every mark was that much too late (the JVM's wall-clock start time differs from its uptime by ~45 ms
     * here; both are the JVM's own).
     */
    @Test
    void marksCountFromTheJvmsOwnStart() {
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        long sinceStart = StartupTimer.millisSinceJvmStart();
        long uptimeAfter = ManagementFactory.getRuntimeMXBean().getUptime();
        assertThat(sinceStart).isBetween(uptime - 100, uptimeAfter + 100);
    }
}
