package org.pysandbox.testsupport;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * One line per test class as it starts and as it ends (with its time and counts), so that a run of the
 * suite never sits silent for a minute: many classes start GraalPy, which takes seconds. Registered for
 * every JUnit run through META-INF/services; {@code -Dpysandbox.test.progress=false} silences it.
 */
public final class ProgressListener implements TestExecutionListener {
    private static final PrintStream OUT = System.out;
    private final boolean enabled = !"false".equals(System.getProperty("pysandbox.test.progress"));
    private final Map<String, Long> started = new ConcurrentHashMap<>();
    private final Map<String, int[]> counts = new ConcurrentHashMap<>();
    private final AtomicInteger classes = new AtomicInteger();
    private volatile long planned;

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        planned = plan.getRoots().stream().flatMap(root -> plan.getChildren(root).stream())
                .filter(id -> id.getSource().orElse(null) instanceof ClassSource).count();
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        if (enabled && isClass(id)) {
            started.put(id.getUniqueId(), System.nanoTime());
            counts.put(id.getUniqueId(), new int[3]);
            OUT.printf("[test] %s: running (class %d of %d)%n", id.getDisplayName(), classes.incrementAndGet(),
                    planned);
        }
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        if (enabled && id.isTest()) {
            count(id, 2);
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (!enabled) {
            return;
        }
        if (id.isTest()) {
            count(id, result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? 0
                    : result.getStatus() == TestExecutionResult.Status.ABORTED ? 2 : 1);
        }
        if (isClass(id)) {
            Long t0 = started.remove(id.getUniqueId());
            int[] c = counts.remove(id.getUniqueId());
            long ms = t0 == null ? 0 : (System.nanoTime() - t0) / 1_000_000;
            OUT.printf("[test] %s: %d passed, %d failed, %d skipped in %.1f s%n", id.getDisplayName(),
                    c == null ? 0 : c[0], c == null ? 0 : c[1], c == null ? 0 : c[2], ms / 1000.0);
        }
    }

    private void count(TestIdentifier id, int slot) {
        String uid = id.getUniqueId();
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            if (uid.startsWith(e.getKey())) {
                e.getValue()[slot]++;
                return;
            }
        }
    }

    private static boolean isClass(TestIdentifier id) {
        return id.isContainer() && id.getSource().orElse(null) instanceof ClassSource;
    }
}
