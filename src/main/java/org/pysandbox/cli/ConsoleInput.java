package org.pysandbox.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;

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

    /** The next line without its terminator, or null at end of input. */
    synchronized String readLine() throws IOException {
        if (!pending.isEmpty()) {
            int nl = pending.indexOf('\n');
            String line = nl < 0 ? pending : pending.substring(0, nl);
            pending = nl < 0 ? "" : pending.substring(nl + 1);
            return line;
        }
        return source.readLine();
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
