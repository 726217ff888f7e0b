package org.pysandbox.cli;

import java.util.List;
import java.util.function.Function;

import javax.script.ScriptException;

import org.pysandbox.error.PythonFrame;
import org.pysandbox.error.PythonScriptException;
import org.pysandbox.error.ResourceLimitException;
import org.pysandbox.error.SandboxViolationException;
import org.pysandbox.error.ScriptExitException;
import org.pysandbox.error.ScriptInterruptedException;
import org.pysandbox.error.Surface;

/**
 * Formats a script failure the way CPython prints an uncaught exception: "Traceback", then each frame of the
 * script's own code with its source line, then {@code Type: message}; a syntax error shows the line with a
 * caret under the column. Hints name the command-line option that would allow or raise something.
 */
final class Tracebacks {
    private Tracebacks() {
    }

    /** The source line {@code n} (1-based) of a file the command knows, or null. */
    interface SourceLines {
        String line(String fileName, int n);

        SourceLines NONE = (file, n) -> null;

        /** Lines of one source text under one file name. */
        static SourceLines of(String fileName, String source) {
            List<String> lines = source == null ? List.of() : source.lines().toList();
            return (file, n) -> fileName.equals(file) && n >= 1 && n <= lines.size() ? lines.get(n - 1) : null;
        }

        default SourceLines or(SourceLines other) {
            return (file, n) -> {
                String line = line(file, n);
                return line != null ? line : other.line(file, n);
            };
        }

        static SourceLines from(Function<String, String> sources) {
            return (file, n) -> of(file, sources.apply(file)).line(file, n);
        }
    }

    static String format(ScriptException failure) {
        return format(failure, SourceLines.NONE);
    }

    static String format(ScriptException failure, SourceLines sources) {
        if (failure instanceof ScriptExitException exit) {
            // Python prints a non-integer exit status and nothing else.
            Object status = exit.getStatus();
            return status == null || status instanceof Number ? "" : status + "\n";
        }
        StringBuilder text = new StringBuilder();
        String kind = failure instanceof PythonScriptException p ? p.getPythonType() : null;
        if (isSyntax(kind)) {
            syntaxError(text, (PythonScriptException) failure, sources);
            return text.toString();
        }
        text.append("Traceback (most recent call last):\n");
        List<PythonFrame> frames = failure instanceof PythonScriptException p ? p.getPythonFrames() : List.of();
        if (!frames.isEmpty()) {
            for (PythonFrame f : frames) {
                frame(text, f.fileName(), f.lineNumber(), f.function(), sources);
            }
        } else if (failure.getFileName() != null) {
            frame(text, failure.getFileName(), failure.getLineNumber(), "<module>", sources);
        }
        if (failure instanceof SandboxViolationException v) {
            SandboxViolationException here = v.forSurface(Surface.COMMAND_LINE);
            text.append(here.getPythonType()).append(": ").append(here.getPythonMessage());
        } else if (failure instanceof PythonScriptException p) {
            text.append(p.getPythonType());
            String message = p.getPythonMessage();
            if (message != null && !message.isEmpty()) {
                text.append(": ").append(message);
            }
        } else if (failure instanceof ResourceLimitException limit) {
            String option = Surface.COMMAND_LINE.renderLimit(limit.getSetting());
            text.append(failure.getClass().getSimpleName().replace("Exception", "Error")).append(": ")
                    .append(stripPosition(failure).replace(" (" + limit.getSetting() + ")", "")
                            .replace("raise " + limit.getSetting(), "raise " + option));
        } else if (isInterrupt(failure)) {
            text.setLength(0);
            text.append("KeyboardInterrupt");
        } else {
            text.append("SandboxError: ").append(stripPosition(failure));
        }
        text.append('\n');
        return text.toString();
    }

    /** The REPL stops a statement on Ctrl-C by interrupting the thread waiting for it. */
    static boolean isInterrupt(ScriptException failure) {
        return failure instanceof ScriptInterruptedException;
    }

    /** A syntax error: its position is in the source just given, not in code defined earlier. */
    static boolean isSyntax(ScriptException failure) {
        return failure instanceof PythonScriptException p && isSyntax(p.getPythonType());
    }

    private static boolean isSyntax(String kind) {
        return kind != null && (kind.equals("SyntaxError") || kind.equals("IndentationError")
                || kind.equals("TabError"));
    }

    private static void frame(StringBuilder text, String file, int line, String function, SourceLines sources) {
        text.append("  File \"").append(file).append('"');
        if (line > 0) {
            text.append(", line ").append(line);
        }
        text.append(", in ").append(function).append('\n');
        String source = line > 0 ? sources.line(file, line) : null;
        if (source != null && !source.isBlank()) {
            text.append("    ").append(source.strip()).append('\n');
        }
    }

    /** CPython's form: the file and line, the stripped source line, a caret under the column. */
    private static void syntaxError(StringBuilder text, PythonScriptException failure, SourceLines sources) {
        String file = failure.getFileName();
        int line = failure.getLineNumber();
        int column = failure.getColumnNumber();
        if (file != null && line > 1 && sources.line(file, line) == null) {
            // GraalPy places an error at the end of the input on the line after it (CPython: the end of the
            // last line), e.g. "def g()" alone: show it where CPython does
            for (int last = line - 1; last >= 1; last--) {
                String candidate = sources.line(file, last);
                if (candidate != null && !candidate.isBlank()) {
                    line = last;
                    column = candidate.stripTrailing().length() + 1;
                    break;
                }
            }
        }
        if (file != null) {
            text.append("  File \"").append(file).append('"');
            if (line > 0) {
                text.append(", line ").append(line);
            }
            text.append('\n');
        }
        String source = line > 0 && file != null ? sources.line(file, line) : null;
        if (source != null) {
            String stripped = source.stripLeading();
            text.append("    ").append(stripped.stripTrailing()).append('\n');
            if (column > 0) {
                int caret = Math.max(0, Math.min(column - 1 - (source.length() - stripped.length()),
                        stripped.stripTrailing().length()));
                text.append("    ").append(" ".repeat(caret)).append("^\n");
            }
        }
        text.append(failure.getPythonType());
        String message = failure.getPythonMessage();
        if (message != null && !message.isEmpty()) {
            text.append(": ").append(message);
        }
        text.append('\n');
    }

    /** ScriptException appends " in FILE at line number N" to its message; the traceback already says that. */
    private static String stripPosition(ScriptException failure) {
        String message = failure.getMessage();
        int at = failure.getFileName() == null ? -1 : message.lastIndexOf(" in " + failure.getFileName());
        return at > 0 ? message.substring(0, at) : message;
    }
}
