package samples.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The engine's JSON for each kind of outcome, and the whole AI-service round trip. */
class LangChain4jSampleTest {
    @Test
    void engineReturnsValueStdoutAndError() {
        try (PySandboxCodeExecutionEngine engine = new PySandboxCodeExecutionEngine()) {
            assertThat(engine.execute("print('hi')\n6 * 7")).isEqualTo("{\"value\":42,\"stdout\":\"hi\\n\",\"error\":null}");
            assertThat(engine.execute("1 / 0")).contains("\"type\":\"ZeroDivisionError\"").contains("\"line\":1");
            assertThat(engine.execute("import os")).contains("\"value\":null").contains("import of module 'os' is blocked");
            long start = System.nanoTime();
            assertThat(engine.execute("while True:\n    pass")).contains("\"type\":\"ScriptTimeoutException\"");
            assertThat((System.nanoTime() - start) / 1_000_000_000).isLessThan(30);
            // the engine is still usable, and nothing carried over from earlier calls
            assertThat(engine.execute("'n' in dir()")).startsWith("{\"value\":false");
        }
    }

    @Test
    void theModelsCodeRunsAsATool() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // the sample's limits, with a time limit a busy machine cannot exhaust on the primes question
        try (PySandboxCodeExecutionEngine engine = new PySandboxCodeExecutionEngine(
                PySandboxCodeExecutionEngine.defaultConfig().toBuilder().timeout(Duration.ofSeconds(10)).build())) {
            LangChain4jSample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), engine);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("CodeExecutionEngine: {\"value\":[[\"a\",1],[\"b\",2]],\"stdout\":\"\",\"error\":null}")
                .contains("A: the tool answered {\"value\":1060,\"stdout\":\"25 primes\\n\",\"error\":null}")
                .contains("\"type\":\"ScriptTimeoutException\"")
                .containsPattern("import of module 'os' is blocked")
                .doesNotContain("root:x:");
    }
}
