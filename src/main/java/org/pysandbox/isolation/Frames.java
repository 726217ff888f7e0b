package org.pysandbox.isolation;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The wire between a host and a worker process: frames of one type byte, a length and a payload, over
 * the worker's standard input and output. The worker's first frame follows a fixed preamble, before which
 * the host skips what the worker's JVM wrote to its standard output while it started (a JFR recording or
 * an agent the host's {@code JAVA_TOOL_OPTIONS} start there, and they announce themselves on stdout).
 */
final class Frames {
    /** Worker to host: the worker is warmed up and waits for its configuration. */
    static final byte HELLO = 'H';
    /** Host to worker: the tenant's configuration (a {@link WireConfig}). */
    static final byte CONFIGURE = 'C';
    /** Host to worker: a run (a {@link WireRequest}). */
    static final byte RUN = 'R';
    /** Host to worker: a call of a guest function (a {@link WireRequest}). */
    static final byte CALL = 'K';
    /** Host to worker: standard input text answering {@link #NEED_INPUT}; empty means end of input. */
    static final byte INPUT = 'I';
    /** Worker to host: text the script wrote to standard output / standard error. */
    static final byte OUT = 'O';
    static final byte ERR = 'E';
    /** Worker to host: the script reads standard input. */
    static final byte NEED_INPUT = 'N';
    /**
     * Worker to host, at most once per call and before anything else: the worker must first replace a lost
     * interpreter or let a stopped call settle, which is not the script's time (the host's clock then
     * allows {@code pysandbox.process.prepareMillis} for it).
     */
    static final byte PREPARING = 'P';
    /** Worker to host, once after {@link #PREPARING}: the script starts now, and its timeout counts from here. */
    static final byte STARTED = 'S';
    /** Worker to host: the outcome of a run or call (a {@link WireResponse}). */
    static final byte RESULT = 'V';

    /**
     * Written once by a worker, right before its first {@link #HELLO}: nothing a JVM or an agent prints
     * contains it (NUL bytes around a name), and no proper prefix of it is also a suffix, so the search
     * cannot lock on a partial copy in the noise before it (review 43).
     */
    static final byte[] PREAMBLE = "\0\0pysandbox-worker-protocol\n".getBytes(StandardCharsets.US_ASCII);
    /** The most a worker's JVM may write to its stdout before the preamble; what it wrote is logged. */
    static final int MAX_STARTUP_NOISE = 64 << 10;
    /** The most of a worker's noise that reaches the host's log or an exception. */
    static final int MAX_QUOTED_NOISE = 4 << 10;

    private Frames() {
    }

    /** What the host read before a worker's first frame. */
    record Hello(Frame frame, String noise) {
    }

    static void writeHello(DataOutputStream out, byte[] payload) throws IOException {
        synchronized (out) {
            out.write(PREAMBLE);
            write(out, HELLO, payload);
        }
    }

    /**
     * Reads a worker's first frame after skipping what came before its {@link #PREAMBLE}: at most
     * {@link #MAX_STARTUP_NOISE} bytes, returned as text for the host's log.
     */
    static Hello readHello(DataInputStream in, int maxFrame) throws IOException {
        byte[] seen = new byte[MAX_STARTUP_NOISE + PREAMBLE.length];
        int n = 0;
        while (n < PREAMBLE.length || !Arrays.equals(seen, n - PREAMBLE.length, n, PREAMBLE, 0, PREAMBLE.length)) {
            if (n == seen.length) { // full, and no preamble at its end: refused now, not after one more byte
                throw new BadFrameException("a worker JVM that wrote more than " + MAX_STARTUP_NOISE
                        + " bytes to its standard output before the protocol started (it wrote: "
                        + quoted(new String(seen, 0, n, StandardCharsets.UTF_8), 400) + ")", "startup noise");
            }
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the other side closed the channel"
                        + (n == 0 ? "" : " (it wrote: " + quoted(new String(seen, 0, n, StandardCharsets.UTF_8), 400) + ")"));
            }
            seen[n++] = (byte) b;
        }
        String noise = new String(seen, 0, n - PREAMBLE.length, StandardCharsets.UTF_8);
        return new Hello(read(in, maxFrame), noise);
    }

    /**
     * A worker's text made fit for the host's log and messages: at most {@code max} characters, line
     * breaks shown as {@code \n}, and control, C1, bidirectional and line-separator characters as '?', so
     * it can neither forge log lines nor steer a terminal (review 43).
     */
    static String quoted(String text, int max) {
        String s = text.strip();
        StringBuilder b = new StringBuilder(Math.min(s.length(), max) + 32);
        int i = 0;
        for (; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                b.append("\\n");
            } else if (c < 0x20 && c != '\t' || c >= 0x7f && c <= 0x9f || c >= 0x200b && c <= 0x200f
                    || c >= 0x2028 && c <= 0x202e || c >= 0x2066 && c <= 0x2069 || c == 0xfeff) {
                b.append('?');
            } else {
                b.append(c);
            }
        }
        return i == s.length() ? b.toString() : b + " [... " + (s.length() - i) + " more characters]";
    }

    record Frame(byte type, byte[] payload) {
    }

    /**
     * A header made of printable text is most likely a log line on the worker's stdout, not a frame (a
     * worker JVM started with -verbose:gc writes "[10.5..."): say so, instead of leaving a frame size of
     * hundreds of megabytes to puzzle over (review 43).
     */
    private static String textHint(int type, int length) {
        byte[] header = {(byte) type, (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
        for (byte b : header) {
            if (b < 0x20 || b > 0x7e) {
                return "";
            }
        }
        return "; its header reads as text (\"" + new String(header, StandardCharsets.US_ASCII) + "\"): something in the "
                + "worker's JVM writes to its standard output, the protocol's channel (options inherited through "
                + "JAVA_TOOL_OPTIONS, JDK_JAVA_OPTIONS or _JAVA_OPTIONS, or an agent)";
    }

    static void write(DataOutputStream out, byte type, byte[] payload) throws IOException {
        synchronized (out) {
            out.writeByte(type);
            out.writeInt(payload.length);
            out.write(payload);
            out.flush();
        }
    }

    /**
     * Reads one frame of at most {@code maxFrame} payload bytes. The length is a claim: the payload is
     * read in chunks and its array allocated only once the bytes have arrived, so a header that claims
     * more than the sender sends costs nothing but the wait (which the caller's deadline bounds).
     */
    static Frame read(DataInputStream in, int maxFrame) throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("the other side closed the channel");
        }
        int length = in.readInt();
        if (length < 0 || length > maxFrame) {
            throw new BadFrameException("a frame of " + Integer.toUnsignedString(length) + " bytes (limit " + maxFrame
                    + ")" + textHint(type, length), WireLimits.MAX_FRAME_PROPERTY);
        }
        byte[] payload = in.readNBytes(length); // InputStream.readNBytes: chunked, allocates what arrived
        if (payload.length != length) {
            throw new BadFrameException("a frame that ends after " + payload.length + " of its " + length + " bytes",
                    "truncated frame");
        }
        return new Frame((byte) type, payload);
    }
}
