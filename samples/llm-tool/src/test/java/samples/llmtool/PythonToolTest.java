package samples.llmtool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Checks the llm-tool sample: each kind of model-written snippet gives the structured result it documents. */
class PythonToolTest {
    private static PythonTool tool;

    @BeforeAll
    static void start() {
        tool = new PythonTool();
    }

    @AfterAll
    static void stop() {
        tool.close();
    }

    @Test
    void valueAndCapturedOutput() {
        PythonTool.Result r = tool.run("print('thinking...')\nsorted({'b': 2, 'a': 1}.items())");
        assertThat(r.status()).isEqualTo("ok");
        assertThat(r.stdout()).isEqualTo("thinking...\n");
        assertThat(r.value()).isEqualTo(List.of(List.of("a", 1), List.of("b", 2)));
        assertThat(r.error()).isNull();
        assertThat(r.toJson()).isEqualTo("{\"status\": \"ok\", \"value\": [[\"a\", 1], [\"b\", 2]], "
                + "\"stdout\": \"thinking...\\n\", \"error\": null}");
    }

    @Test
    void allowedModuleSymbolsOnly() {
        assertThat(tool.run("from json import loads\nloads('[1, 2]')").value()).isEqualTo(List.of(1, 2));
        PythonTool.Result unlisted = tool.run("from json import JSONDecoder");
        assertThat(unlisted.status()).isIn("error", "violation");
        assertThat(unlisted.error().get("type").toString()).matches("ImportError|ImportBlocked");
        assertThat(unlisted.value()).isNull();
    }

    @Test
    void pythonErrorsKeepTypeLineAndTheOutputSoFar() {
        PythonTool.Result r = tool.run("print('step 1')\nx = {}\nx['missing']");
        assertThat(r.status()).isEqualTo("error");
        assertThat(r.stdout()).isEqualTo("step 1\n");
        assertThat(r.error()).containsEntry("type", "KeyError").containsEntry("line", 3);
    }

    @Test
    void escapesAreViolationsAndNothingLeaks() {
        PythonTool.Result file = tool.run("open('/etc/passwd').read()");
        assertThat(file.status()).isIn("violation", "error");
        assertThat(file.value()).isNull();
        PythonTool.Result env = tool.run("__import__('os').environ['HOME']");
        assertThat(env.status()).isEqualTo("violation");
        assertThat(env.error().get("message").toString()).contains("os").doesNotContain(System.getProperty("user.home"));
    }

    @Test
    void runawayCodeIsStoppedByTheTimeLimitAndTheToolKeepsWorking() {
        long start = System.nanoTime();
        PythonTool.Result r = tool.run("while True:\n    pass");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(r.status()).isEqualTo("limit");
        assertThat(r.error()).containsEntry("type", "ScriptTimeoutException");
        assertThat(took).isLessThan(Duration.ofSeconds(10));
        assertThat(tool.run("6 * 7").value()).isEqualTo(42);
    }

    @Test
    void allocationsBeyondTheMemoryLimitEndAsALimitAndTheToolKeepsWorking() {
        // 512 MiB in 1 MiB blocks against the tool's 64 MiB limit (GraalPy refuses single sizes beyond an
        // index-sized int itself, with an OverflowError, so the bomb grows instead).
        // The tool's own limits, but time enough that a busy machine meets the memory limit first.
        try (PythonTool roomy = new PythonTool(PythonTool.defaultConfig().toBuilder().timeout(Duration.ofSeconds(60)).build())) {
            PythonTool.Result r = roomy.run("blocks = [bytearray(1024 * 1024) for _ in range(512)]\nlen(blocks)");
            assertThat(r.status()).as(r.toJson()).isEqualTo("limit");
            assertThat(r.error()).containsEntry("type", "MemoryLimitException");
            assertThat(roomy.run("len('x' * 10)").value()).isEqualTo(10);
        }
    }

    @Test
    void eachRunStartsFromAFreshNamespace() {
        assertThat(tool.run("secret = 'from call one'").status()).isEqualTo("ok");
        PythonTool.Result r = tool.run("secret");
        assertThat(r.status()).isEqualTo("error");
        assertThat(r.error()).containsEntry("type", "NameError");
        assertThat(tool.run("{'k': {1, 2}}").value()).isEqualTo(Map.of("k", List.of(1, 2)));
    }
}
