package org.pysandbox.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Signals, the known hole in GraalPy 25.0's floor, attacked in a child JVM ({@link SignalChild}) so that a
 * failure ends the child, not this test. Guest code with the real modules, in a context built as
 * production builds it, tries to end the JVM ({@code raise_signal(SIGTERM)}, {@code os.kill}), to make it
 * ignore a real {@code kill -TERM} ({@code signal(SIGTERM, SIG_IGN)}), to start timer threads
 * ({@code alarm}, {@code setitimer}) and to change the JVM's time zone ({@code time.tzset}). The raw
 * controls run the same attacks in a context that differs only by the missing
 * {@code python.WithoutPlatformAccess} switch, and show each one working there: the checks can fail.
 */
class SignalFloorTest {
    private static final String RAISE = "import _signal\n_signal.raise_signal(15)";
    private static final String RAISE_VIA_SIGNAL = "import signal\nsignal.raise_signal(signal.SIGTERM)";
    private static final String IGNORE_TERM = "import _signal\n_signal.signal(15, _signal.SIG_IGN)";
    private static final String TIMERS = "import _signal\n_signal.alarm(1)\n_signal.setitimer(0, 1.0)";
    private static final String TZSET = "import time\ntime.tzset()";
    private static final String KILL = "import os\nos.kill(%PID%, 15)";
    /** Ways to get a builtin module back: the import system, and _imp's builtin factory with a crafted spec. */
    private static final String RECOVER_IMPORTLIB = "import importlib\nimportlib.import_module('_signal').raise_signal(15)";
    private static final String RECOVER_IMP = "import _imp, importlib.machinery as m\n"
            + "_imp.create_builtin(m.ModuleSpec('_signal', m.BuiltinImporter)).raise_signal(15)";
    private static final String RECOVER_SPEC = "import importlib.util as u\nu.module_from_spec(u.find_spec('_signal'))";

    record Child(int status, String out) {
    }

    @Test
    void signalsDoNotReachTheJvmAndTzsetLeavesItsTimeZone() throws Exception {
        Child child = run(List.of("-Duser.timezone=America/New_York"), false, "floor", RAISE, RAISE_VIA_SIGNAL,
                KILL, RECOVER_IMPORTLIB, RECOVER_IMP, RECOVER_SPEC, TIMERS, TZSET);
        assertThat(child.status()).as(child.out()).isZero();
        assertThat(child.out()).contains("ALIVE").contains("No module named '_signal'").contains("NEW THREADS []")
                .contains("TZ America/New_York").contains("Setting timezone was disallowed");
    }

    @Test
    void aGuestCannotMakeTheJvmIgnoreSigterm() throws Exception {
        Child child = run(List.of("-Dsignalchild.wait=true"), true, "floor", IGNORE_TERM);
        assertThat(child.out()).contains("ALIVE").doesNotContain("NOT TERMINATED");
        assertThat(child.status()).as("ended by the real SIGTERM: " + child.out()).isEqualTo(143);
    }

    /** Fail closed: a JVM where GraalPy kept its signal module gets no sandbox context at all. */
    @Test
    void aJvmWhereTheSwitchIsOffGetsNoContext() throws Exception {
        Child child = run(List.of("-Dpython.WithoutPlatformAccess=false"), false, "floor", RAISE);
        assertThat(child.status()).as(child.out()).isZero();
        assertThat(child.out()).contains("REFUSED SandboxConfigurationException")
                .contains("-Dpython.WithoutPlatformAccess=true").doesNotContain("ALIVE");
    }

    // The controls: the same attacks without the switch do what they claim (GraalPy 25.0.3).

    @Test
    void controlWithoutTheSwitchRaiseSignalEndsTheJvm() throws Exception {
        Child child = run(List.of("-Dpython.WithoutPlatformAccess=false"), false, "raw", RAISE);
        assertThat(child.status()).as(child.out()).isEqualTo(143);
        assertThat(child.out()).doesNotContain("ALIVE");
    }

    @Test
    void controlWithoutTheSwitchSigtermIsIgnoredTimersStartThreadsAndTzsetChangesTheJvm() throws Exception {
        Child child = run(List.of("-Dpython.WithoutPlatformAccess=false", "-Duser.timezone=America/New_York",
                "-Dsignalchild.wait=true"), true, "raw", IGNORE_TERM, "import _signal\n_signal.setitimer(0, 30.0)",
                TZSET);
        assertThat(child.out()).as("the real SIGTERM was ignored").contains("ALIVE");
        assertThat(child.status()).as(child.out()).isNotEqualTo(143);
        assertThat(child.out()).doesNotContain("NEW THREADS []").contains("TZ GMT");
    }

    /**
     * Starts the child; with {@code terminate}, waits for ALIVE and sends it a real SIGTERM
     * ({@link Process#destroy}), then, if it is still running 15 s later, SIGKILL (status 137).
     */
    private static Child run(List<String> jvmOptions, boolean terminate, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // interpreter-only: the child starts in seconds rather than a minute, and signals do not depend on the JIT
        command.add("-Dpolyglot.engine.WarnInterpreterOnly=false");
        command.add("-Dpysandbox.quietInterpreterWarning=true");
        command.add("-Xmx512m");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SignalChild.class.getName());
        command.addAll(List.of(args));
        File out = Files.createTempFile("signal-child", ".out").toFile();
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out).start();
            if (terminate) {
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
                while (process.isAlive() && !Files.readString(out.toPath(), StandardCharsets.UTF_8).contains("ALIVE")
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                process.destroy(); // SIGTERM
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("the child JVM did not finish: " + Files.readString(out.toPath()));
            }
            return new Child(process.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8));
        } finally {
            out.delete();
        }
    }
}
