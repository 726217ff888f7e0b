package org.pysandbox.jsr223;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compiles and runs the rule-engine sample under samples/rules exactly as shipped, and checks its report. */
class RulesSampleTest {
    @Test
    void sampleRulesFireAsDocumentedAndHostileRulesAreRefused(@TempDir Path classes) throws Exception {
        Path source = Path.of("samples/rules/RulesSample.java");
        Path rules = Path.of("samples/rules/rules.txt");
        assertThat(source).exists();
        assertThat(Files.isExecutable(Path.of("samples/rules/run"))).isTrue();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "-d", classes.toString(), "-cp",
                System.getProperty("java.class.path") + File.pathSeparator + "target/classes", source.toString());
        assertThat(status).as("javac exit status").isZero();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                getClass().getClassLoader())) {
            Method evaluate = loader.loadClass("RulesSample").getMethod("evaluate", Path.class);
            @SuppressWarnings("unchecked")
            Map<String, List<String>> report = (Map<String, List<String>>) evaluate.invoke(null, rules);
            String sneaky = "sneaky: refused (SandboxViolationException)";
            String runaway = "runaway: refused (ScriptTimeoutException)";
            assertThat(report).containsOnlyKeys("A-1", "B-2", "C-3");
            assertThat(report.get("A-1")).containsExactly("big-order", "loyal-customer", "eu-shipping", "bulk-item",
                    sneaky, runaway);
            assertThat(report.get("B-2")).containsExactly(sneaky, runaway);
            assertThat(report.get("C-3")).containsExactly("loyal-customer", "eu-shipping", "free-gift", sneaky,
                    runaway);
        }
    }
}
