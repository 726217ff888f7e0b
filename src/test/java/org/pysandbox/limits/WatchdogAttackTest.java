package org.pysandbox.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pysandbox.Sandbox;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.error.ScriptTimeoutException;

/**
 * Attacks on how the watchdog learns which calls are running ({@code CallMonitor}: a call joins its set
 * before the caller waits and leaves it when the caller has the answer). Each test checks one way this
 * bookkeeping could go wrong and leave a call that no limit stops. Written for a per-thread registration
 * that was tried on 2026-12-04 and not kept (it measured no faster); they hold for the set as well.
 */
class WatchdogAttackTest {
    @BeforeAll
    static void warmUp() throws Exception {
        // the first calls in a JVM compile the policy; keep that out of the short limits below
        try (Sandbox sandbox = new Sandbox(SandboxConfig.builder().timeout(Duration.ofMinutes(2)).build())) {
            sandbox.execute("def f(x):\n    return x + 1\nf(1)");
        }
    }

    /**
     * The guest calls a host function, which runs on the waiting caller's thread and makes a sandbox call
     * of its own: two calls waited for by one thread. If the inner call's end unregistered the outer one
     * (bookkeeping per thread that keeps one call), the outer script's endless loop after the host function
     * returns would never be stopped; if the inner call were not watched at all, the host function would
     * never return.
     */
    @Test
    void aSandboxCallFromAHostFunctionIsStoppedAndSoIsTheCallAroundIt() throws Exception {
        SandboxConfig outerConfig = SandboxConfig.builder().timeout(Duration.ofSeconds(2)).build();
        SandboxConfig innerConfig = SandboxConfig.builder().timeout(Duration.ofMillis(300)).build();
        try (Sandbox outer = new Sandbox(outerConfig); Sandbox inner = new Sandbox(innerConfig)) {
            AtomicReference<Throwable> innerFailure = new AtomicReference<>();
            Function<Object, Object> spinInner = x -> {
                try {
                    inner.execute("while True: pass");
                } catch (Throwable e) {
                    innerFailure.set(e);
                }
                return "back";
            };
            Map<String, Object> namespace = new HashMap<>(Map.of("spin_inner", spinInner));
            Outcome outcome = onOwnThread(() -> outer.execute("answer = spin_inner(1)\nwhile True: pass", namespace));
            assertThat(outcome.stuck()).as("the outer call was stopped at its timeout").isFalse();
            assertThat(innerFailure.get()).as("the host function's own sandbox call").isInstanceOf(ScriptTimeoutException.class);
            assertThat(outcome.failure()).as("the call around it").isInstanceOf(ScriptTimeoutException.class);
            assertThat(CallMonitor.active()).isZero();
        }
    }

    /** Calls that ended leave the set at once; the sandbox's next call is still watched and stopped. */
    @Test
    void aCallAfterManyQuickOnesIsStillStopped() throws Exception {
        try (Sandbox sandbox = new Sandbox(SandboxConfig.builder().timeout(Duration.ofMillis(500)).build())) {
            for (int i = 0; i < 200; i++) {
                assertThat(sandbox.eval("x + 1", new HashMap<>(Map.of("x", i)))).isEqualTo(i + 1);
            }
            long start = System.nanoTime();
            Outcome outcome = onOwnThread(() -> sandbox.execute("while True: pass"));
            assertThat(outcome.stuck()).as("the call was stopped at its timeout").isFalse();
            assertThat(outcome.failure()).isInstanceOf(ScriptTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500).plus(ResourceBombs.GRACE));
        }
    }

    private interface Call {
        void run() throws Exception;
    }

    /** What a call on its own thread threw, and whether it was still running after 30 s. */
    private record Outcome(boolean stuck, Throwable failure) {
    }

    /**
     * Runs the call on a thread of its own and waits up to 30 s. A call still running then is one no limit
     * stopped: its thread is interrupted, which stops the call, so that the failing test leaves nothing running.
     */
    private static Outcome onOwnThread(Call call) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().name("watchdog-attack-caller").start(() -> {
            try {
                call.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        caller.join(30_000);
        boolean stuck = caller.isAlive();
        if (stuck) {
            caller.interrupt();
            caller.join(10_000);
        }
        return new Outcome(stuck, failure.get());
    }
}
