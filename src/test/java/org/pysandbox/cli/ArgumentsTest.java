package org.pysandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The command line as {@link Arguments} reads it: where options end, what is refused, and what is kept verbatim. */
class ArgumentsTest {

    private static Arguments parse(String... args) throws Arguments.UsageException {
        return Arguments.parse(args);
    }

    @Test
    void optionsEndAtTheScriptAndEverythingAfterItBelongsToTheScript() throws Exception {
        Arguments a = parse("-f", "stdout", "script.py", "-f", "exit", "--timeout", "1s");
        assertThat(a.features()).containsExactly("stdout");
        assertThat(a.positional()).containsExactly("script.py", "-f", "exit", "--timeout", "1s");
        assertThat(a.timeout()).isNull();

        Arguments c = parse("-c", "print(argv)", "a", "-b", "--c");
        assertThat(c.code()).isEqualTo("print(argv)");
        assertThat(c.positional()).containsExactly("a", "-b", "--c");
    }

    @Test
    void codeEndsTheOptionsAsTheScriptNameDoes() throws Exception {
        Arguments a = parse("--timeout", "2s", "-c", "print(argv)", "-v", "-f", "stdout", "x", "--jit");
        assertThat(a.code()).isEqualTo("print(argv)");
        assertThat(a.positional()).containsExactly("-v", "-f", "stdout", "x", "--jit");
        assertThat(a.features()).isEmpty();
        assertThat(a.jit()).isFalse();
        assertThat(a.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(parse("-c", "print(argv)", "-1").positional()).containsExactly("-1");
        // attached, as python -c takes it, '=' included
        Arguments attached = parse("-f", "stdout", "-cx=1;print(x)", "a");
        assertThat(attached.code()).isEqualTo("x=1;print(x)");
        assertThat(attached.positional()).containsExactly("a");
        // -c as the value of the option before it is not taken for the code
        assertThatThrownBy(() -> parse("-f", "-c", "print(1)")).hasMessage("option '--feature' needs a value (NAME)");
    }

    @Test
    void aLongOptionWithOneDashIsRefusedNotTakenForTheOption() {
        // bin/pysandbox looks for --jit only: -jit must not pass as the option while the JIT stays off
        assertThatThrownBy(() -> parse("-jit", "x.py")).hasMessage("unknown option '-jit' (long options take two dashes)");
        assertThatThrownBy(() -> parse("-timeout", "5s", "x.py")).hasMessageContaining("unknown option '-timeout'");
        assertThatThrownBy(() -> parse("-feature", "stdout")).hasMessageContaining("unknown option '-feature'");
        assertThatThrownBy(() -> parse("-timeout=5s")).hasMessageContaining("unknown option '-timeout=5s'");
        assertThatThrownBy(() -> parse("-hx")).hasMessage("unknown option '-hx'");
        assertThatThrownBy(() -> parse("-Vx")).hasMessage("unknown option '-Vx'");
    }

    @Test
    void aMistypedOrAbbreviatedOptionIsAUsageErrorNotAScriptName() {
        assertThatThrownBy(() -> parse("--tmeout", "5s", "x.py")).isInstanceOf(Arguments.UsageException.class)
                .hasMessage("unknown option '--tmeout'");
        // long options are spelled out: a prefix would silently pick one of several
        assertThatThrownBy(() -> parse("--time", "5s", "-c", "1")).hasMessage("unknown option '--time'");
        assertThatThrownBy(() -> parse("-x")).hasMessage("unknown option '-x'");
    }

    @Test
    void doubleDashAllowsAScriptNameThatStartsWithADash() throws Exception {
        assertThat(parse("--", "-odd.py", "-v").positional()).containsExactly("-odd.py", "-v");
        assertThat(parse("-").positional()).containsExactly("-");
    }

    @Test
    void codeIsPassedVerbatimQuotesAndLeadingDashIncluded() throws Exception {
        assertThat(parse("-c", "\"quoted\"").code()).isEqualTo("\"quoted\"");
        assertThat(parse("-c", "'x'").code()).isEqualTo("'x'");
        assertThat(parse("-c", "-1").code()).isEqualTo("-1");
        assertThat(parse("-c", "-h").code()).isEqualTo("-h");
        assertThat(parse("-c", "--").code()).isEqualTo("--");
        assertThat(parse("-c", "").code()).isEqualTo("");
    }

    @Test
    void repeatableOptionsCollectEveryValueAndFeaturesSplitAtCommas() throws Exception {
        Arguments a = parse("-f", "stdout,math", "--feature", "exit", "-fregex", "--feature=time",
                "--allow-path", "/tmp/a", "--allow-path", "b", "--allow-module", "json:loads,dumps", "--allow-module", "math",
                "--allow-host", "com.example.A#get", "--jit", "-c", "1");
        assertThat(a.features()).containsExactly("stdout", "math", "exit", "regex", "time");
        assertThat(a.paths()).containsExactly(Path.of("/tmp/a"), Path.of("b"));
        assertThat(a.modules()).containsExactly("json:loads,dumps", "math");
        assertThat(a.hostAccess()).containsExactly("com.example.A#get");
        assertThat(a.jit()).isTrue();
    }

    @Test
    void valuesWithUnitsAreConvertedAndTheLastOccurrenceWins() throws Exception {
        Arguments a = parse("--timeout", "250ms", "--timeout", "2s", "--max-memory", "64m", "--max-output", "4k",
                "--recursion-limit", "12", "--isolation", "process", "-c", "1");
        assertThat(a.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(a.maxMemory()).isEqualTo(64L << 20);
        assertThat(a.maxOutput()).isEqualTo(4096L);
        assertThat(a.recursionLimit()).isEqualTo(12);
        assertThat(a.isolation()).isEqualTo("process");
        Arguments none = parse();
        assertThat(none.timeout()).isNull();
        assertThat(none.code()).isNull();
        assertThat(none.positional()).isEmpty();
        assertThat(none.help()).isFalse();
    }

    @Test
    void badValuesNameTheOptionAndWhatIsExpected() {
        assertThatThrownBy(() -> parse("--timeout", "soon", "-c", "1"))
                .hasMessage("invalid value for option '--timeout': 'soon' is not a duration; use 250ms, 1.5s, 2m, 1h or "
                        + "ISO-8601 like PT1M; a bare number is milliseconds");
        assertThatThrownBy(() -> parse("--max-memory", "lots")).hasMessageStartingWith("invalid value for option '--max-memory': 'lots' is not a size");
        assertThatThrownBy(() -> parse("--recursion-limit", "deep"))
                .hasMessage("invalid value for option '--recursion-limit': 'deep' is not a whole number of frames");
        assertThatThrownBy(() -> parse("-c")).hasMessage("option '-c' needs a value (CODE)");
        assertThatThrownBy(() -> parse("-f", "stdout", "-c")).hasMessage("option '-c' needs a value (CODE)");
        // numbers too large for their unit are refused as values, not thrown at the user as a Java exception
        assertThatThrownBy(() -> parse("--timeout", "9999999999999999h")).hasMessage("invalid value for option '--timeout': '9999999999999999h' is too long");
        assertThatThrownBy(() -> parse("--timeout", "99999999999999999999")).hasMessageEndingWith("is too long");
        assertThatThrownBy(() -> parse("--max-output", "99999999999999999999k")).hasMessageEndingWith("is too large");
        assertThatThrownBy(() -> parse("--timeout")).hasMessage("option '--timeout' needs a value (DURATION)");
    }

    @Test
    void helpListsEveryOptionTheExitStatusesAndTheFooter() throws Exception {
        assertThat(parse("--help").help()).isTrue();
        assertThat(parse("-h").help()).isTrue();
        assertThat(parse("-V").version()).isTrue();
        StringWriter text = new StringWriter();
        Arguments.printHelp(new PrintWriter(text, true), "FOOTER\n");
        String help = text.toString();
        for (String option : List.of("-c CODE", "-f, --feature NAME", "--allow-path PATH", "--allow-module NAME[:SYM,SYM]",
                "--allow-host SIGNATURE", "--timeout DURATION", "--max-memory SIZE", "--max-output SIZE",
                "--recursion-limit FRAMES", "--isolation MODE", "--jit", "-h, --help", "-V, --version")) {
            assertThat(help).contains("\n  " + option + " ");
        }
        assertThat(help).startsWith("Usage: pysandbox ").contains("Exit status:\n  0  success").endsWith("FOOTER\n");
    }
}
