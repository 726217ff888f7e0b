package org.pysandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class InputCompletenessTest {
    private static boolean complete(String... lines) {
        return InputCompleteness.isComplete(List.of(lines));
    }

    @Test
    void simpleStatementsAreComplete() {
        assertThat(complete("x = 1")).isTrue();
        assertThat(complete("print('a:')  # trailing colon in a comment:")).isTrue();
        assertThat(complete("d = {'a':", "  1}")).isTrue();
        assertThat(complete("s = 'unterminated")).isTrue(); // a syntax error the sandbox reports
    }

    @Test
    void openBracketsStringsAndBackslashesContinue() {
        assertThat(complete("x = (1 +")).isFalse();
        assertThat(complete("x = [1,", " 2,")).isFalse();
        assertThat(complete("s = '''first")).isFalse();
        assertThat(complete("s = '''first", "second'''")).isTrue();
        assertThat(complete("x = 1 + \\")).isFalse();
        assertThat(complete("x = ')' + (")).isFalse();
    }

    @Test
    void compoundStatementsEndWithABlankLine() {
        assertThat(complete("def f():")).isFalse();
        assertThat(complete("def f():", "    return 1")).isFalse();
        assertThat(complete("def f():", "    return 1", "")).isTrue();
        assertThat(complete("@decorator")).isFalse();
        assertThat(complete("if (a and", "    b):", "    pass")).isFalse();
        assertThat(complete("class A: pass")).isTrue() ;
    }
}
