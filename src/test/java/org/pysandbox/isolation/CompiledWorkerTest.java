package org.pysandbox.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.File;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pysandbox.config.Isolation;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.error.MemoryLimitException;
import org.pysandbox.error.ScriptTimeoutException;
import org.pysandbox.limits.Executor;

/**
 * Real workers: the library gives them the Graal JIT itself (found without any host JVM option), and a
 * builtin that cannot be interrupted ({@code 3**(10**8)}) is answered within timeout + 1 s.
 */
class CompiledWorkerTest {
    static {
        System.setProperty("pysandbox.process.pool.size", "0");
    }

    private static final SandboxConfig CONFIG = SandboxConfig.builder().timeout(Duration.ofSeconds(1))
            .maxMemory(256L << 20).isolation(Isolation.PROCESS).build();
    private static ProcessExecutor executor;

    @BeforeAll
    static void start() throws Exception {
        executor = new ProcessExecutor(CONFIG, WorkerPool::take);
        executor.workerForTest();
    }

    @AfterAll
    static void stop() {
        executor.close();
    }

    private static Object eval(String code) throws Exception {
        return executor.run(new Executor.Request(code, "<test>", null, null, true, Writer.nullWriter(),
                Writer.nullWriter(), Reader.nullReader(), CONFIG));
    }

    @Test
    void theWorkerRunsCompiledWithOptionsTheLibraryGaveIt() throws Exception {
        assertThat(executor.workerRuntime()).isNotNull().isNotEqualTo("Interpreted");
        List<String> command = WorkerProcess.command("64m", 1, WorkerMain.class.getName());
        assertThat(command).contains("-XX:+EnableJVMCI", "--enable-native-access=ALL-UNNAMED")
                .anyMatch(a -> a.startsWith("--upgrade-module-path="));
        if (Runtime.version().feature() >= 23) {
            assertThat(command).contains("--sun-misc-unsafe-memory-access=allow");
        }
        assertThat(eval("sum(i * i for i in range(1000))")).isEqualTo(332833500);
    }

    @Test
    void theCompilerJarsAreFoundWithoutAnyHostOption() throws Exception {
        String classPath = System.getProperty("java.class.path");
        Path repo = Path.of(System.getProperty("user.home"), ".m2", "repository");
        // beside target/classes (the build's copy), with no property and no host JVM option
        Optional<String> beside = CompilerPath.locate(null, List.of(), classPath, repo);
        assertThat(beside).isPresent();
        assertThat(Path.of(beside.get()).resolve("truffle-compiler-25.0.3.jar")).exists();
        // a library user's class path: only the polyglot jar, found in the local Maven repository
        String polyglot = Arrays.stream(classPath.split(File.pathSeparator)).filter(e -> e.matches(".*polyglot-[0-9].*\\.jar"))
                .findFirst().orElseThrow();
        Optional<String> fromRepo = CompilerPath.locate(null, List.of(), polyglot, repo);
        assertThat(fromRepo).isPresent();
        for (String jar : fromRepo.get().split(File.pathSeparator)) {
            assertThat(Files.isRegularFile(Path.of(jar))).as(jar).isTrue();
        }
        assertThat(fromRepo.get()).contains("compiler-25.0.3.jar", "truffle-compiler-25.0.3.jar", "word-25.0.3.jar");
        // the property wins; nothing found means no JIT options (the worker interprets, and says so)
        assertThat(CompilerPath.locate("/opt/graal", List.of("--upgrade-module-path=/x"), classPath, repo))
                .contains("/opt/graal");
        assertThat(CompilerPath.locate(null, List.of(), "/nowhere/app.jar", repo)).isEmpty();
    }

    @Test
    void aBuiltinThatCannotBeInterruptedIsAnsweredWithinTimeoutPlusOneSecond() throws Exception {
        long pid = executor.workerPid();
        long start = System.nanoTime();
        Throwable thrown = catchThrowable(() -> eval("3 ** (10 ** 8)"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("3**(10**8) in a worker: %d ms, %s (worker %d -> %d)%n", millis, thrown, pid,
                executor.workerPid());
        // a compiled worker may reach the 256 MiB cap of the pow's intermediate numbers before the clock: either
        // limit stops it, and the caller is answered in time
        assertThat(thrown).isInstanceOfAny(ScriptTimeoutException.class, MemoryLimitException.class);
        assertThat(millis).isLessThan(CONFIG.timeout().toMillis() + 1000);
    }
}
