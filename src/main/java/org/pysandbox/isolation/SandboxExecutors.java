package org.pysandbox.isolation;

import org.pysandbox.config.Isolation;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.limits.Executor;
import org.pysandbox.limits.InProcessExecutor;

/**
 * Where a configuration becomes an executor: in-process, or in a worker JVM of its own. It lives here,
 * above both, so that {@code isolation} depends on {@code limits} and never the reverse.
 */
public final class SandboxExecutors {
    private SandboxExecutors() {
    }

    /** {@code owner} is the sandbox that guest objects made in-process call back into. */
    public static Executor create(SandboxConfig config, Object owner) {
        return config.isolation() == Isolation.PROCESS ? new ProcessExecutor(config)
                : new InProcessExecutor(config, owner);
    }
}
