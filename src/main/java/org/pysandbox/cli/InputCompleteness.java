package org.pysandbox.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.script.ScriptException;

import org.pysandbox.Sandbox;

/**
 * Decides whether the lines typed at the REPL form a complete input, as CPython's REPL does, by asking the
 * Python parser (see {@link Parser}) rather than by reading the characters: input that parses runs unless it
 * ends inside an indented block (which a blank line ends); input whose error is that it ended too early (an
 * open bracket, an unterminated triple-quoted string, a trailing backslash, a block still expected) waits for
 * more lines; any other syntax error runs at once, so that the sandbox reports it with its line and caret.
 */
final class InputCompleteness {
    /** The parser's verdict on a source: null when it parses, else its SyntaxError message. */
    @FunctionalInterface
    interface Parser {
        String problem(String source);
    }

    /** Errors that only mean "more input follows", even after a blank line (CPython keeps prompting too). */
    private static final List<String> OPEN = List.of("was never closed", "unterminated triple-quoted string",
            "unexpected EOF while parsing", "incomplete input", "unexpected end of file");
    /** Errors that mean a block is expected: more input follows unless the user ended it with a blank line. */
    private static final List<String> BLOCK = List.of("expected an indented block", "expected 'except' or 'finally'");

    /**
     * The sandbox's own parser: {@code compile()} in a fresh namespace of the same interpreter (the REPL has
     * feature {@code interpreter}, which {@code compile} needs). The source travels as a global, so the code
     * run is always the same text. At module level, so that it needs no more frames than the input itself:
     * a function here failed every check under {@code --recursion-limit 1}, and a block's first line then ran
     * alone.
     */
    private static final String PARSE = String.join("\n",
            "try:",
            "    compile(source, '<stdin>', 'exec')",
            "    problem = None",
            "except SyntaxError as e:",
            "    problem = str(e.msg)",
            "problem", "");

    private InputCompleteness() {
    }

    /** The SyntaxError message of source as the sandbox's parser sees it, or null when it parses. */
    static String parse(Sandbox sandbox, String source) throws ScriptException {
        Map<String, Object> globals = new HashMap<>();
        globals.put("source", source);
        return sandbox.eval(PARSE, globals) instanceof String problem ? problem : null;
    }

    static boolean isComplete(List<String> lines, Parser parser) {
        if (lines.isEmpty()) {
            return true;
        }
        boolean endedByBlankLine = lines.size() > 1 && lines.get(lines.size() - 1).isBlank();
        String problem = parser.problem(String.join("\n", lines) + "\n");
        if (problem == null) {
            return endedByBlankLine || !opensBlock(lines, parser);
        }
        if (OPEN.stream().anyMatch(problem::contains)) {
            return false;
        }
        if (BLOCK.stream().anyMatch(problem::contains)) {
            return endedByBlankLine;
        }
        // a decorator alone is invalid until the definition under it follows
        if (lines.get(0).strip().startsWith("@") && !endedByBlankLine) {
            return false;
        }
        return true;
    }

    /**
     * The input is a compound statement typed over several lines (its first logical line alone expects a
     * block, or is a decorator): as in CPython's REPL, only a blank line ends it, since the user may add a
     * clause. The first logical line is found by parsing growing prefixes (it may span lines in brackets).
     */
    private static boolean opensBlock(List<String> lines, Parser parser) {
        if (lines.size() < 2) {
            return false;
        }
        if (lines.get(0).strip().startsWith("@")) {
            return true;
        }
        for (int k = 1; k < lines.size(); k++) {
            String problem = parser.problem(String.join("\n", lines.subList(0, k)) + "\n");
            if (problem == null) {
                return false;
            }
            if (BLOCK.stream().anyMatch(problem::contains)) {
                return true;
            }
        }
        return false;
    }
}
