package org.pysandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/pysandbox's start-up cache, made from bin/aot-training.repl, in a copy of bin/ beside a jar of this
 * build's classes and the test's class path as its lib/ (no src/, so the script never rebuilds). A training session that fails (here: an option the command line
 * does not know) must cost its ~second once, not on every start (review 62: every start ran it again and said
 * "once; about 30 s"); and any change of the session's text must make the cache again, even one that keeps
 * its size and time (review 62: the key held only those).
 */
class StartupCacheScriptTest {
    @TempDir
    Path root;

    private Path training;

    @BeforeEach
    void copyTheScriptsBesideThisBuildsJars() throws IOException {
        Assumptions.assumeTrue(Runtime.version().feature() >= 25, "the start-up cache needs JDK 25 (JEP 483/514)");
        Path bin = Files.createDirectories(root.resolve("bin"));
        for (String name : List.of("pysandbox", "find-java", "jit-requested", "mvn")) {
            Path copy = Files.copy(Path.of("bin", name), bin.resolve(name));
            copy.toFile().setExecutable(true);
        }
        // what `mvn package` makes, made here: `mvn test` runs before the package phase (the cache takes jars only)
        Path target = Files.createDirectories(root.resolve("target"));
        ToolProvider jar = ToolProvider.findFirst("jar").orElseThrow();
        assertThat(jar.run(System.out, System.err, "cf", target.resolve("pysandbox-test.jar").toString(), "-C",
                Path.of("target", "classes").toString(), ".")).isZero();
        Path lib = Files.createDirectories(target.resolve("lib"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath();
            if (entry.endsWith(".jar") && Files.isRegularFile(path) && !Files.exists(lib.resolve(path.getFileName()))) {
                Files.createSymbolicLink(lib.resolve(path.getFileName()), path);
            }
        }
        Files.createDirectories(target.resolve("graal-compiler")); // only --jit reads it
        training = bin.resolve("aot-training.repl");
        Files.writeString(training, "# options: --no-such-option\nprint(1)\n");
    }

    private record Run(int status, String out, String err) {
    }

    private Run run(String... isolation) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(root.resolve("bin/pysandbox").toString()));
        command.addAll(List.of(isolation));
        command.addAll(List.of("-f", "stdout", "-c", "print(6 * 7)"));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // a worker's own JVM messages (an AOT cache it cannot use among them) reach the command's stderr
        builder.environment().put("PYSANDBOX_JAVA_OPTS", "-Dpysandbox.process.workerLog=true");
        builder.environment().remove("PYSANDBOX_AOT");
        Path out = root.resolve("out.txt");
        Path err = root.resolve("err.txt");
        Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void aFailedTrainingIsSaidOnceAndTriedAgainOnlyWhenTheSessionsTextChanges() throws Exception {
        Run first = run();
        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out()).as(first.err()).isEqualTo("42\n");
        assertThat(first.err()).contains("could not make the start-up cache").contains("training.log");
        assertThat(root.resolve("target/aot/training.log")).content(StandardCharsets.UTF_8).contains("--no-such-option");
        assertThat(root.resolve("target/aot/pysandbox.aot")).doesNotExist();

        Run second = run();
        assertThat(second.status()).as(second.err()).isZero();
        assertThat(second.out()).as(second.err()).isEqualTo("42\n");
        assertThat(second.err()).doesNotContain("preparing the start-up cache").doesNotContain("could not make");

        // the same size and modification time, another text
        FileTime time = Files.getLastModifiedTime(training);
        Files.writeString(training, "# options: --no-such-optiom\nprint(1)\n");
        Files.setLastModifiedTime(training, time);
        Run third = run();
        assertThat(third.status()).as(third.err()).isZero();
        assertThat(third.out()).as(third.err()).isEqualTo("42\n");
        assertThat(third.err()).contains("preparing the start-up cache").contains("could not make the start-up cache");
    }

    /**
     * A worker process of the command line starts as the command does: interpreter-only, with its C1 tier, its
     * GC and its start-up cache, whose module options it must share for the JVM to use the cache (without
     * them the JVM said "Mismatched values for property jdk.module.enable.native.access"). With the library's
     * JIT options, and no cache, a worker took 12-13 s to print(1); like this, 2.0-2.3 s.
     */
    @Test
    void aWorkerProcessStartsWithTheCommandsStartUpCache() throws Exception {
        Files.writeString(training, "# options: -f stdout\nprint(1)\n");
        Run first = run();
        assertThat(first.status()).as(first.err()).isZero();
        assertThat(root.resolve("target/aot/pysandbox.aot")).exists();
        Run worker = run("--isolation", "process");
        assertThat(worker.status()).as(worker.err()).isZero();
        assertThat(worker.out()).as(worker.err()).isEqualTo("42\n");
        assertThat(worker.err()).doesNotContainIgnoringCase("aot").doesNotContain("JIT").doesNotContain("error");
    }
}
