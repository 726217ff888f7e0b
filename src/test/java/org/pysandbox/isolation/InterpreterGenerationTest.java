package org.pysandbox.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.io.Writer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import javax.script.ScriptException;

import org.junit.jupiter.api.Test;
import org.pysandbox.config.Isolation;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.error.MemoryLimitException;
import org.pysandbox.error.ScriptTimeoutException;
import org.pysandbox.limits.Executor;

/** A worker's interpreter generation (Executor.interpreterGeneration), which the javax.script engine trusts. */
class InterpreterGenerationTest {
    /** An uninterruptible builtin that outlasts a 300-ms limit plus the interrupt grace by far. */
    private static final String STUCK = "x = 3 ** (10 ** 8)";

    /**
     * Executor.interpreterGeneration: "Script objects of earlier calls stay callable exactly while it stays the
     * same". With process isolation it is the worker's number, but a stop inside a worker that answers in time
     * replaces the worker's interpreter and keeps the worker: the generation must then change (else the engine
     * keeps a slot whose interpreter was replaced, as the canary it replaced would have noticed).
     */
    @Test
    void aProcessWorkersReplacedInterpreterChangesTheGeneration() throws Exception {
        SandboxConfig config = SandboxConfig.builder().isolation(Isolation.PROCESS).timeout(Duration.ofMinutes(2)).build();
        SandboxConfig stop = config.toBuilder().timeout(Duration.ofMillis(300)).build();
        // a worker of its own, not from the worker pool: no spare worker outlives the test
        ProcessExecutor executor = new ProcessExecutor(config, WorkerProcess::new);
        try {
            Map<String, Object> ns = new HashMap<>();
            executor.run(new Executor.Request("def seven():\n    return 7\n", "<attack>", ns, null, false,
                    Writer.nullWriter(), Writer.nullWriter(), Reader.nullReader(), config));
            Object seven = ns.get("seven");
            assertThat(executor.call(seven, new Object[0], Writer.nullWriter(), Writer.nullWriter(), Reader.nullReader(),
                    config)).isEqualTo(7);
            long before = executor.interpreterGeneration();
            Throwable thrown = null;
            try {
                executor.run(new Executor.Request(STUCK, "<attack>", new HashMap<>(), null, false, Writer.nullWriter(),
                        Writer.nullWriter(), Reader.nullReader(), stop));
            } catch (ScriptException e) {
                thrown = e;
            }
            assertThat(thrown).isInstanceOfAny(ScriptTimeoutException.class, MemoryLimitException.class);
            long after = executor.interpreterGeneration();
            Object outcome;
            try {
                outcome = executor.call(seven, new Object[0], Writer.nullWriter(), Writer.nullWriter(),
                        Reader.nullReader(), config);
            } catch (ScriptException e) {
                outcome = e;
            }
            assertThat(after != before || Integer.valueOf(7).equals(outcome))
                    .as("generation %d -> %d, yet the earlier script object gives %s", before, after, outcome).isTrue();
        } finally {
            executor.close();
        }
    }

}
