package org.pysandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The command's code paths run in this JVM (cheaper than a process): -c, argv, sys.exit, REPL exit(). */
class MainTest {
    private record Run(int status, String out, String err) {
    }

    private static Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out, err);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void dashCSeesItsArgumentsAndAllowedModules() {
        // a generous timeout: the first run in a test JVM on a loaded machine can take seconds
        Run r = run("", "-f", "stdout", "--timeout", "60s", "--allow-module", "json:dumps", "-c",
                "from json import dumps\nprint(dumps({'argv': list(argv)}))", "a1", "--not-an-option");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("{\"argv\": [\"-c\", \"a1\", \"--not-an-option\"]}\n");

        // A symbol that was not listed is not there (an ImportError, or the sandbox's ImportBlocked subclass).
        Run notAllowed = run("", "-f", "stdout", "--allow-module", "json:dumps", "-c", "from json import loads");
        assertThat(notAllowed.status()).as(notAllowed.err()).isIn(ExitStatus.SCRIPT_ERROR, ExitStatus.VIOLATION);
        assertThat(notAllowed.err()).containsPattern("Import(Error|Blocked): .*loads");
    }

    @Test
    void sysExitGivesItsStatusAndAStringStatusIsPrinted() {
        assertThat(run("", "-f", "exit", "-c", "import sys\nsys.exit(7)").status()).isEqualTo(7);
        Run text = run("", "-f", "exit", "-c", "import sys\nsys.exit('bye')");
        assertThat(text.status()).isEqualTo(1);
        assertThat(text.err()).isEqualTo("bye\n");
        assertThat(run("", "-f", "exit", "-c", "exit()").status()).isZero();
    }

    @Test
    void scriptFromStdinWithDash() {
        Run r = run("print(sum(range(5)))\n", "-f", "stdout", "-");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("10\n");
    }

    @Test
    void replExitEndsTheSessionWithItsStatusAndLimitsDoNotEndIt() {
        Run r = run("x = 5\nwhile True: pass\n\nx\nexit(3)\nx\n", "--timeout", "300ms");
        assertThat(r.status()).as(r.err()).isEqualTo(3);
        assertThat(r.err()).contains("ScriptTimeoutError");
        // The session survived the timeout (the context was interrupted, not discarded) and exit() ended it.
        assertThat(r.out()).isEqualTo("5\n");
    }

    @Test
    void replShowsFramesOfEarlierInputsAndSyntaxErrorsWithACaret() {
        Run r = run("def f(x):\n    return 1 // x\n\nf(0)\ndef g()\n");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("Traceback (most recent call last):\n"
                + "  File \"<stdin>\", line 1, in <module>\n"
                + "  File \"<stdin>\", line 2, in f\n"
                + "ZeroDivisionError: integer division or modulo by zero\n");
        assertThat(r.err()).contains("  File \"<stdin>\", line 1\n"
                + "    def g()\n"
                + "           ^\n"
                + "SyntaxError: expected ':'\n").doesNotContain("SyntaxError: SyntaxError");
    }

    @Test
    void replWithProcessIsolationIsAUsageError() {
        Run r = run("", "--isolation", "process");
        assertThat(r.status()).isEqualTo(ExitStatus.USAGE);
        assertThat(r.err()).contains("--isolation context");
    }
}
