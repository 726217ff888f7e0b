package org.pysandbox.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Which of the host JVM's options a worker JVM takes (WorkerProcess.inherited). */
class WorkerCommandTest {
    private static final List<String> COMMAND_LINE_HOST = List.of("-Xss8m", "--enable-native-access=ALL-UNNAMED",
            "-Dpolyglot.engine.WarnInterpreterOnly=false", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-XX:AOTCache=/app/target/aot/pysandbox.aot", "--sun-misc-unsafe-memory-access=allow", "-Xmx1g",
            "-agentlib:jdwp=transport=dt_socket,server=y", "-XX:+UnlockDiagnosticVMOptions", "-Dapp.secret=x");

    @Test
    void aCompiledWorkerTakesOnlyGraalPysOptionsAndTheStackSize() {
        assertThat(WorkerProcess.inherited(COMMAND_LINE_HOST, true))
                .containsExactly("-Xss8m", "-Dpolyglot.engine.WarnInterpreterOnly=false");
    }

    @Test
    void anInterpretedWorkerAlsoTakesTheStartUpOptionsOfAnInterpretedHost() {
        assertThat(WorkerProcess.inherited(COMMAND_LINE_HOST, false)).containsExactly("-Xss8m",
                "--enable-native-access=ALL-UNNAMED", "-Dpolyglot.engine.WarnInterpreterOnly=false",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:AOTCache=/app/target/aot/pysandbox.aot",
                "--sun-misc-unsafe-memory-access=allow");
    }

    /**
     * No JVMCI options in an interpreted worker, and no -Xshare option at all: the JVM refuses one beside an AOT
     * cache, which JDK_JAVA_OPTIONS or JAVA_TOOL_OPTIONS may give every worker (review 64: each JIT worker then
     * failed to start). A crash log goes to the temporary directory, not the host's working directory.
     */
    @Test
    void theCommandHasNoOptionsThatClash() {
        List<String> interpreted = WorkerProcess.command("64m", 1, WorkerMain.class.getName(), false);
        assertThat(interpreted).noneMatch(a -> a.startsWith("--upgrade-module-path") || a.contains("JVMCI"));
        List<String> compiled = WorkerProcess.command("64m", 1, WorkerMain.class.getName(), true);
        for (List<String> command : List.of(interpreted, compiled)) {
            assertThat(command).noneMatch(a -> a.startsWith("-Xshare"))
                    .anyMatch(a -> a.startsWith("-XX:ErrorFile=" + System.getProperty("java.io.tmpdir")));
        }
    }
}
