package samples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.scripting.support.ResourceScriptSource;
import org.springframework.scripting.support.StandardScriptEvaluator;

/** Runs the Spring sample against the real engine, and checks Spring's evaluator stays confined. */
class SpringScriptingSampleTest {
    @Test
    void quotesComeFromThePythonRules() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SpringScriptingSample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("silver, light: total 100.00 - discount 5.00 + shipping 5.00\n")
                .contains("gold, heavy:   total 1200.00 - discount 240.00 + shipping 35.00\n")
                .contains("discount bean is a Java proxy over the Python function");
    }

    @Test
    void scriptsRunThroughSpringAreStillSandboxed() {
        StandardScriptEvaluator evaluator = new StandardScriptEvaluator();
        evaluator.setEngineName("pysandbox");
        var escape = new ResourceScriptSource(new ByteArrayResource(
                "__import__('os').system('touch /tmp/pysandbox-spring-escape')".getBytes(StandardCharsets.UTF_8)));
        // Spring wraps the engine's SandboxViolationException (twice); its message is in the cause chain
        assertThatThrownBy(() -> evaluator.evaluate(escape, Map.of()))
                .hasStackTraceContaining("import of module 'os' is blocked by the sandbox");
        assertThat(new java.io.File("/tmp/pysandbox-spring-escape")).doesNotExist();
    }
}
