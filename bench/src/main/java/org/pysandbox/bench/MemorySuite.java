package org.pysandbox.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.pysandbox.Sandbox;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.policy.ConfinedInterpreter;

/**
 * Retained heap: N idle interpreters (a context with the policy installed, as a pool would hold
 * them) and N active sandboxes (each has evaluated the rule with bindings), measured as the heap in
 * use after full collections, minus the same before, divided by N.
 */
final class MemorySuite {
    private final int count;
    double idleBytesPerContext = Double.NaN;
    double coldBytesPerContext = Double.NaN;
    double activeBytesPerSandbox = Double.NaN;

    MemorySuite(int count) {
        this.count = count;
    }

    void run() throws Exception {
        // Engine, policy sources and their code are shared; load them before the baseline.
        ConfinedInterpreter.create(SandboxConfig.defaults()).close();

        coldBytesPerContext = idleBytes(false);
        idleBytesPerContext = idleBytes(true);
        long before;
        long after;

        before = retainedHeap();
        List<Sandbox> active = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Sandbox sandbox = new Sandbox(SandboxConfig.defaults());
            Map<String, Object> bindings = new HashMap<>();
            bindings.put("amount", 150);
            bindings.put("limit", 100);
            bindings.put("country", "DE");
            bindings.put("allowed", RuleSuite.ALLOWED);
            sandbox.eval(RuleSuite.RULE, bindings);
            active.add(sandbox);
        }
        after = retainedHeap();
        activeBytesPerSandbox = (after - before) / (double) count;
        active.forEach(Sandbox::close);
        Bench.progress("memory: idle context %s, active sandbox %s", Report.mb(idleBytesPerContext), Report.mb(activeBytesPerSandbox));
    }

    /**
     * Retained heap per interpreter as the pool holds it (created, then warmed up once on a thread of its own
     * that stays alive, as the pool's guest thread does), or just created.
     */
    private double idleBytes(boolean warmed) throws Exception {
        long before = retainedHeap();
        List<ConfinedInterpreter> idle = new ArrayList<>();
        List<ExecutorService> threads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ConfinedInterpreter it = ConfinedInterpreter.create(SandboxConfig.defaults());
            if (warmed) {
                ExecutorService thread = Executors.newSingleThreadExecutor();
                threads.add(thread);
                thread.submit(it::warmUp).get();
            }
            idle.add(it);
        }
        long after = retainedHeap();
        threads.forEach(ExecutorService::shutdown);
        idle.forEach(ConfinedInterpreter::close);
        return (after - before) / (double) count;
    }

    /** Heap in use once full collections stop freeing anything. */
    static long retainedHeap() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(100);
            long used = memory.getHeapMemoryUsage().getUsed();
            if (Math.abs(last - used) < 64 * 1024) {
                return used;
            }
            last = used;
        }
        return last;
    }

    void report(Report report) {
        Report.Section s = report.section("Retained heap (after full GC), N = " + count, "what", "per unit");
        Report.row(s, "idle context (ConfinedInterpreter: context + policy installed + warm-up run on its own live thread, as pooled)", Report.mb(idleBytesPerContext));
        Report.row(s, "idle context without the warm-up run", Report.mb(coldBytesPerContext));
        Report.row(s, "active sandbox (Sandbox that evaluated the rule once with 4 bindings)", Report.mb(activeBytesPerSandbox));
        Report.note(s, "Java heap only; the shared engine (code, compiled methods) is in the baseline and is paid once per JVM.");
    }
}
