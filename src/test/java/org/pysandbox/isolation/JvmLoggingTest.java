package org.pysandbox.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker's stdout is its protocol channel: JVM logging that a host's inherited options send there after
 * main has started corrupts every frame. Each case is a JVM started as a worker is (its -Xlog options from
 * {@link WorkerProcess#command}), with the options in JAVA_TOOL_OPTIONS, that collects garbage after doing
 * what a worker's main does; nothing may reach its stdout after the mark "MAIN" (reviews 43-45).
 */
class JvmLoggingTest {

    @Test
    void noGcLineReachesStdoutAfterMainWhateverTheInheritedOptions(@TempDir Path dir) throws Exception {
        List<String> cases = List.of(
                "-verbose:gc",
                "-XX:+PrintGCDetails",
                "-Xlog:gc*:file=/dev/stdout::filecount=0",
                // a name VM.log lists unexpanded, before the stdout output: the switch-off went no further
                "-Xlog:gc:file=" + dir.resolve("gc-%p.log") + "::filecount=0 -Xlog:gc*:file=/dev/stdout::filecount=0",
                "-Xlog:gc*:file=/proc/%p/fd/1::filecount=0",
                // two outputs to stdout: switching one off renumbered the other
                "-Xlog:gc*:file=/dev/stdout::filecount=0 -Xlog:safepoint*=info:file=/dev/fd/1::filecount=0");
        for (String options : cases) {
            String out = run(options);
            assertThat(out).as(options + "\n" + out).contains("MAIN\n").endsWith("END\n");
            String afterMain = out.substring(out.indexOf("MAIN\n") + 5, out.length() - "END\n".length());
            assertThat(afterMain).as(options).isEmpty();
        }
        assertThat(run("-Xlog:gc*:file=/dev/stdout::filecount=0")).as("the case is real: the JVM logs there before main")
                .contains("[info][gc");
    }

    private static String run(String javaToolOptions) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : WorkerProcess.command("64m", 0, LogSwitchOffMain.class.getName())) {
            if (option.startsWith("-Xlog:") || option.equals("-XX:+DisplayVMOutputToStderr")) {
                command.add(option);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LogSwitchOffMain.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("JAVA_TOOL_OPTIONS", javaToolOptions);
        Process p = builder.start();
        byte[] out = p.getInputStream().readAllBytes(); // a pipe, as a worker's stdout is
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }
}
