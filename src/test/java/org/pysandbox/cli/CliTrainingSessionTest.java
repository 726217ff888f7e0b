package org.pysandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * bin/pysandbox makes its start-up cache from the session in bin/aot-training.repl: a class the session never
 * loads is loaded from the jars on every run. A statement of it that the sandbox refused would leave out what
 * it was there for (GraalPy's regex engine behind re, json, datetime) without anyone seeing it, as the
 * training's output only goes to target/aot/training.log. This runs the session as bin/pysandbox does.
 */
class CliTrainingSessionTest {
    private static final Path SESSION = Path.of("bin", "aot-training.repl");
    private static final String OPTIONS_LINE = "# options: ";

    @Test
    void everyStatementOfTheTrainingSessionRunsAndOnlyTheIntendedTracebackIsPrinted() throws Exception {
        String session = Files.readString(SESSION);
        String[] options = session.lines().filter(line -> line.startsWith(OPTIONS_LINE)).findFirst()
                .map(line -> line.substring(OPTIONS_LINE.length()).trim().split("\\s+"))
                .orElseThrow(() -> new AssertionError(SESSION + " has no '" + OPTIONS_LINE + "' line"));
        assertThat(options).contains("-f").contains("--allow-module");

        CliProcess.Result result = CliProcess.run(List.of(), session, options);

        assertThat(result.status()).as(result.toString()).isZero();
        List<String> printed = result.stdout().lines().toList();
        long prints = session.lines().filter(line -> line.startsWith("print(")).count();
        assertThat(printed).as(result.toString()).hasSize((int) prints + 1); // and the one in the except clause
        assertThat(printed).contains("caught KeyError('missing')");
        assertThat(printed.get(printed.size() - 1)).startsWith("[Point(0, 0), Point(1, -1)]");
        // (the REPL's prompts share the line, on stderr, with what follows them)
        assertThat(result.stderr().split("Traceback \\(most recent call last\\)", -1)).as(result.toString()).hasSize(2);
        assertThat(result.stderr()).contains("ZeroDivisionError").doesNotContain("Blocked")
                .doesNotContain("blocked by the sandbox");
    }
}
