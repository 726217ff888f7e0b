package org.pysandbox.cli;

import java.util.List;

/**
 * Decides whether the lines typed at the REPL form a complete statement, with the rules of Python's
 * {@code codeop} as seen by a user: open brackets, an unterminated triple-quoted string or a trailing
 * backslash continue the input; a compound statement (a line ending in {@code :}, or a decorator) continues
 * until a blank line. Syntax errors are not judged here: complete input goes to the sandbox, which reports them.
 */
final class InputCompleteness {
    private InputCompleteness() {
    }

    static boolean isComplete(List<String> lines) {
        if (lines.isEmpty()) {
            return true;
        }
        Scan scan = scan(String.join("\n", lines));
        if (scan.depth > 0 || scan.inTripleQuote || scan.continuation) {
            return false;
        }
        boolean compound = lines.get(0).strip().startsWith("@") || scan.opensBlock;
        if (compound) {
            return lines.get(lines.size() - 1).isBlank();
        }
        return true;
    }

    private static final class Scan {
        int depth;
        boolean inTripleQuote;
        boolean continuation;
        /** Some line ends, outside brackets, strings and comments, with the colon of a compound statement. */
        boolean opensBlock;
        char lastCode = ' ';
    }

    /** A small tokenizer: tracks brackets, strings and comments, which is all completeness needs. */
    private static Scan scan(String text) {
        Scan s = new Scan();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '#') {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            if (c == '\'' || c == '"') {
                boolean triple = i + 2 < n && text.charAt(i + 1) == c && text.charAt(i + 2) == c;
                int end = triple ? text.indexOf(String.valueOf(c).repeat(3), i + 3) : -1;
                if (triple) {
                    while (end > 0 && isEscaped(text, end)) {
                        end = text.indexOf(String.valueOf(c).repeat(3), end + 1);
                    }
                    if (end < 0) {
                        s.inTripleQuote = true;
                        return s;
                    }
                    s.lastCode = '"';
                    i = end + 3;
                    continue;
                }
                int j = i + 1;
                while (j < n && text.charAt(j) != c && text.charAt(j) != '\n') {
                    j += text.charAt(j) == '\\' ? 2 : 1;
                }
                // An unterminated one-line string is a syntax error that the sandbox will report.
                s.lastCode = '"';
                i = Math.min(j + 1, n);
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                s.depth++;
            } else if ((c == ')' || c == ']' || c == '}') && s.depth > 0) {
                s.depth--;
            }
            if (c == '\n') {
                endOfLine(s);
            } else if (!Character.isWhitespace(c)) {
                s.lastCode = c;
            }
            i++;
        }
        endOfLine(s);
        String trimmed = stripTrailingNewlines(text);
        s.continuation = trimmed.endsWith("\\") && !trimmed.endsWith("\\\\");
        return s;
    }

    private static void endOfLine(Scan s) {
        if (s.depth == 0 && s.lastCode == ':') {
            s.opensBlock = true;
        }
        s.lastCode = ' ';
    }

    private static boolean isEscaped(String text, int at) {
        int backslashes = 0;
        for (int k = at - 1; k >= 0 && text.charAt(k) == '\\'; k--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    private static String stripTrailingNewlines(String text) {
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        return text.substring(0, end);
    }
}
