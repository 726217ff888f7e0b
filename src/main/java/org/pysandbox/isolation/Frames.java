package org.pysandbox.isolation;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * The wire between a host and a worker process: frames of one type byte, a length and a payload, over
 * the worker's standard input and output.
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

    private Frames() {
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
