package org.pysandbox.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class JitStatusTest {
    @Test
    void theTestJvmRunsWithTheGraalJit() {
        // surefire starts the tests with the pom's jit.jvm.options: the shared engine must compile.
        assertThat(JitStatus.describe()).isEqualTo("GraalVM CE");
        assertThat(JitStatus.isCompiled()).isTrue();
    }

    @Test
    void warningNamesMissingJvmci() {
        String w = JitStatus.warning(List.of("-Xmx1g"), false);
        assertThat(w).contains("JVMCI is not enabled").contains("-XX:+EnableJVMCI").contains("--upgrade-module-path=<dir>");
    }

    @Test
    void warningNamesMissingCompilerJars() {
        String w = JitStatus.warning(List.of("-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI"), false);
        assertThat(w).contains("not on the upgrade module path").contains("org.graalvm.compiler:compiler");
    }

    @Test
    void warningPointsAtVersionMismatchWhenBothArePresent() {
        String w = JitStatus.warning(List.of("-XX:+EnableJVMCI"), true);
        assertThat(w).contains("same version");
    }
}
