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
     * contains it (NUL bytes around a name).
     */
    static final byte[] PREAMBLE = "\0\0pysandbox-worker-protocol\0".getBytes(StandardCharsets.US_ASCII);
    /** The most a worker's JVM may write to its stdout before the preamble; what it wrote is logged. */
    static final int MAX_STARTUP_NOISE = 64 << 10;

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
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the other side closed the channel" + noiseSuffix(seen, n));
            }
            if (n == seen.length) {
                throw new BadFrameException("a worker JVM that wrote more than " + MAX_STARTUP_NOISE
                        + " bytes to its standard output before the protocol started" + noiseSuffix(seen, n),
                        "startup noise");
            }
            seen[n++] = (byte) b;
        }
        String noise = new String(seen, 0, n - PREAMBLE.length, StandardCharsets.UTF_8);
        return new Hello(read(in, maxFrame), noise);
    }

    private static String noiseSuffix(byte[] seen, int n) {
        if (n == 0) {
            return "";
        }
        String text = new String(seen, 0, Math.min(n, 400), StandardCharsets.UTF_8).strip()
                .replaceAll("[\\p{Cntrl}&&[^\n\t]]", "?");
        return " (it wrote: " + text + (n > 400 ? " ..." : "") + ")";
    }

    record Frame(byte type, byte[] payload) {
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
                    + ")", WireLimits.MAX_FRAME_PROPERTY);
        }
        byte[] payload = in.readNBytes(length); // InputStream.readNBytes: chunked, allocates what arrived
        if (payload.length != length) {
            throw new BadFrameException("a frame that ends after " + payload.length + " of its " + length + " bytes",
                    "truncated frame");
        }
        return new Frame((byte) type, payload);
    }
}
