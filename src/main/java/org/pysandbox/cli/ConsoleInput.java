package org.pysandbox.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;

import org.pysandbox.policy.HostInput;

/**
 * The REPL's standard input, shared by the prompt and by the script's {@code input()}. The sandbox reads
 * ahead in large blocks; handing it one line per read keeps it from swallowing the lines typed next.
 */
final class ConsoleInput extends Reader {
    private BufferedReader source;
    private String pending = "";

    ConsoleInput(Reader source) {
        readFrom(source);
    }

    /**
     * Reads from now on from another source (the terminal, once it is found: the REPL looks for it while
     * the interpreter starts). Nothing may have been read from the first one.
     */
    synchronized void readFrom(Reader source) {
        this.source = source instanceof BufferedReader b ? b : new BufferedReader(source);
    }

    /**
     * The next line without its terminator, or null at end of input. Read as the script's input() reads,
     * through HostInput: a line that a stopped input() was still waiting for when it was typed is the
     * prompt's, not lost to the stopped call nor left for a later input().
     */
    String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        char[] buffer = new char[8192];
        while (true) {
            // each read ends at a line's end at the latest (read below hands out one line at a time)
            int n = HostInput.read(this, buffer, 0, buffer.length, () -> true);
            if (n < 0) {
                return line.isEmpty() ? null : line.toString();
            }
            line.append(buffer, 0, n);
            if (line.charAt(line.length() - 1) == '\n') {
                return line.substring(0, line.length() - 1);
            }
        }
    }

    @Override
    public synchronized int read(char[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (pending.isEmpty()) {
            String line = source.readLine();
            if (line == null) {
                return -1;
            }
            pending = line + "\n";
        }
        int n = Math.min(length, pending.length());
        pending.getChars(0, n, buffer, offset);
        pending = pending.substring(n);
        return n;
    }

    @Override
    public synchronized void close() throws IOException {
        source.close();
    }
}
