package org.pysandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import javax.script.ScriptException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pysandbox.Sandbox;
import org.pysandbox.config.Feature;
import org.pysandbox.config.SandboxConfig;

/** The REPL's "is this input complete?" as the sandbox's own parser answers it (one interpreter for all). */
class InputCompletenessTest {
    private static Sandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = new Sandbox(SandboxConfig.builder().enable(Feature.INTERPRETER).build());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static boolean complete(String... lines) {
        return InputCompleteness.isComplete(List.of(lines), source -> {
            try {
                return InputCompleteness.parse(sandbox, source);
            } catch (ScriptException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void simpleStatementsAreComplete() {
        assertThat(complete("x = 1")).isTrue();
        assertThat(complete("print('a:')  # trailing colon in a comment:")).isTrue();
        assertThat(complete("d = {'a':", "  1}")).isTrue();
        assertThat(complete("s = 'unterminated")).isTrue(); // a syntax error the sandbox reports
        assertThat(complete("1 +* 2")).isTrue();
    }

    @Test
    void openBracketsStringsAndBackslashesContinue() {
        assertThat(complete("x = (1 +")).isFalse();
        assertThat(complete("x = [1,", " 2,")).isFalse();
        assertThat(complete("x = [1,", " 2,", "")).isFalse(); // as in CPython: a blank line does not close a bracket
        assertThat(complete("s = '''first")).isFalse();
        assertThat(complete("s = '''first", "second'''")).isTrue();
        assertThat(complete("x = 1 + \\")).isFalse();
        assertThat(complete("x = ')' + (")).isFalse();
        assertThat(complete("x = '[' + '('")).isTrue();
    }

    @Test
    void compoundStatementsEndWithABlankLine() {
        assertThat(complete("def f():")).isFalse();
        assertThat(complete("def f():", "    return 1")).isFalse();
        assertThat(complete("def f():", "    return 1", "")).isTrue();
        assertThat(complete("if x:", "    y = 1", "else:")).isFalse();
        assertThat(complete("@decorator")).isFalse();
        assertThat(complete("if (a and", "    b):", "    pass")).isFalse();
        assertThat(complete("class A: pass")).isTrue();
        assertThat(complete("try:", "    x", "")).isTrue(); // the missing except is reported, not waited for
    }
}
