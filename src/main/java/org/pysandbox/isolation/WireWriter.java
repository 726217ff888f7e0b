package org.pysandbox.isolation;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Writes the tagged data format that {@link WireReader} reads (see {@link WireTags}). Only data is
 * written; any other object first goes through {@code replace} (the worker turns its guest objects
 * into handles there), and what is still not data fails the message.
 */
final class WireWriter {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out;
    private final UnaryOperator<Object> replace;
    private final int maxDepth;
    private final String what;
    /** The reader's per-value rules, checked as values are written; null for none. */
    private WireLimits values;

    /**
     * A writer that refuses to grow past {@code maxBytes}, saying that {@code what} is too large: a message is
     * checked against the frame limit as it is written, not once written (review 33: 300 references to one
     * 15-MiB string, each within the limits, filled the host's heap before the size check; review 34: the
     * worker's result, the same way, cost it its heap and the tenant's state).
     */
    WireWriter(UnaryOperator<Object> replace, int maxDepth, int maxBytes, String what) {
        this.replace = replace;
        this.maxDepth = maxDepth;
        this.what = what;
        this.out = new DataOutputStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                room(1);
                bytes.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                room(len);
                bytes.write(b, off, len);
            }

            private void room(int n) throws IOException {
                if (bytes.size() + (long) n > maxBytes) {
                    throw new IOException(what + " takes more than " + maxBytes + " bytes, the most one message "
                            + "between a host and its worker process may take");
                }
            }
        });
    }

    /** Also refuses what {@code limits}' reader would: a longer str, bytes or int, a larger collection. */
    WireWriter checking(WireLimits limits) {
        this.values = limits;
        return this;
    }

    /** A str, bytes or int: its bytes on the wire against the reader's maxString. */
    private void checkLength(int bytes, String kind) throws IOException {
        if (values != null) {
            check(bytes, values.maxString(), kind, "bytes", WireLimits.MAX_STRING_PROPERTY);
        }
    }

    private void check(long size, int max, String kind, String unit, String property) throws IOException {
        if (size > max) {
            throw new IOException(what + " holds " + kind + " of " + size + " " + unit + ", more than the host reads ("
                    + property + " = " + max + ")");
        }
    }

    byte[] toByteArray() {
        return bytes.toByteArray();
    }

    WireWriter value(Object v) throws IOException {
        write(v, 0);
        return this;
    }

    WireWriter handle(RemoteGuestObject h) throws IOException {
        out.writeByte(WireTags.HANDLE);
        out.writeLong(h.worker());
        out.writeLong(h.id());
        return this;
    }

    private void write(Object v, int depth) throws IOException {
        if (depth > maxDepth) {
            throw new IOException("values nested deeper than " + maxDepth + " cannot cross to a worker process");
        }
        if (v == null) {
            out.writeByte(WireTags.NONE);
        } else if (v instanceof Boolean b) {
            out.writeByte(b ? WireTags.TRUE : WireTags.FALSE);
        } else if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            out.writeByte(WireTags.INT);
            out.writeInt(((Number) v).intValue());
        } else if (v instanceof Long l) {
            out.writeByte(WireTags.LONG);
            out.writeLong(l);
        } else if (v instanceof BigInteger b) {
            byte[] twos = b.toByteArray();
            checkLength(twos.length, "an int");
            out.writeByte(WireTags.BIGINT);
            out.writeInt(twos.length);
            out.write(twos);
        } else if (v instanceof Double || v instanceof Float) {
            out.writeByte(WireTags.FLOAT);
            out.writeLong(Double.doubleToLongBits(((Number) v).doubleValue()));
        } else if (v instanceof String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            checkLength(utf8.length, "a str");
            out.writeByte(WireTags.STR);
            out.writeInt(utf8.length);
            out.write(utf8);
        } else if (v instanceof byte[] b) {
            checkLength(b.length, "a bytes value");
            out.writeByte(WireTags.BYTES);
            out.writeInt(b.length);
            out.write(b);
        } else if (v instanceof RemoteGuestObject h) {
            handle(h);
        } else if (v instanceof Map<?, ?> map) {
            container(depth, map.size());
            out.writeByte(WireTags.DICT);
            out.writeInt(map.size());
            int n = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                write(e.getKey(), depth + 1);
                write(e.getValue(), depth + 1);
                n++;
            }
            checkSize(map.size(), n);
        } else if (v instanceof Collection<?> c) {
            container(depth, c.size());
            out.writeByte(c instanceof Set<?> ? WireTags.SET : WireTags.LIST);
            out.writeInt(c.size());
            int n = 0;
            for (Object o : c) {
                write(o, depth + 1);
                n++;
            }
            checkSize(c.size(), n);
        } else {
            Object replaced = replace.apply(v);
            if (replaced == v || replaced == null) {
                throw new IOException("a " + v.getClass().getName() + " is not data and cannot cross to or from a "
                        + "worker process");
            }
            write(replaced, depth);
        }
    }

    /** A collection at {@code depth} (the top level is 0) is the reader's depth + 1, and holds its items. */
    private void container(int depth, int size) throws IOException {
        if (values != null) {
            if (depth + 1 > values.maxDepth()) {
                throw new IOException(what + " holds values nested deeper than " + values.maxDepth()
                        + ", more than the host reads (" + WireLimits.MAX_DEPTH_PROPERTY + ")");
            }
            check(size, values.maxItems(), "a collection", "items", WireLimits.MAX_ITEMS_PROPERTY);
        }
    }

    /** A collection whose size() disagrees with its iteration (changed while written) would corrupt the frame. */
    private static void checkSize(int claimed, int written) throws IOException {
        if (claimed != written) {
            throw new IOException("a collection changed while it was sent to a worker process");
        }
    }
}
