package org.pysandbox.isolation;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one frame's payload of the tagged data format ({@link WireWriter} writes it). It can produce
 * only the protocol's data types: null, Boolean, Integer, Long, BigInteger, Double, String, byte[],
 * unmodifiable List, Map and Set of those, and {@link RemoteGuestObject} handles; there is no tag that
 * names a class, so no gadget can be built. Every length, count and depth is checked against the
 * {@link WireLimits} and against the bytes that actually remain in the frame <em>before</em> anything is
 * allocated, the estimated heap of what was decoded is charged against a budget proportional to the
 * frame's size, and the clock is checked between values and on every insertion into a dict or set, so a
 * hostile frame costs at most its size in time and a bounded multiple of it in memory.
 */
final class WireReader {
    private static final int CLOCK_EVERY = 256;
    /** Initial capacity of a collection, whatever its count claims: it grows as elements actually arrive. */
    private static final int PRESIZE = 16;

    private final byte[] data;
    private int pos;
    private final WireLimits limits;
    private final long deadlineNanos;
    private final Handles handles;
    private long budget;
    private int depth;
    private int ticks;
    /**
     * Sets and dicts inside the value last decoded. Hashing a set or dict allocates an iterator for each
     * set or dict in it, so putting such a value into a set or a dict (as key) is charged per node.
     */
    private int hashNodes;
    private static final int HASH_NODE_COST = 64;

    /** What the receiving side makes of a handle; it may refuse one as a broken rule. */
    @FunctionalInterface
    interface Handles {
        Object resolve(RemoteGuestObject handle) throws BadFrameException;
    }

    /**
     * @param deadlineNanos a {@link System#nanoTime()} value after which decoding fails
     * @param handles       turns a handle into what the receiving side uses for it (the worker: its guest object)
     */
    WireReader(byte[] data, WireLimits limits, long deadlineNanos, Handles handles) {
        this.data = data;
        this.limits = limits;
        this.deadlineNanos = deadlineNanos;
        this.handles = handles;
        if (data.length > limits.maxFrame()) {
            // Frames.read refuses these before reading them; a caller that built a payload itself is checked here
            throw new IllegalArgumentException("frame larger than the limit");
        }
        this.budget = limits.allocationBudget(data.length);
    }

    int remaining() {
        return data.length - pos;
    }

    /** Fails unless the whole payload was read: trailing bytes are as suspicious as missing ones. */
    void end() throws BadFrameException {
        if (pos != data.length) {
            throw new BadFrameException(remaining() + " unexpected bytes after the end of the message", "frame layout");
        }
    }

    byte tag() throws BadFrameException {
        need(1);
        return data[pos++];
    }

    int int32() throws BadFrameException {
        need(4);
        int v = ((data[pos] & 0xff) << 24) | ((data[pos + 1] & 0xff) << 16) | ((data[pos + 2] & 0xff) << 8)
                | (data[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    long int64() throws BadFrameException {
        return ((long) int32() << 32) | (int32() & 0xffffffffL);
    }

    boolean bool() throws BadFrameException {
        Object v = value();
        if (v instanceof Boolean b) {
            return b;
        }
        throw wrongType("a bool", v);
    }

    int intValue() throws BadFrameException {
        Object v = value();
        if (v instanceof Integer i) {
            return i;
        }
        throw wrongType("an int", v);
    }

    long longValue() throws BadFrameException {
        Object v = value();
        if (v instanceof Integer i) {
            return i;
        }
        if (v instanceof Long l) {
            return l;
        }
        throw wrongType("an int", v);
    }

    String string() throws BadFrameException {
        Object v = value();
        if (v instanceof String s) {
            return s;
        }
        throw wrongType("a str", v);
    }

    String stringOrNull() throws BadFrameException {
        Object v = value();
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw wrongType("a str or None", v);
    }

    List<?> list() throws BadFrameException {
        Object v = value();
        if (v instanceof List<?> l) {
            return l;
        }
        throw wrongType("a list", v);
    }

    /** A dict with str keys (a namespace), or null for None. */
    @SuppressWarnings("unchecked")
    Map<String, Object> namespaceOrNull() throws BadFrameException {
        Object v = value();
        if (v == null) {
            return null;
        }
        if (v instanceof Map<?, ?> m) {
            for (Object k : m.keySet()) {
                if (!(k instanceof String)) {
                    throw wrongType("a namespace with str keys", k);
                }
            }
            return (Map<String, Object>) m;
        }
        throw wrongType("a dict or None", v);
    }

    RemoteGuestObject handle() throws BadFrameException {
        if (tag() != WireTags.HANDLE) {
            throw new BadFrameException("expected a guest-object handle", "wrong type");
        }
        charge(32);
        return new RemoteGuestObject(int64(), int64());
    }

    /** One value of any data type. */
    Object value() throws BadFrameException {
        hashNodes = 0;
        return value0();
    }

    private Object value0() throws BadFrameException {
        if (++ticks % CLOCK_EVERY == 0) {
            clock();
        }
        byte tag = tag();
        switch (tag) {
            case WireTags.NONE:
                return null;
            case WireTags.TRUE:
                return Boolean.TRUE;
            case WireTags.FALSE:
                return Boolean.FALSE;
            case WireTags.INT:
                charge(16);
                return int32();
            case WireTags.LONG:
                charge(24);
                return int64();
            case WireTags.BIGINT: {
                int n = length(limits.maxString(), WireLimits.MAX_STRING_PROPERTY);
                if (n == 0) {
                    throw new BadFrameException("an int with no bytes", "frame layout");
                }
                charge(48L + 2L * n);
                BigInteger v = new BigInteger(data, pos, n);
                pos += n;
                return v;
            }
            case WireTags.FLOAT:
                charge(24);
                return Double.longBitsToDouble(int64());
            case WireTags.STR:
                return utf8(length(limits.maxString(), WireLimits.MAX_STRING_PROPERTY));
            case WireTags.BYTES: {
                int n = length(limits.maxString(), WireLimits.MAX_STRING_PROPERTY);
                charge(16L + n);
                byte[] b = java.util.Arrays.copyOfRange(data, pos, pos + n);
                pos += n;
                return b;
            }
            case WireTags.LIST:
            case WireTags.TUPLE:
                return sequence();
            case WireTags.DICT:
                return dict();
            case WireTags.SET:
                return set();
            case WireTags.HANDLE: {
                pos--;
                RemoteGuestObject h = handle();
                return handles.resolve(h);
            }
            default:
                throw new BadFrameException("unknown tag 0x" + Integer.toHexString(tag & 0xff) + " at byte " + (pos - 1),
                        "unknown tag");
        }
    }

    private List<Object> sequence() throws BadFrameException {
        int n = count(1);
        enter();
        List<Object> list = new ArrayList<>(Math.min(n, PRESIZE));
        int nodes = 0;
        for (int i = 0; i < n; i++) {
            charge(8);
            list.add(value());
            nodes += hashNodes;
        }
        depth--;
        hashNodes = nodes;
        return Collections.unmodifiableList(list);
    }

    private Map<Object, Object> dict() throws BadFrameException {
        int n = count(2);
        enter();
        Map<Object, Object> map = new LinkedHashMap<>(Math.min(n, PRESIZE));
        int nodes = 1;
        for (int i = 0; i < n; i++) {
            charge(56);
            Object key = value();
            int keyNodes = hashNodes;
            Object value = value();
            nodes += keyNodes + hashNodes;
            charge((long) HASH_NODE_COST * keyNodes);
            clock(); // an insertion can cost up to the frame's size (hash collisions, deep keys): one at a time
            map.put(key, value);
        }
        depth--;
        hashNodes = nodes;
        return Collections.unmodifiableMap(map);
    }

    private Set<Object> set() throws BadFrameException {
        int n = count(1);
        enter();
        Set<Object> set = new LinkedHashSet<>(Math.min(n, PRESIZE));
        int nodes = 1;
        for (int i = 0; i < n; i++) {
            charge(56);
            Object element = value();
            nodes += hashNodes;
            charge((long) HASH_NODE_COST * hashNodes);
            clock();
            set.add(element);
        }
        depth--;
        hashNodes = nodes;
        return Collections.unmodifiableSet(set);
    }

    private String utf8(int n) throws BadFrameException {
        charge(48L + 4L * n); // the decoder's char buffer and the String
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data, pos, n)).toString();
            pos += n;
            return s;
        } catch (CharacterCodingException e) {
            throw new BadFrameException("a str that is not valid UTF-8 at byte " + pos, "invalid UTF-8");
        }
    }

    /** A byte length: within the limit and within what is left of the frame, checked before any use. */
    private int length(int max, String rule) throws BadFrameException {
        int n = int32();
        if (n < 0 || n > max) {
            throw new BadFrameException("a length of " + Integer.toUnsignedString(n) + " bytes (limit " + max + ")",
                    rule);
        }
        need(n);
        return n;
    }

    /** An element count: each element needs at least {@code bytesPerItem} bytes, so the frame bounds it too. */
    private int count(int bytesPerItem) throws BadFrameException {
        int n = int32();
        if (n < 0 || n > limits.maxItems()) {
            throw new BadFrameException("a collection of " + Integer.toUnsignedString(n) + " elements (limit "
                    + limits.maxItems() + ")", WireLimits.MAX_ITEMS_PROPERTY);
        }
        if ((long) n * bytesPerItem > remaining()) {
            throw new BadFrameException("a collection of " + n + " elements in the " + remaining()
                    + " bytes left of the frame", "truncated frame");
        }
        charge(32);
        return n;
    }

    private void enter() throws BadFrameException {
        if (++depth > limits.maxDepth()) {
            throw new BadFrameException("values nested deeper than " + limits.maxDepth(), WireLimits.MAX_DEPTH_PROPERTY);
        }
    }

    private void need(int n) throws BadFrameException {
        if (n > remaining()) {
            throw new BadFrameException("the frame ends " + (n - remaining()) + " bytes early", "truncated frame");
        }
    }

    /** Counts heap before it is allocated. */
    private void charge(long bytes) throws BadFrameException {
        budget -= bytes;
        if (budget < 0) {
            throw new BadFrameException("its values would take more than " + limits.allocationBudget(data.length)
                    + " bytes of heap for a " + data.length + "-byte frame", "decoded size");
        }
    }

    private void clock() throws BadFrameException {
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new BadFrameException("decoding took longer than the time left for the call", "decoding time");
        }
    }

    private static BadFrameException wrongType(String expected, Object got) {
        String what = got == null ? "None" : got.getClass().getSimpleName();
        return new BadFrameException("expected " + expected + ", got " + what, "wrong type");
    }
}
