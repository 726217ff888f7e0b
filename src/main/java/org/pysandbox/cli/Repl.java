package org.pysandbox.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import javax.script.ScriptException;

import org.pysandbox.Sandbox;
import org.pysandbox.error.ScriptExitException;
import org.pysandbox.error.ScriptTimeoutException;

/**
 * The interactive sandboxed interpreter (the original's {@code interpreter.py}): reads blocks of input,
 * runs each in one namespace that lives inside the sandbox, echoes expression values and prints errors as
 * Python tracebacks. Prompts and errors go to stderr and values to stdout, as with CPython.
 */
final class Repl {
    static final String PROMPT = "sandbox>>> ";
    static final String CONTINUATION = "... ";
    static final String FILE_NAME = "<stdin>";

    private final Sandbox sandbox;
    private final ConsoleInput in;
    private final PrintWriter out;
    private final PrintWriter err;

    Repl(Sandbox sandbox, ConsoleInput in, PrintWriter out, PrintWriter err) {
        this.sandbox = sandbox;
        this.in = in;
        this.out = out;
        this.err = err;
    }

    /** Runs until end of input or {@code exit()}; returns the process exit status. */
    int run(String banner) throws IOException {
        err.println(banner);
        err.flush();
        List<String> block = new ArrayList<>();
        while (true) {
            err.print(block.isEmpty() ? PROMPT : CONTINUATION);
            err.flush();
            String line = in.readLine();
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
            if (InputCompleteness.isComplete(block)) {
                Integer status = execute(block);
                block.clear();
                if (status != null) {
                    return status;
                }
            }
        }
    }

    /** Runs one complete input; returns an exit status when the session must end, else null. */
    private Integer execute(List<String> block) {
        String code = String.join("\n", block) + "\n";
        try {
            String shown = sandbox.interact(code, FILE_NAME);
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
            out.flush();
            err.print(Tracebacks.format(failure));
            if (failure instanceof ScriptTimeoutException) {
                err.println("(if the sandbox had to be reset to stop it, earlier definitions are gone)");
            }
            err.flush();
            return null;
        }
    }
}
