package org.pysandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the real command as a separate process: script files, -c, exit statuses, the REPL over a pipe. */
class CliEndToEndTest {

    @Test
    void runsTheHelloSampleWithItsArguments() throws Exception {
        CliProcess.Result r = CliProcess.run("", "-f", "stdout", "samples/hello/hello.py", "Ada");
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.stdout()).as(r.toString())
                .contains("Hello, Ada!\n")
                .contains("squares: {1: 1, 2: 4, 3: 9, 4: 16, 5: 25}")
                .contains("blocked: open('/etc/passwd').read() -> ")
                .contains("blocked: __import__('os').system('id') -> ImportBlocked");
    }

    /**
     * A host environment whose JAVA_TOOL_OPTIONS start a JFR recording and ask for -verbose:gc: the worker JVM
     * inherits both, announces the recording on its stdout, the protocol's channel, before its main runs, and
     * logs every GC there afterwards (-verbose:gc is applied after the command line's -Xlog options). Every
     * call failed with "a frame of 825111858 bytes" until the host learned to skip what comes before the
     * worker's preamble (stop 47), and with -verbose:gc until the worker turned stdout logging off in main
     * (review 43), and with a GC log whose "file" is stdout, a container's habit, until it turned that off
     * too (review 44; filecount=0: a rotating log would rename /dev/stdout). The script allocates, so that
     * the worker collects while it serves.
     */
    @Test
    void processIsolationWorksWhenTheHostsJavaToolOptionsStartARecordingAndLogGc(@TempDir Path dir) throws Exception {
        CliProcess.Result r = CliProcess.run(List.of(),
                Map.of("JAVA_TOOL_OPTIONS", "-XX:StartFlightRecording=filename=" + dir.resolve("recording-%p.jfr")
                        + " -verbose:gc -Xlog:gc*:file=/dev/stdout::filecount=0"),
                "", "--isolation", "process", "-f", "stdout", "-c",
                "x = [bytearray(10 ** 6) for _ in range(200)]; del x; print(6 * 7)");
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.stdout()).as(r.toString()).contains("Started recording").contains("[info][gc").contains("\n42\n");
        assertThat(r.stderr()).as("the worker's noise was seen and skipped: " + r)
                .contains("before the protocol started (ignored)").contains("Started recording");
    }

    @Test
    void scriptErrorIsAPythonTracebackWithStatusOne(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("broken.py");
        Files.writeString(script, "x = 1\ny = 2\nprint(x / (y - 2))\n");
        CliProcess.Result r = CliProcess.run("", "-f", "stdout", script.toString());
        assertThat(r.status()).as(r.toString()).isEqualTo(ExitStatus.SCRIPT_ERROR);
        assertThat(r.stderr()).as(r.toString())
                .contains("Traceback (most recent call last):\n  File \"" + script + "\", line 3, in <module>\n"
                        + "    print(x / (y - 2))\n"
                        + "ZeroDivisionError: division by zero\n");
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void violationsExitWithThreeAndNameTheFeature() throws Exception {
        CliProcess.Result blocked = CliProcess.run("", "-c", "x = 1\nprint('leak')");
        assertThat(blocked.status()).as(blocked.toString()).isEqualTo(ExitStatus.VIOLATION);
        assertThat(blocked.stdout()).isEmpty();
        // the hint names the option a command-line user has, not the Java API's builder method
        assertThat(blocked.stderr()).contains("File \"<string>\", line 2").contains("(allowed by -f stdout)")
                .doesNotContain("enable(");
        CliProcess.Result os = CliProcess.run("", "-c", "import os");
        assertThat(os.stderr()).as(os.toString()).contains("(allowed by --allow-module os)");
    }

    @Test
    void tracebacksShowEveryFrameOfTheScriptWithItsSourceLine(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("deep.py");
        Files.writeString(script, "def f(x):\n    return g(x)\n\ndef g(y):\n    return 10 // y\n\nf(0)\n");
        CliProcess.Result r = CliProcess.run("", script.toString());
        assertThat(r.status()).as(r.toString()).isEqualTo(ExitStatus.SCRIPT_ERROR);
        assertThat(r.stderr()).as(r.toString()).isEqualTo("Traceback (most recent call last):\n"
                + "  File \"" + script + "\", line 7, in <module>\n    f(0)\n"
                + "  File \"" + script + "\", line 2, in f\n    return g(x)\n"
                + "  File \"" + script + "\", line 5, in g\n    return 10 // y\n"
                + "ZeroDivisionError: integer division or modulo by zero\n");
    }

    @Test
    void syntaxErrorsShowTheLineAndACaretOnce(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("syn.py");
        Files.writeString(script, "x = 1\ndef f()\n    return x\n");
        CliProcess.Result r = CliProcess.run("", script.toString());
        assertThat(r.status()).as(r.toString()).isEqualTo(ExitStatus.SCRIPT_ERROR);
        assertThat(r.stderr()).as(r.toString()).isEqualTo("  File \"" + script + "\", line 2\n"
                + "    def f()\n"
                + "           ^\n"
                + "SyntaxError: expected ':'\n");
    }

    @Test
    void limitsExitWithFourAndNameTheOption() throws Exception {
        CliProcess.Result r = CliProcess.run("", "--timeout", "500ms", "-c", "while True:\n    pass\n");
        assertThat(r.status()).as(r.toString()).isEqualTo(ExitStatus.LIMIT);
        assertThat(r.stderr()).contains("ScriptTimeoutError").contains("raise --timeout");
    }

    @Test
    void usageErrorsExitWithTwoBeforeRunningAnything() throws Exception {
        CliProcess.Result unknown = CliProcess.run("", "-f", "nope", "-c", "1");
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(ExitStatus.USAGE);
        assertThat(unknown.stderr()).contains("unknown sandbox feature 'nope'").contains("stdout");

        CliProcess.Result missing = CliProcess.run("", "no/such/script.py");
        assertThat(missing.status()).as(missing.toString()).isEqualTo(ExitStatus.USAGE);
        assertThat(missing.stderr()).contains("can't open file 'no/such/script.py'");

        CliProcess.Result badOption = CliProcess.run("", "--timeout", "soon", "-c", "1");
        assertThat(badOption.status()).as(badOption.toString()).isEqualTo(ExitStatus.USAGE);
        assertThat(badOption.stderr()).contains("'soon' is not a duration");

        CliProcess.Result restricted = CliProcess.run("", "-f", "cpython_restricted", "-c", "1");
        assertThat(restricted.status()).isEqualTo(ExitStatus.USAGE);
        assertThat(restricted.stderr()).contains("does not exist on GraalPy");
    }

    @Test
    void binMvnPrintsNoStrayEscapeCodes() throws Exception {
        // Maven 3.8's jansi wrote a colour reset on exit even with -q or -B: "[0m[0m" in every log and pipe
        Process mvn = new ProcessBuilder("bash", "bin/mvn", "-o", "-q", "-v").redirectErrorStream(true).start();
        String out = new String(mvn.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(mvn.waitFor()).as(out).isZero();
        assertThat(out).doesNotContain("\u001b").doesNotContain("WARNING").matches("\\d+\\.\\d+\\.\\d+\\s*");
    }

    @Test
    void helpListsTheFeaturesAndVersionNamesGraalPy() throws Exception {
        CliProcess.Result help = CliProcess.run("", "--help");
        assertThat(help.status()).isZero();
        assertThat(help.stdout()).contains("--allow-module").contains("--isolation").contains("Exit status:")
                .contains("interpreter   standard streams").contains("unicodedata");
        CliProcess.Result version = CliProcess.run("", "--version");
        assertThat(version.status()).isZero();
        assertThat(version.stdout()).startsWith("pysandbox ").contains("GraalPy / Polyglot 25.");
    }

    @Test
    void startUpTimingOfTheReplGoesToStderrInPhaseOrder() throws Exception {
        CliProcess.Result r = CliProcess.run(List.of("-D" + StartupTimer.PROPERTY + "=true"), "1+1\n");
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.stdout()).as(r.toString()).isEqualTo("2\n");
        assertThat(r.stderr()).as(r.toString()).containsSubsequence(
                "pysandbox: timing: main at ", "pysandbox: timing: interpreter ready at ",
                "pysandbox: timing: first answer at ");
    }

    @Test
    void replKeepsStateEchoesValuesSurvivesErrorsAndEndsAtEof() throws Exception {
        String session = String.join("\n",
                "data = [3, 1, 2]",
                "data.append(0)",                       // the list stays a mutable guest list between inputs
                "sorted(data)",
                "def double(n):",
                "    return n * 2",
                "",
                "double(21)",
                "1/0",
                "'still here', len(data)",
                "for i in range(2):",
                "    print('line', i)",
                "",
                "answer = input('name? ')",
                "Ada",
                "answer.upper()",
                "import os",
                "None",
                "x = (1 +",
                "     2)",
                "x") + "\n";
        CliProcess.Result r = CliProcess.run(session);
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.stdout()).as(r.toString()).isEqualTo(String.join("\n",
                "[0, 1, 2, 3]",
                "42",
                "('still here', 4)",
                "line 0",
                "line 1",
                "name? 'ADA'",
                "3") + "\n");
        assertThat(r.stderr()).as(r.toString())
                .startsWith("pysandbox ")
                .contains("sandbox>>> ")
                .contains("... ")
                .contains("Traceback (most recent call last):\n  File \"<stdin>\", line 1, in <module>\n"
                        + "ZeroDivisionError: division by zero\n")
                .contains("ImportBlocked: import of module 'os' is blocked");
    }
}
