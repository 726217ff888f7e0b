package org.pysandbox.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.util.concurrent.TimeUnit;

import org.pysandbox.policy.HostInput;

/**
 * The REPL's standard input, shared by the prompt and by the script's {@code input()}. The sandbox reads
 * ahead in large blocks; handing it one line per read keeps it from swallowing the lines typed next.
 *
 * <p>A script's read of a terminal can outlive its statement (Ctrl-C or a timeout stops the statement, and
 * nothing unblocks a read of a terminal). Such a read went on taking keys typed at the next prompt, which the
 * line editor reads from the same terminal one key at a time (the first key of the next line went to the
 * stopped call). So a read of the terminal waits in short slices until a line (or the end) was typed
 * ({@link TerminalInputWait}), and the prompt takes the terminal back ({@link #takeBackForPrompt()}) before it
 * reads: a read still waiting stops at its next slice. What a stopped statement's read got is the prompt's.
 */
final class ConsoleInput extends Reader {
    /** Waits until a read of the terminal would not block ({@link TerminalInputWait}). */
    interface InputReady {
        /** True once a line or the end of input was typed; false after {@code millis}. */
        boolean await(int millis);
    }

    /** How long a read of the terminal waits before it checks whether the prompt wants the terminal back. */
    private static final int SLICE_MILLIS = 50;

    private final BufferedReader lines;
    /** The terminal's own input, unbuffered: bytes a buffer read ahead would be lost to the line editor. */
    private InputStream terminal;
    private CharsetDecoder decoder;
    /** Whether a read of the terminal would not block now, or within a slice. */
    private InputReady terminalReady;
    /** Bytes of a character not yet whole (a line is read a byte at a time). */
    private final ByteBuffer undecoded = ByteBuffer.allocate(16);
    private final CharBuffer decoded = CharBuffer.allocate(16);
    /** The rest of the line last read, not yet handed out. */
    private String pending = "";
    /** Text read from the terminal that does not end a line yet (never more than one line). */
    private final StringBuilder partial = new StringBuilder();
    /**
     * The terminal's end (Ctrl-D) was read right after part of a line (two presses before a read looked),
     * and the part went out alone: the read after it ends the input, as the terminal's own second end would.
     * The terminal hands out an end once, so the script's readline, which reads on for a line's end, would
     * have waited for another Ctrl-D (review 55).
     */
    private boolean endAfterPartial;
    /** Set while the prompt reads the terminal: a script's read of it returns at once with nothing. */
    private volatile boolean promptHasTerminal;

    ConsoleInput(Reader source) {
        this.lines = source instanceof BufferedReader b ? b : new BufferedReader(source);
    }

    /**
     * Reads from now on from the terminal (its file descriptor, which the prompt's line editor reads too).
     * Nothing may have been read from the first source: the REPL looks for the terminal while the interpreter
     * starts, and switches to it before the first prompt.
     */
    synchronized void readFromTerminal(InputStream input, Charset encoding, InputReady ready) {
        this.terminal = input;
        this.decoder = encoding.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        this.terminalReady = ready != null ? ready : byAvailableBytes(input);
    }

    /**
     * Without {@code poll(2)} (Java 21, native access denied): the whole lines the terminal holds, as its
     * {@code available()} (FIONREAD) tells, looked at every 10 ms. It does not see the end of input (Ctrl-D on
     * an empty line), so there input() waits on instead of raising EOFError. A read that blocked instead took
     * the lines typed at the prompt (review 55).
     */
    static InputReady byAvailableBytes(InputStream input) {
        return millis -> {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (true) {
                try {
                    if (input.available() > 0) {
                        return true;
                    }
                } catch (IOException e) {
                    return true; // the read reports it
                }
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    Thread.sleep(Math.max(1, Math.min(10, TimeUnit.NANOSECONDS.toMillis(left))));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        };
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

    /**
     * Called by the prompt before its line editor reads the terminal: stops a script's read still waiting for
     * the terminal, and returns what the terminal gave a stopped statement's read (to be shown in the prompt's
     * line for the user to run, edit or drop: it was typed for the script, not as code). Until
     * {@link #promptDone()} no read here waits for the terminal.
     */
    String takeBackForPrompt() {
        if (terminal == null) {
            return "";
        }
        promptHasTerminal = true;
        synchronized (this) {
            // a read waiting for the terminal holds this until its next slice sees the flag
        }
        // outside this lock: a read that got a line just now is kept by HostInput once it returns, after this lock
        String kept = HostInput.takeKept(this);
        synchronized (this) {
            String rest = pending + partial;
            pending = "";
            partial.setLength(0);
            endAfterPartial = false; // it ended a stopped statement's input, not the next one's
            return kept + rest;
        }
    }

    void promptDone() {
        promptHasTerminal = false;
    }

    @Override
    public synchronized int read(char[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (pending.isEmpty()) {
            String line = terminal != null ? terminalLine() : lineOf(lines.readLine());
            if (line == null) {
                return -1;
            }
            if (line.isEmpty()) {
                return 0; // the prompt took the terminal back
            }
            pending = line;
        }
        int n = Math.min(length, pending.length());
        pending.getChars(0, n, buffer, offset);
        pending = pending.substring(n);
        return n;
    }

    private static String lineOf(String withoutTerminator) {
        return withoutTerminator == null ? null : withoutTerminator + "\n";
    }

    /**
     * The next line of the terminal with its terminator, null at its end, "" when the prompt takes it back.
     * Read a byte at a time, up to the line's end: what follows stays in the terminal, for the line editor
     * (keys typed ahead at the prompt, in the editor's raw mode, arrive as one chunk of lines ended by CR;
     * review 53 found them all read by one input() and handed to the next).
     */
    private String terminalLine() throws IOException {
        if (endAfterPartial) {
            endAfterPartial = false;
            return null;
        }
        while (true) {
            if (promptHasTerminal && partial.isEmpty()) {
                return ""; // a read that begins after the prompt took the terminal back reads nothing of it
            }
            while (!terminalReady.await(SLICE_MILLIS)) { // returns as soon as a line (or the end) is there
                if (promptHasTerminal) {
                    return ""; // what was read of a line stays in partial, for the prompt
                }
            }
            int b = terminal.read(); // there is a byte, or the end (Ctrl-D): the read does not block
            if (b < 0) {
                decode(true);
                if (partial.isEmpty()) {
                    return null;
                }
                endAfterPartial = true;
                return takePartial();
            }
            // CR ends a line as LF does: the line editor's Enter in its raw mode (a LF after it ends another
            // line, as the editor itself takes it; pairing them swallowed a later empty answer, review 55)
            boolean lineEnd = b == '\n' || b == '\r';
            undecoded.put((byte) (lineEnd ? '\n' : b));
            decode(false);
            if (lineEnd) {
                return takePartial();
            }
            // Part of a line and nothing after it: what Ctrl-D gave out, or keys typed ahead while the line
            // editor had the terminal. It is the script's read's, as a read of the terminal returns it in
            // CPython (sys.stdin.read(3) after 'abc' and one Ctrl-D; input() reads on, and a second Ctrl-D
            // ends it); like a line the read got, it goes with its statement when that is stopped (review 58)
            if (!partial.isEmpty() && !terminalReady.await(0)) {
                return takePartial();
            }
        }
    }

    private String takePartial() {
        String line = partial.toString();
        partial.setLength(0);
        return line;
    }

    /** Moves what the bytes read so far decode to into partial; an unfinished character's bytes stay. */
    private void decode(boolean atEnd) {
        undecoded.flip();
        while (moveDecoded(decoder.decode(undecoded, decoded, atEnd))) {
            // decoded was full: decode on
        }
        if (atEnd) {
            while (moveDecoded(decoder.flush(decoded))) {
                // as above
            }
            decoder.reset();
        }
        undecoded.compact();
    }

    /** Appends what was decoded to partial; true when the decoder stopped because decoded was full. */
    private boolean moveDecoded(CoderResult result) {
        partial.append(decoded.flip());
        decoded.clear();
        return result.isOverflow();
    }

    @Override
    public synchronized void close() throws IOException {
        lines.close(); // not the terminal's input: that is the process's standard input, the terminal's to close
    }
}
