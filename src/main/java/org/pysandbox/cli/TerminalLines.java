package org.pysandbox.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jline.reader.Candidate;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.MaskingCallback;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.pysandbox.Sandbox;

/**
 * REPL input from a terminal through JLine: line editing, a persistent history, and Tab completion of the
 * names in the sandbox's namespace. Ctrl-C at the prompt drops the line; while a statement runs it
 * interrupts the statement (the terminal's SIGINT handler calls the {@link Evaluator}).
 */
final class TerminalLines implements Repl.Lines {
    /** System property, then environment variable, naming the history file (default ~/.pysandbox_history). */
    static final String HISTORY_PROPERTY = "pysandbox.history";
    static final String HISTORY_VARIABLE = "PYSANDBOX_HISTORY";

    private final LineReader reader;
    private final ConsoleInput console;
    /** What a stopped statement's input() got after its stop, taken back for the next prompt's line. */
    private final StringBuilder carried = new StringBuilder();

    /** {@code console} reads the same terminal for the script's input(); the prompt takes it back first. */
    TerminalLines(Terminal terminal, Evaluator evaluator, ConsoleInput console) {
        this.console = console;
        this.reader = LineReaderBuilder.builder().terminal(terminal).appName("pysandbox")
                .parser(new WordParser())
                .completer(new NameCompleter(evaluator))
                .variable(LineReader.HISTORY_FILE, historyFile())
                .variable(LineReader.HISTORY_SIZE, 1000)
                // Python code is not a shell line: '!' and '\' mean nothing to the editor
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                // Tab at the start of a line indents, as in CPython's REPL
                .option(LineReader.Option.INSERT_TAB, true)
                .option(LineReader.Option.AUTO_FRESH_LINE, true)
                .build();
        terminal.handle(Terminal.Signal.INT, signal -> evaluator.interrupt());
    }

    static Path historyFile() {
        String configured = System.getProperty(HISTORY_PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(HISTORY_VARIABLE);
        }
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".pysandbox_history");
    }

    @Override
    public void reclaim() {
        carried.append(console.takeBackForPrompt());
    }

    @Override
    public String read(String prompt) throws IOException {
        // typed for a stopped statement's input(): shown in the line, to run, edit or drop, never run unseen
        carried.append(console.takeBackForPrompt());
        String line = carried.toString().replaceAll("\\R$", "");
        carried.setLength(0);
        try {
            return reader.readLine(prompt, null, (MaskingCallback) null, line.isEmpty() ? null : line);
        } catch (UserInterruptException e) {
            throw new Repl.Cancelled();
        } catch (EndOfFileException e) {
            return null;
        } finally {
            console.promptDone();
            reader.getTerminal().flush();
        }
    }

    /** The line as one word: the dotted name that ends at the cursor, which is all completion needs. */
    private static final class WordParser implements Parser {
        private static final Pattern NAME = Pattern.compile("[\\p{L}_][\\p{L}\\p{N}_]*(?:\\.[\\p{L}_][\\p{L}\\p{N}_]*)*\\.?$");

        @Override
        public ParsedLine parse(String line, int cursor, ParseContext context) {
            Matcher m = NAME.matcher(line.substring(0, Math.min(cursor, line.length())));
            String word = m.find() ? m.group() : "";
            return new Word(line, cursor, word);
        }
    }

    private record Word(String line, int cursor, String word) implements CompletingParsedLine {
        @Override
        public int wordCursor() {
            return word.length();
        }

        @Override
        public int wordIndex() {
            return 0;
        }

        @Override
        public List<String> words() {
            return List.of(word);
        }

        @Override
        public CharSequence escape(CharSequence candidate, boolean complete) {
            return candidate;
        }

        @Override
        public int rawWordCursor() {
            return word.length();
        }

        @Override
        public int rawWordLength() {
            return word.length();
        }
    }

    /**
     * Completes a name from the session's namespace and the builtins, or an attribute of a dotted name
     * ({@code data.app} -> {@code data.append}) from {@code dir()} of the object. The lookup runs in the
     * sandbox like any input (confined, under the timeout); only names are evaluated, never calls.
     */
    private static final class NameCompleter implements Completer {
        private static final long LOOKUP_MILLIS = 2000;
        private final Evaluator evaluator;

        NameCompleter(Evaluator evaluator) {
            this.evaluator = evaluator;
        }

        @Override
        public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
            String word = line.word();
            if (word.isEmpty()) {
                return;
            }
            int dot = word.lastIndexOf('.');
            String owner = dot < 0 ? null : word.substring(0, dot);
            String prefix = dot < 0 ? word : word.substring(dot + 1);
            String expression = owner == null ? "set(dir()) | set(dir(__builtins__))" : "dir(" + owner + ")";
            String code = "' '.join(sorted(n for n in " + expression + " if n.startswith('" + prefix + "')"
                    + (prefix.startsWith("_") ? "" : " and not n.startswith('_')") + "))";
            // never into a new namespace: the REPL says before the next input that the old one is gone
            Sandbox sandbox = evaluator.sandbox();
            String names = evaluator.callIfIdle(
                    () -> sandbox.interactiveSessionLost() ? null : sandbox.interact(code, "<completion>"),
                    LOOKUP_MILLIS);
            if (names == null || names.length() < 2) {
                return;
            }
            // repr() of a str of identifiers joined by spaces: identifiers hold no quotes or escapes
            for (String name : names.substring(1, names.length() - 1).split(" ")) {
                if (!name.isEmpty()) {
                    String full = owner == null ? name : owner + "." + name;
                    candidates.add(new Candidate(full, name, null, null, null, null, true));
                }
            }
        }
    }
}
