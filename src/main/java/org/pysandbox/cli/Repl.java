package org.pysandbox.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import javax.script.ScriptException;

import org.pysandbox.error.ScriptExitException;

/**
 * The interactive sandboxed interpreter: reads blocks of input (complete when the Python parser says so),
 * runs each in one namespace that lives inside the sandbox, echoes expression values and prints errors as
 * Python tracebacks. Prompts and errors go to stderr and values to stdout, as with CPython. Where the lines
 * come from (a terminal with line editing, or a pipe) is the {@link Lines}' business.
 */
final class Repl {
    static final String PROMPT = "sandbox>>> ";
    static final String CONTINUATION = "... ";
    static final String FILE_NAME = "<stdin>";
    /**
     * Said after an input whose stop cost the interpreter (a builtin that does not yield to the interrupt):
     * the next input starts in a new namespace, which the user would otherwise find out from a NameError.
     */
    static final String SESSION_LOST = "(stopping it cost the sandbox its interpreter: the next input starts a new one, "
            + "and earlier definitions are gone)";
    /**
     * Said before an input runs when something else cost the session's interpreter: a completion lookup, or
     * the check whether this input is complete (a limit stopped it in a long literal).
     */
    static final String SESSION_LOST_EARLIER = "(the sandbox lost its interpreter before this input ran: it runs in a "
            + "new one, and earlier definitions are gone)";
    /**
     * Said after Ctrl-C while an input waited for its completeness check, when stopping what ran then cost the
     * interpreter: the check of a huge literal, or a completion lookup still running in the session. The
     * dropped input did not run, so "stopping it" would blame it for a lookup's cost.
     */
    static final String SESSION_LOST_ON_CANCEL = "(stopping what the sandbox was running cost it its interpreter: the "
            + "next input starts a new one, and earlier definitions are gone)";

    /** Where input lines come from. */
    interface Lines {
        /** The next line without its terminator, or null at end of input; throws {@link Cancelled} on Ctrl-C. */
        String read(String prompt) throws IOException;

        /**
         * Takes the input back from a stopped statement's {@code input()} now, instead of at the next read: the
         * stop waits (briefly) for that read to return before it interrupts the guest, and an interrupt inside
         * the read costs the interpreter. So nothing may wait for the stop to settle before this.
         */
        default void reclaim() {
        }
    }

    /** Ctrl-C at the prompt: the line (and the block being typed) is dropped. */
    static final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super(null, null, false, false);
        }
    }

    private final Evaluator evaluator;
    private final Lines lines;
    private final PrintWriter out;
    private final PrintWriter err;
    /** The user was told that the session's namespace is gone; the next input's run makes a new one. */
    private boolean lossReported;

    Repl(Evaluator evaluator, Lines lines, PrintWriter out, PrintWriter err) {
        this.evaluator = evaluator;
        this.lines = lines;
        this.out = out;
        this.err = err;
    }

    /** Runs until end of input or {@code exit()}; returns the process exit status. */
    int run(String banner) throws IOException {
        err.println(banner);
        err.flush();
        List<String> block = new ArrayList<>();
        boolean answered = false;
        while (true) {
            String line;
            try {
                line = lines.read(block.isEmpty() ? PROMPT : CONTINUATION);
            } catch (Cancelled c) {
                drop(block);
                continue;
            }
            if (line == null) {
                err.println();
                err.flush();
                if (!block.isEmpty() && !String.join("", block).isBlank()) {
                    Integer status = execute(block);
                    if (status != null) {
                        return status;
                    }
                }
                return ExitStatus.OK;
            }
            if (block.isEmpty() && line.isBlank()) {
                continue;
            }
            block.add(line);
            boolean complete;
            try {
                complete = InputCompleteness.isComplete(block, this::parse);
            } catch (Cancelled c) { // Ctrl-C while the parser's answer waited for the interpreter to start
                drop(block);
                // or while a huge literal was parsed, or behind a completion lookup: either may not yield to it
                reportSessionLoss(SESSION_LOST_ON_CANCEL);
                continue;
            }
            if (complete) {
                Integer status = execute(block);
                if (!answered) {
                    answered = true;
                    StartupTimer.mark("first answer");
                }
                block.clear();
                if (status != null) {
                    return status;
                }
            }
        }
    }

    /** Ctrl-C before the input ran: the block being typed is dropped, as CPython's REPL does. */
    private void drop(List<String> block) {
        err.println("KeyboardInterrupt");
        err.flush();
        block.clear();
    }

    /**
     * The parser's SyntaxError message for source, or null when it parses (or could not be asked); throws
     * {@link Cancelled} when Ctrl-C stopped the question, so that the input is dropped, not run.
     */
    private String parse(String source) {
        try {
            return evaluator.call(() -> InputCompleteness.parse(evaluator.sandbox(), source), err);
        } catch (ScriptException e) {
            if (Tracebacks.isInterrupt(e)) {
                throw new Cancelled();
            }
            // The run reports whatever went wrong, and says first if this cost the session. Not reported here:
            // a cold interpreter's first check can outlast a short timeout that the run itself meets.
            return null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Runs one complete input; returns an exit status when the session must end, else null. */
    private Integer execute(List<String> block) {
        String code = String.join("\n", block) + "\n";
        reportSessionLoss(SESSION_LOST_EARLIER);
        lossReported = false; // this run makes the new namespace
        try {
            String shown = evaluator.call(() -> evaluator.sandbox().interact(code, FILE_NAME), err);
            out.flush();
            if (shown != null) {
                out.println(shown);
                out.flush();
            }
            return null;
        } catch (ScriptExitException exit) {
            out.flush();
            err.print(Tracebacks.format(exit));
            err.flush();
            return exit.exitCode();
        } catch (ScriptException failure) {
            report(failure, code);
            return null;
        }
    }

    /** Shows a failed input's traceback, then whether stopping it cost the session. */
    private void report(ScriptException failure, String code) {
        out.flush();
        // a syntax error is in this input, so its line can be shown; a frame's line may be in an earlier
        // input under the same name, so tracebacks show none for <stdin> (as CPython 3.12 does)
        err.print(Tracebacks.format(failure, Tracebacks.isSyntax(failure)
                ? Tracebacks.SourceLines.of(FILE_NAME, code) : Tracebacks.SourceLines.NONE));
        err.flush();
        lines.reclaim(); // before the question below waits for the stop: see Lines.reclaim
        reportSessionLoss(SESSION_LOST);
    }

    /** Says once per lost namespace that it is gone (the question waits, bounded, for a stop to settle). */
    private void reportSessionLoss(String note) {
        if (!lossReported && evaluator.sandbox().interactiveSessionLost()) {
            lossReported = true;
            err.println(note);
            err.flush();
        }
    }
}
