package org.pysandbox.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.StringWriter;
import java.util.stream.Stream;

import javax.script.ScriptException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pysandbox.Sandbox;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.error.SandboxViolationException;
import org.pysandbox.error.ScriptTimeoutException;

/** Every resource bomb, in-process: stopped in time, with the right exception, host and engine fine after. */
class InProcessBombTest {
    private static Sandbox bystander;
    /** One sandbox per configuration: reusing it after each bomb is what "the engine stays usable" means. */
    private static final java.util.Map<SandboxConfig, Sandbox> SANDBOXES = new java.util.HashMap<>();

    @BeforeAll
    static void startBystander() throws Exception {
        bystander = new Sandbox(SandboxConfig.defaults());
        assertThat(bystander.eval("1 + 1")).isEqualTo(2);
        // the JVM's first import of re (its parser and compiler modules, cold) can outlast a 1-s limit
        // several times in a row on a loaded machine; a bomb's own imports then run warm
        try (Sandbox regex = new Sandbox(SandboxConfig.builder().enable(org.pysandbox.config.Feature.REGEX)
                .timeout(java.time.Duration.ofMinutes(2)).build())) {
            regex.execute("import re\nre.compile('(a|b)*c').match('abc')");
        }
    }

    @AfterAll
    static void stopBystander() {
        bystander.close();
        SANDBOXES.values().forEach(Sandbox::close);
    }

    /**
     * Runs the bomb's imports before it is timed. On a loaded machine a fresh interpreter's first
     * {@code import re} can itself outlast the 1-s limit; interrupted, it is retried in the same (warmer)
     * interpreter. A refused import is fine: the timed run is then refused the same way.
     */
    private static void importUntimed(Sandbox sandbox, ResourceBombs.Bomb bomb) throws ScriptException {
        for (int attempt = 1; !bomb.imports().isEmpty(); attempt++) {
            try {
                sandbox.execute(bomb.imports());
                return;
            } catch (SandboxViolationException refused) {
                return;
            } catch (ScriptTimeoutException slow) {
                System.out.printf("bomb %s: its imports outlasted the limit on attempt %d%n", bomb.name(), attempt);
                if (attempt == 5) {
                    throw slow;
                }
            }
        }
    }

    static Stream<ResourceBombs.Bomb> bombs() {
        return ResourceBombs.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bombs")
    void bombIsDefused(ResourceBombs.Bomb bomb) throws Exception {
        Sandbox sandbox = SANDBOXES.computeIfAbsent(bomb.config(), Sandbox::new);
        {
            sandbox.setOut(new StringWriter()).setErr(new StringWriter());
            assertThat(sandbox.eval("21 * 2")).isEqualTo(42);
            importUntimed(sandbox, bomb);
            long start = System.nanoTime();
            Throwable thrown = catchThrowable(() -> sandbox.execute(bomb.code()));
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("bomb %-40s %5d ms  %s%n", bomb.name(), millis, thrown);
            assertThat(thrown).as(bomb.name()).isInstanceOf(bomb.expected());
            assertThat(millis).as(bomb.name() + " stopped within its limit plus grace").isLessThan(bomb.within().toMillis());
            // the engine is usable afterwards (same sandbox: interrupted, or replaced when cancelled)
            assertThat(sandbox.eval("6 * 7")).isEqualTo(42);
            // and the host keeps serving other sandboxes
            assertThat(bystander.eval("sum(range(10))")).isEqualTo(45);
        }
    }
}
