package org.pysandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.error.SandboxViolationException;

class SandboxSmokeTest {
    @Test
    void evaluatesAndWritesBack() throws Exception {
        try (Sandbox sandbox = new Sandbox()) {
            assertThat(sandbox.eval("6 * 7")).isEqualTo(42);
            Map<String, Object> ns = new HashMap<>(Map.of("data", List.of(1, 2, 3)));
            sandbox.execute("total = sum(data)", ns);
            assertThat(ns).containsEntry("total", 6);
        }
    }

    @Test
    void printsOnlyWithStdout() throws Exception {
        StringWriter out = new StringWriter();
        try (Sandbox sandbox = new Sandbox(SandboxConfig.of("stdout")).setOut(out)) {
            sandbox.execute("print('hello')");
        }
        assertThat(out.toString()).isEqualTo("hello\n");
        try (Sandbox sandbox = new Sandbox()) {
            assertThatThrownBy(() -> sandbox.execute("print('hello')")).isInstanceOf(SandboxViolationException.class)
                    .hasMessageContaining("stdout");
        }
    }
}
