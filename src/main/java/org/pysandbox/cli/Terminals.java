package org.pysandbox.cli;

import java.io.IOException;

import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/** The process's terminal for the REPL, when there is one (stdin and stdout not redirected, TERM not dumb). */
final class Terminals {
    private Terminals() {
    }

    /** The system terminal, or null when the REPL should read plain lines (a pipe, a file, a dumb terminal). */
    static Terminal interactive() {
        try {
            Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).nativeSignals(true).build();
            if (terminal.getType().startsWith(Terminal.TYPE_DUMB)) {
                terminal.close();
                return null;
            }
            return terminal;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static void close(Terminal terminal) {
        if (terminal != null) {
            try {
                terminal.close();
            } catch (IOException ignored) {
                // leaving anyway
            }
        }
    }
}
