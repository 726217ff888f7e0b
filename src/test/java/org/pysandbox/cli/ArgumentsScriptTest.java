package org.pysandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * bin/pysandbox reads --jit itself, before the JVM starts, with its own scan of the options
 * (bin/jit-requested), and by the same scan whether a script is given or the REPL starts. It must find the
 * option wherever the Java side would read it as an option, and never in what belongs to the script.
 */
class ArgumentsScriptTest {
    private static final Path SCRIPT = Path.of("bin", "jit-requested").toAbsolutePath();

    private static String run(String shellCode, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", "-c", ". \"$0\"; " + shellCode, SCRIPT.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    /** What the scan of these command-line arguments set the variable to (true or false). */
    private static boolean scanned(String variable, String... args) throws Exception {
        String answer = run("scan_options \"$@\"; if $" + variable + "; then echo yes; else echo no; fi", args);
        assertThat(answer).isIn("yes", "no");
        return answer.equals("yes");
    }

    private static boolean jitRequested(String... args) throws Exception {
        return scanned("OPTIONS_JIT", args);
    }

    @Test
    void jitIsFoundAmongTheOptionsWhateverValuesComeBeforeIt() throws Exception {
        assertThat(jitRequested("--jit", "x.py")).isTrue();
        assertThat(jitRequested("-f", "stdout", "--jit", "x.py")).isTrue();
        assertThat(jitRequested("--allow-host", "com.example.Api", "--jit", "x.py")).isTrue();
        assertThat(jitRequested("--timeout", "5s", "--max-memory", "64m", "--jit", "-c", "1")).isTrue();
        assertThat(jitRequested("-fstdout", "--feature=math", "--jit")).isTrue();
    }

    @Test
    void jitThatBelongsToTheScriptIsNotRead() throws Exception {
        assertThat(jitRequested("x.py", "--jit")).isFalse();
        assertThat(jitRequested("-c", "print(argv)", "--jit")).isFalse();
        assertThat(jitRequested("-cprint(argv)", "--jit")).isFalse();
        assertThat(jitRequested("--", "x.py", "--jit")).isFalse();
        assertThat(jitRequested("-", "--jit")).isFalse();
        assertThat(jitRequested()).isFalse();
    }

    private static boolean scriptGiven(String... args) throws Exception {
        return scanned("OPTIONS_SCRIPT", args);
    }

    @Test
    void aScriptIsFoundWhereTheJavaSideWouldRunOneAndTheReplOtherwise() throws Exception {
        assertThat(scriptGiven("x.py")).isTrue();
        assertThat(scriptGiven("-f", "stdout", "x.py")).isTrue();
        assertThat(scriptGiven("-c", "print(1)")).isTrue();
        assertThat(scriptGiven("-cprint(1)")).isTrue();
        assertThat(scriptGiven("--timeout", "5s", "-")).isTrue();
        assertThat(scriptGiven("--", "-x.py")).isTrue();
        assertThat(scriptGiven()).isFalse();
        assertThat(scriptGiven("-f", "stdout", "--allow-module", "json")).isFalse();
        assertThat(scriptGiven("--jit", "--timeout", "5s")).isFalse();
        assertThat(scriptGiven("--")).isFalse();
        // a value that looks like a script name is the option's
        assertThat(scriptGiven("--allow-path", "data.py")).isFalse();
    }

    @Test
    void theScriptKnowsTheSameValuedOptionsAsTheJavaSide() throws Exception {
        String listed = run("echo \"$PYSANDBOX_VALUED_OPTIONS\"");
        assertThat(Set.of(listed.split(" "))).isEqualTo(Arguments.VALUED);
    }
}
