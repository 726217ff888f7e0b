package org.pysandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the real REPL in a pseudo-terminal (a tmux session, as a person at a terminal would) and asserts on
 * what the screen shows: line editing, history, Tab completion, multi-line blocks, Ctrl-C and Ctrl-D.
 * .ci/run installs tmux; without it these tests are skipped with that reason.
 */
class ReplTerminalTest {
    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration ANSWER = Duration.ofSeconds(30);

    /** The REPL's --timeout for one test (default 20s). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface ReplTimeout {
        String value();
    }

    @TempDir
    Path dir;
    private String session;
    private Path history;
    private Path exitStatus;

    @BeforeEach
    void start(TestInfo test) throws Exception {
        String timeout = test.getTestMethod().map(m -> m.getAnnotation(ReplTimeout.class)).map(ReplTimeout::value)
                .orElse("20s");
        Assumptions.assumeTrue(run("tmux", "-V") == 0, "tmux is not installed (apt-get install tmux)");
        session = "pysandbox-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        history = dir.resolve("history");
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss8m", "--enable-native-access=ALL-UNNAMED",
                "-Dpolyglot.engine.WarnInterpreterOnly=false", "-Dpysandbox.quietInterpreterWarning=true",
                "-Dpysandbox.history=" + history));
        if (Runtime.version().feature() >= 23) {
            java.add("--sun-misc-unsafe-memory-access=allow");
        }
        java.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "--timeout", timeout));
        Path script = dir.resolve("repl.sh");
        // the shell records the JVM's exit status in a file (tmux 3.3 does not always report a pane's status);
        // its own SIGINT trap keeps it alive through Ctrl-C, and the JVM starts with the default disposition
        exitStatus = dir.resolve("exit-status");
        StringBuilder command = new StringBuilder("#!/bin/sh\ntrap 'true' INT\n");
        for (String part : java) {
            command.append(" '").append(part.replace("'", "'\\''")).append('\'');
        }
        command.append("\necho $? > '").append(exitStatus).append("'\n");
        Files.writeString(script, command + "\n");
        script.toFile().setExecutable(true);
        assertThat(run("tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "50", script.toString()))
                .isZero();
        // after the REPL ends, the pane stays, to show what it printed last and its exit status
        assertThat(run("tmux", "set-option", "-t", session, "remain-on-exit", "on")).isZero();
        awaitScreen("sandbox>>>", START);
    }

    @AfterEach
    void stop() throws Exception {
        if (session != null) {
            run("tmux", "kill-session", "-t", session);
        }
    }

    @Test
    void editingHistoryCompletionMultiLineAndInterrupt() throws Exception {
        type("data = [3, 1, 2]", "Enter");
        // multi-line block: the parser says the def is open until the blank line
        type("def double(n):", "Enter");
        awaitScreen("\n...", ANSWER);
        type("    return n * 2", "Enter", "Enter");
        type("double(21)", "Enter");
        awaitScreen("\n42\n", ANSWER);

        // Tab completes an attribute of a name in the sandbox's namespace
        type("data.appe", "Tab");
        awaitScreen("data.append", ANSWER);
        type("(0)", "Enter", "sorted(data)", "Enter");
        awaitScreen("[0, 1, 2, 3]", ANSWER);

        // line editing: Backspace, Home and arrows move within the line instead of inserting escape codes
        type("10 - 1Z", "BSpace", "Home", "2", "Enter");
        awaitScreen("\n209\n", ANSWER);
        // history: the up arrow recalls the previous line
        type("Up", "Enter");
        awaitScreen("\n209\n[^\n]*\n209\n", ANSWER);

        // Ctrl-C stops a running statement and returns to the prompt with the namespace intact
        type("while True: pass", "Enter");
        Thread.sleep(1500);
        type("C-c");
        awaitScreen("KeyboardInterrupt", ANSWER);
        type("len(data)", "Enter");
        awaitScreen("\n4\n", ANSWER);

        // Ctrl-C at the prompt drops the line being typed. Ctrl-C reaches the line editor as a signal, out of
        // band with the keys: a key typed before the signal is handled can still land in the dropped line (the CI
        // run of bbd8eac lost the quote of 'after' that way). So the test waits for the new prompt, as a person
        // at the screen would.
        type("this is not python", "C-c");
        awaitScreen("this is not python\nKeyboardInterrupt\nsandbox>>>", ANSWER);
        type("'after'", "Enter");
        awaitScreen("'after'", ANSWER);
        assertThat(screen()).doesNotContain("SyntaxError");

        // Ctrl-D leaves with status 0, and the history was kept in the file
        type("C-d");
        assertThat(awaitExitStatus()).as("exit status after Ctrl-D").isEqualTo("0");
        assertThat(Files.readString(history, StandardCharsets.UTF_8)).contains("double(21)").contains("sorted(data)");
    }

    /**
     * The prompt shows while the interpreter still starts (seconds), and a statement typed then waits for it.
     * Ctrl-C in that time was lost (nothing ran yet to interrupt): the statement ran afterwards regardless, here
     * until its timeout. It is dropped now, as Ctrl-C drops a statement that runs.
     */
    @Test
    void ctrlCWhileTheInterpreterStartsDropsTheWaitingStatement() throws Exception {
        type("while True: pass", "Enter");
        Thread.sleep(300);
        type("C-c");
        awaitScreen("KeyboardInterrupt\nsandbox>>>", ANSWER);
        type("'still here'", "Enter");
        awaitScreen("\n'still here'\n", START);
        assertThat(screen()).doesNotContain("ScriptTimeoutError");
    }

    /**
     * Ctrl-C stops an {@code input()} that waits for the terminal, but nothing unblocks its read: that read stayed
     * in the terminal and took keys typed at the next prompt (the first key of the next line went to the stopped
     * call, and the prompt ran {@code rint(...)}: a NameError). The prompt takes the terminal back first.
     */
    @Test
    void keysTypedAfterAStoppedInputGoToThePrompt() throws Exception {
        type("kept = 41; kept - 39", "Enter");
        awaitScreen("\n2\n", START); // started: Ctrl-C reaches a running statement
        type("x = input('answer? ')", "Enter");
        awaitScreen("')\nanswer?", ANSWER);
        Thread.sleep(500);
        type("C-c");
        awaitScreen("KeyboardInterrupt\nsandbox>>>", ANSWER);
        for (int i = 1; i <= 3; i++) {
            type("print('typed after', " + i + ")", "Enter");
            awaitScreen("\ntyped after " + i + "\n", ANSWER);
        }
        // the session survived the stop (the interrupt inside the read closed GraalPy's stdin: it was reset)
        type("kept + 1", "Enter");
        awaitScreen("\n42\n", ANSWER);
        type("len(input('again? '))", "Enter");
        awaitScreen("'))\nagain?", ANSWER);
        type("four", "Enter");
        awaitScreen("again? four\n4\n", ANSWER);
        assertThat(screen()).doesNotContain("Error");

        // Ctrl-D ends input() (EOFError), as in CPython; a read of the terminal used to wait on after the end
        type("input('end? ')", "Enter");
        awaitScreen("')\nend?", ANSWER);
        type("C-d");
        awaitScreen("\nEOFError", ANSWER);
    }

    /**
     * Tab completion runs dir() of the object in the session, which runs the script's own __dir__: when that
     * costs the interpreter, the next input says that the session is gone before it runs in a new one (review
     * 60: nothing was said, and the next completion would have made the new namespace silently).
     */
    @Test
    @ReplTimeout("1s")
    void aCompletionThatCostsTheInterpreterIsSaidBeforeTheNextInput() throws Exception {
        tabCompleteOnAnObjectWhoseDirRuns("return [3 ** (3 * 10 ** 7)]");
        Thread.sleep(2500); // the lookup's own wait; the timeout stops its call after 1 s
        type("C-u", "x", "Enter");
        awaitScreen(Repl.SESSION_LOST_EARLIER + "\nTraceback (most recent call last):", ANSWER);
        awaitScreen("NameError: name 'x' is not defined", ANSWER);
        type("x = 6; x", "Enter");
        awaitScreen("\n6\n", ANSWER);
        assertThat(screen()).doesNotContain(Repl.SESSION_LOST + "\n");
    }

    /**
     * A completion lookup that outlives its 2-s wait keeps the sandbox busy until its timeout (20 s here), and
     * a statement entered meanwhile waits behind it. Ctrl-C stops both now; before, it only marked the
     * statement, which still waited out the lookup's timeout.
     */
    @Test
    void ctrlCStopsACompletionLookupThatOutlivedItsWait() throws Exception {
        tabCompleteOnAnObjectWhoseDirRuns("while True: pass");
        Thread.sleep(2500); // the lookup's own wait; its call runs on
        type("C-u", "x + 1", "Enter");
        Thread.sleep(500);
        type("C-c");
        awaitScreen("x \\+ 1\n[^\n]*KeyboardInterrupt\nsandbox>>>", Duration.ofSeconds(8)); // (a regex: it has "[^")
        type("x + 2", "Enter");
        awaitScreen("\n7\n", Duration.ofSeconds(8));
    }

    /**
     * Ctrl-C on a statement that waits behind a completion lookup stops the lookup. When that costs the
     * interpreter, the note says what was stopped: the statement was dropped before it ran (stop 51's note
     * blamed it: "stopping it cost...").
     */
    @Test
    void ctrlCBehindACostlyCompletionLookupSaysTheLossWithoutBlamingTheDroppedStatement() throws Exception {
        tabCompleteOnAnObjectWhoseDirRuns("return [3 ** (3 * 10 ** 7)]");
        Thread.sleep(2500); // the lookup's own wait; its call runs on, in a builtin that does not yield
        type("C-u", "x + 1", "Enter");
        Thread.sleep(500);
        type("C-c");
        awaitScreen("KeyboardInterrupt\n" + Repl.SESSION_LOST_ON_CANCEL, Duration.ofSeconds(15));
        type("x", "Enter");
        awaitScreen("NameError: name 'x' is not defined", ANSWER);
        assertThat(screen()).doesNotContain(Repl.SESSION_LOST + "\n").doesNotContain(Repl.SESSION_LOST_EARLIER);
    }

    /** Defines x = 5 and an object c whose __dir__ runs body, then presses Tab after "c.": a completion lookup. */
    private void tabCompleteOnAnObjectWhoseDirRuns(String body) throws Exception {
        type("x = 5; x", "Enter");
        awaitScreen("\n5\n", START);
        type("class C:", "Enter", "    def __dir__(self):", "Enter", "        " + body, "Enter", "Enter");
        type("c = C(); 'made'", "Enter");
        awaitScreen("'made'\n", ANSWER);
        type("c.", "Tab");
    }

    /** The REPL's exit status once its process has ended, or "running" at the deadline. */
    private String awaitExitStatus() throws Exception {
        long deadline = System.nanoTime() + ANSWER.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(exitStatus)) {
                String status = Files.readString(exitStatus, StandardCharsets.UTF_8).strip();
                if (!status.isEmpty()) {
                    return status;
                }
            }
            Thread.sleep(100);
        }
        return "running";
    }

    private void type(String... keys) throws Exception {
        for (String key : keys) {
            boolean special = key.equals("Enter") || key.equals("Tab") || key.equals("BSpace") || key.equals("Home")
                    || key.equals("Up") || key.startsWith("C-");
            List<String> command = new ArrayList<>(List.of("tmux", "send-keys", "-t", session));
            if (!special) {
                command.add("-l");
            }
            command.add(key);
            assertThat(run(command.toArray(String[]::new))).isZero();
            Thread.sleep(50);
        }
    }

    private String screen() throws Exception {
        return output("tmux", "capture-pane", "-p", "-J", "-S", "-500", "-t", session);
    }

    private static String output(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return text;
    }

    /** Waits until the screen matches (a regular expression when it has a bracket, else a plain string). */
    private void awaitScreen(String expected, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        boolean regex = expected.contains("[^");
        java.util.regex.Pattern pattern = regex ? java.util.regex.Pattern.compile(expected) : null;
        String text = "";
        while (System.nanoTime() < deadline) {
            text = screen().replaceAll("[ \t]+\n", "\n");
            if (regex ? pattern.matcher(text).find() : text.contains(expected)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the screen did not show " + expected + " within " + limit + ":\n" + text);
    }

    private static int run(String... command) throws IOException, InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
