package org.pysandbox.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.net.URL;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

import javax.script.ScriptException;

import org.junit.jupiter.api.Test;

/**
 * The host's side of the wire fed what a compromised worker could send: random bytes, valid messages
 * mutated (bit flips, truncation, insertions, overwritten lengths), deep nesting, huge length claims,
 * invalid UTF-8, unknown tags, values of the wrong type, and the three attacks that the Java-object
 * protocol fell to (issue 12). For every frame the host must answer with a result made only of data or
 * a ScriptException, within the call's time, allocating no more than a bound proportional to the frame.
 */
class WireFuzzTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final WireLimits LIMITS = WireLimits.fromSystemProperties();
    /** What reading a frame may allocate beyond its decoded values: read chunks, exceptions, the answer. */
    private static final long OVERHEAD = 256 << 10;
    private static final long DECODE_MILLIS = 2_000;

    /** What the host does with one RESULT frame read from a worker's channel (ProcessExecutor.Channel). */
    static Object hostReads(byte[] channel) {
        try {
            Frames.Frame frame = Frames.read(new DataInputStream(new ByteArrayInputStream(channel)), LIMITS.maxFrame());
            if (frame.type() != Frames.RESULT) {
                throw new BadFrameException("a frame of unknown type", "frame type");
            }
            long deadline = System.nanoTime() + DECODE_MILLIS * 1_000_000;
            WireResponse r = WireCodec.readResponse(frame.payload(), LIMITS, deadline);
            return r.error() != null ? r.error().toException() : r;
        } catch (BadFrameException e) {
            return e.toScriptException();
        } catch (EOFException e) {
            return new ScriptException("the sandbox worker process failed: " + e.getMessage());
        } catch (IOException e) {
            throw new AssertionError("the host's reading failed with something other than a protocol error", e);
        }
    }

    static byte[] frame(byte type, byte[] payload) {
        return frame(type, payload.length, payload);
    }

    static byte[] frame(byte type, int claimedLength, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(5 + payload.length);
        b.put(type).putInt(claimedLength).put(payload);
        return b.array();
    }

    /** One frame through the host, with its allocation and time measured and the outcome checked. */
    private static final class Probe {
        long frames;
        long maxAllocated;
        long maxMillis;
        long refused;
        /** The first frames load and link classes (lambdas, exceptions, charsets): their allocation is not the decoder's. */
        boolean warm;

        void check(byte[] channel) {
            long tid = Thread.currentThread().threadId();
            long before = THREADS.getThreadAllocatedBytes(tid);
            long start = System.nanoTime();
            Object outcome = hostReads(channel);
            long millis = (System.nanoTime() - start) / 1_000_000;
            long allocated = THREADS.getThreadAllocatedBytes(tid) - before;
            frames++;
            int payload = Math.max(0, channel.length - 5);
            long bound = LIMITS.allocationBudget(payload) + 3L * payload + OVERHEAD;
            if (warm) {
                assertThat(allocated).as("bytes allocated for a %d-byte frame", channel.length).isLessThanOrEqualTo(bound);
                maxAllocated = Math.max(maxAllocated, allocated);
            }
            assertThat(millis).as("ms to read a %d-byte frame", channel.length).isLessThan(DECODE_MILLIS + 500);
            maxMillis = Math.max(maxMillis, millis);
            if (outcome instanceof ScriptException) {
                refused++;
            } else {
                assertThat(outcome).isInstanceOf(WireResponse.class);
                WireResponse r = (WireResponse) outcome;
                assertOnlyData(r.value(), 0);
                assertOnlyData(r.globals(), 0);
                assertOnlyData(r.locals(), 0);
            }
        }
    }

    /** The decoder can produce nothing but the protocol's data types. */
    static void assertOnlyData(Object v, int depth) {
        assertThat(depth).isLessThanOrEqualTo(LIMITS.maxDepth() + 1);
        if (v == null || v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof BigInteger
                || v instanceof Double || v instanceof String || v instanceof byte[] || v instanceof RemoteGuestObject) {
            return;
        }
        if (v instanceof List<?> l) {
            l.forEach(o -> assertOnlyData(o, depth + 1));
        } else if (v instanceof Set<?> s) {
            s.forEach(o -> assertOnlyData(o, depth + 1));
        } else if (v instanceof Map<?, ?> m) {
            m.forEach((k, o) -> {
                assertOnlyData(k, depth + 1);
                assertOnlyData(o, depth + 1);
            });
        } else {
            throw new AssertionError("the decoder produced a " + v.getClass().getName());
        }
    }

    // ---- generators

    private static final byte[] TAGS = {WireTags.NONE, WireTags.TRUE, WireTags.FALSE, WireTags.INT, WireTags.LONG,
            WireTags.BIGINT, WireTags.FLOAT, WireTags.STR, WireTags.BYTES, WireTags.LIST, WireTags.TUPLE, WireTags.DICT,
            WireTags.SET, WireTags.HANDLE};

    static Object randomValue(SplittableRandom r, int depth) {
        int kind = r.nextInt(depth > 4 ? 8 : 12);
        switch (kind) {
            case 0: return null;
            case 1: return r.nextBoolean();
            case 2: return r.nextInt();
            case 3: return r.nextLong();
            case 4: return new BigInteger(1 + r.nextInt(200), new java.util.Random(r.nextLong()));
            case 5: return r.nextDouble();
            case 6: return randomString(r);
            case 7: return new RemoteGuestObject(r.nextLong(), r.nextLong());
            case 8: {
                List<Object> l = new ArrayList<>();
                for (int i = r.nextInt(6); i > 0; i--) {
                    l.add(randomValue(r, depth + 1));
                }
                return l;
            }
            case 9: {
                Map<Object, Object> m = new LinkedHashMap<>();
                for (int i = r.nextInt(6); i > 0; i--) {
                    m.put(randomString(r), randomValue(r, depth + 1));
                }
                return m;
            }
            case 10: {
                Set<Object> s = new HashSet<>();
                for (int i = r.nextInt(6); i > 0; i--) {
                    s.add(r.nextInt(100));
                }
                return s;
            }
            default: {
                byte[] b = new byte[r.nextInt(20)];
                r.nextBytes(b);
                return b;
            }
        }
    }

    static String randomString(SplittableRandom r) {
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(12); i > 0; i--) {
            b.appendCodePoint(r.nextInt(4) == 0 ? 0x80 + r.nextInt(0x10000 - 0x80 - 0x800) : 0x20 + r.nextInt(0x5f));
        }
        return b.toString();
    }

    static byte[] validResult(SplittableRandom r) throws IOException {
        if (r.nextInt(5) == 0) {
            WireError e = new WireError(List.of("python", "violation", "exit", "timeout", "memory", "output", "recursion",
                    "script", "nonsense").get(r.nextInt(9)), randomString(r), randomString(r), randomString(r),
                    r.nextInt(), r.nextInt(), r.nextBoolean() ? null : randomString(r),
                    r.nextBoolean() ? null : r.nextInt(), r.nextBoolean() ? List.of()
                            : List.of(new org.pysandbox.error.PythonFrame(randomString(r), r.nextInt(), randomString(r))));
            return WireCodec.response(new WireResponse(null, null, null, e), UnaryOperator.identity());
        }
        Map<String, Object> globals = new LinkedHashMap<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            globals.put(randomString(r), randomValue(r, 1));
        }
        return WireCodec.response(new WireResponse(randomValue(r, 0), globals, null, null), UnaryOperator.identity());
    }

    static byte[] mutate(SplittableRandom r, byte[] payload) {
        byte[] b = payload.clone();
        switch (r.nextInt(6)) {
            case 0: // bit flips
                for (int i = 1 + r.nextInt(4); i > 0 && b.length > 0; i--) {
                    b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
                return b;
            case 1: // truncation
                return java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
            case 2: { // an overwritten length or count: huge, negative, or off by a little
                if (b.length < 5) {
                    return b;
                }
                int at = r.nextInt(b.length - 4);
                int claim = List.of(Integer.MAX_VALUE, -1, Integer.MIN_VALUE, 1 << 30, b.length, b.length + 1 + r.nextInt(9))
                        .get(r.nextInt(6));
                ByteBuffer.wrap(b).putInt(at, claim);
                return b;
            }
            case 3: { // an inserted tag (known or unknown)
                int at = r.nextInt(b.length + 1);
                byte[] c = new byte[b.length + 1];
                System.arraycopy(b, 0, c, 0, at);
                c[at] = r.nextBoolean() ? TAGS[r.nextInt(TAGS.length)] : (byte) r.nextInt(256);
                System.arraycopy(b, at, c, at + 1, b.length - at);
                return c;
            }
            case 4: { // trailing garbage
                byte[] c = java.util.Arrays.copyOf(b, b.length + 1 + r.nextInt(8));
                return c;
            }
            default: { // invalid UTF-8 where a str's bytes are
                for (int i = 0; i + 5 < b.length; i++) {
                    if (b[i] == WireTags.STR && ByteBuffer.wrap(b).getInt(i + 1) > 0
                            && i + 5 + ByteBuffer.wrap(b).getInt(i + 1) <= b.length) {
                        b[i + 5] = (byte) List.of(0xC0, 0xFF, 0x80, 0xED).get(r.nextInt(4)).intValue();
                        if (r.nextBoolean()) {
                            break;
                        }
                    }
                }
                return b;
            }
        }
    }

    static byte[] nested(byte tag, int depth, byte[] leaf) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('s');
        out.writeBytes(new byte[] {0, 0, 0, 1, 'V'});
        for (int i = 0; i < depth; i++) {
            out.write(tag);
            out.writeBytes(new byte[] {0, 0, 0, 1});
            if (tag == WireTags.DICT) {
                out.writeBytes(new byte[] {WireTags.INT, 0, 0, 0, (byte) i});
            }
        }
        out.writeBytes(leaf);
        out.writeBytes(new byte[] {'N', 'N'});
        return out.toByteArray();
    }

    @Test
    void theHostAnswersEveryHostileFrameWithDataOrAScriptExceptionWithinBounds() throws Exception {
        SplittableRandom r = new SplittableRandom(Long.getLong("wire.fuzz.seed", System.nanoTime()));
        Probe probe = new Probe();
        long start = System.nanoTime();
        int target = Integer.getInteger("wire.fuzz.frames", 120_000);
        for (int i = 0; i < target; i++) {
            probe.warm = i >= 2_000;
            byte[] channel;
            switch (i % 8) {
                case 0: { // random bytes, any frame type, honest length
                    byte[] b = new byte[r.nextInt(300)];
                    r.nextBytes(b);
                    channel = frame(r.nextInt(4) == 0 ? (byte) r.nextInt(256) : Frames.RESULT, b);
                    break;
                }
                case 1: { // random tag soup: tags with random 4-byte claims
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    out.writeBytes(new byte[] {'s', 0, 0, 0, 1, 'V'});
                    for (int k = r.nextInt(60); k > 0; k--) {
                        out.write(r.nextInt(8) == 0 ? r.nextInt(256) : TAGS[r.nextInt(TAGS.length)]);
                        if (r.nextBoolean()) {
                            out.writeBytes(ByteBuffer.allocate(4).putInt(r.nextInt(4) == 0 ? r.nextInt() : r.nextInt(8))
                                    .array());
                        }
                    }
                    channel = frame(Frames.RESULT, out.toByteArray());
                    break;
                }
                case 2: // a valid result, unchanged: must decode
                    channel = frame(Frames.RESULT, validResult(r));
                    break;
                case 3: case 4: case 5: // a valid result, mutated
                    channel = frame(Frames.RESULT, mutate(r, validResult(r)));
                    break;
                case 6: { // deep nesting, sometimes past the limit
                    byte tag = List.of(WireTags.LIST, WireTags.TUPLE, WireTags.SET, WireTags.DICT).get(r.nextInt(4));
                    int depth = r.nextInt(4) == 0 ? LIMITS.maxDepth() - 2 + r.nextInt(5) : r.nextInt(3000);
                    channel = frame(Frames.RESULT, nested(tag, depth, new byte[] {'N'}));
                    break;
                }
                default: { // a lying frame header: claims more (or other) than it carries
                    byte[] payload = validResult(r);
                    int claim = List.of(Integer.MAX_VALUE, LIMITS.maxFrame(), LIMITS.maxFrame() + 1, -7,
                            payload.length + 1 + r.nextInt(100000)).get(r.nextInt(5));
                    channel = frame(Frames.RESULT, claim, payload);
                    break;
                }
            }
            probe.check(channel);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("wire fuzz: %d frames in %.1f s (%.0f/s), %d refused, max %d bytes allocated per frame "
                + "after the first 2000, max %d ms per frame%n", probe.frames, seconds, probe.frames / seconds, probe.refused,
                probe.maxAllocated, probe.maxMillis);
        assertThat(probe.frames).isGreaterThanOrEqualTo(100_000);
        assertThat(seconds).isLessThan(60);
        assertThat(probe.refused).isBetween(1L, probe.frames - 1);
    }

    // ---- the three attacks of issue 12

    @Test
    void aUrldnsGadgetIsRefusedBeforeAnyObjectIsBuilt() throws Exception {
        // URLDNS: a HashMap whose key is a URL with its cached hash reset; deserialising it hashes the URL,
        // which resolves the URL's host (RecordingResolverProvider records every lookup of this JVM)
        String host = "pysandbox-urldns-" + System.nanoTime() + ".invalid";
        byte[] gadget = urldns(host);
        RecordingResolverProvider.LOOKUPS.clear();
        // control: the gadget is live (Java deserialization resolves the name), and the recorder sees it
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new ByteArrayInputStream(gadget))) {
            in.readObject();
        }
        assertThat(RecordingResolverProvider.LOOKUPS).as("control: the gadget resolves when deserialised")
                .contains(host);
        RecordingResolverProvider.LOOKUPS.clear();
        // the host reads it as a worker's result: refused at its first byte, no name resolved
        Object outcome = hostReads(frame(Frames.RESULT, gadget));
        assertThat(outcome).isInstanceOf(WorkerProtocolException.class);
        assertThat(((WorkerProtocolException) outcome).getRule()).isEqualTo("unknown tag");
        // and placed where a value is expected: the stream magic 0xACED is no tag
        ByteArrayOutputStream framed = new ByteArrayOutputStream();
        framed.writeBytes(new byte[] {'s', 0, 0, 0, 1, 'V'});
        framed.writeBytes(gadget);
        Object wrapped = hostReads(frame(Frames.RESULT, framed.toByteArray()));
        assertThat(wrapped).isInstanceOf(WorkerProtocolException.class);
        assertThat(((WorkerProtocolException) wrapped).getRule()).isEqualTo("unknown tag");
        assertThat(RecordingResolverProvider.LOOKUPS).doesNotContain(host);
        // the reader has no way to name a class: whatever decodes is data (checked for every fuzzed frame too)
        assertThat(java.util.Arrays.stream(WireReader.class.getDeclaredMethods())
                .flatMap(m -> java.util.Arrays.stream(m.getParameterTypes()))).doesNotContain(Class.class);
    }

    /**
     * The URLDNS payload: HashMap{URL: ""} serialised with the URL's cached hashCode patched back to -1.
     * Building the map resolves the URL's name once, and the JDK caches the failed lookup, so the map is
     * built with a decoy name of the same length that is then replaced in the stream.
     */
    private static byte[] urldns(String host) throws IOException {
        String decoy = "d" + host.substring(1);
        URL url = new URL("http://" + decoy + "/");
        HashMap<URL, String> map = new HashMap<>();
        map.put(url, ""); // computes (and caches) url.hashCode(), resolving the name once here
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(map);
        }
        byte[] b = bytes.toByteArray();
        byte[] from = decoy.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] to = host.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i + from.length <= b.length; i++) {
            if (java.util.Arrays.equals(b, i, i + from.length, from, 0, from.length)) {
                System.arraycopy(to, 0, b, i, to.length);
            }
        }
        // URL's serial fields start with int hashCode then int port (-1): find that pair and reset the hash
        byte[] pair = ByteBuffer.allocate(8).putInt(url.hashCode()).putInt(-1).array();
        for (int i = 0; i + 8 <= b.length; i++) {
            if (java.util.Arrays.equals(b, i, i + 8, pair, 0, 8)) {
                ByteBuffer.wrap(b).putInt(i, -1);
                return b;
            }
        }
        throw new AssertionError("URL's hashCode field not found in the stream");
    }

    @Test
    void nestedHashSetBombsAreRefusedOrDecodedAtOnce() throws Exception {
        for (int depth = 22; depth <= 30; depth += 2) {
            // the Java-serialization bomb itself (a few KB that took the old host seconds, exponentially)
            byte[] bomb = serializedSetBomb(depth);
            long start = System.nanoTime();
            Object outcome = hostReads(frame(Frames.RESULT, bomb));
            long javaMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(outcome).isInstanceOf(WorkerProtocolException.class);
            // the same shape in the data format: without back-references a tree of 2^depth sets needs 2^depth
            // bytes, so a small frame can only claim it; the claims fail against the bytes that are there
            ByteArrayOutputStream tree = new ByteArrayOutputStream();
            tree.writeBytes(new byte[] {'s', 0, 0, 0, 1, 'V'});
            for (int i = 0; i < depth; i++) {
                tree.writeBytes(new byte[] {WireTags.SET, 0, 0, 0, 2});
            }
            tree.writeBytes(new byte[] {WireTags.SET, 0, 0, 0, 0, WireTags.SET, 0, 0, 0, 0});
            start = System.nanoTime();
            Object claimed = hostReads(frame(Frames.RESULT, tree.toByteArray()));
            long dataMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(claimed).isInstanceOf(WorkerProtocolException.class);
            // and a chain of sets as deep, each holding a wide set: decodes, linearly
            byte[] chain = nested(WireTags.SET, depth, wideSet(1000));
            start = System.nanoTime();
            Object decoded = hostReads(frame(Frames.RESULT, chain));
            long chainMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(decoded).isInstanceOf(WireResponse.class);
            System.out.printf("set bomb depth %d: java-serialized %d bytes refused in %d ms; claimed tree refused in "
                    + "%d ms; chain of %d bytes decoded in %d ms%n", depth, bomb.length, javaMillis, dataMillis,
                    chain.length, chainMillis);
            assertThat(javaMillis + dataMillis + chainMillis).as("depth " + depth).isLessThan(250);
        }
    }

    private static byte[] wideSet(int n) {
        ByteBuffer b = ByteBuffer.allocate(5 + 5 * n).put(WireTags.SET).putInt(n);
        for (int i = 0; i < n; i++) {
            b.put(WireTags.INT).putInt(i);
        }
        return b.array();
    }

    private static byte[] serializedSetBomb(int depth) throws IOException {
        Set<Object> root = new HashSet<>();
        Set<Object> s1 = root;
        Set<Object> s2 = new HashSet<>();
        for (int i = 0; i < depth; i++) {
            Set<Object> t1 = new HashSet<>();
            Set<Object> t2 = new HashSet<>();
            t1.add("x" + i);
            s1.add(t1);
            s1.add(t2);
            s2.add(t1);
            s2.add(t2);
            s1 = t1;
            s2 = t2;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(root);
        }
        return bytes.toByteArray();
    }

    @Test
    void a59ByteFrameCannotMakeTheHostAllocate() throws Exception {
        long tid = Thread.currentThread().threadId();
        List<byte[]> attacks = new ArrayList<>();
        // claims in the values: a list, a str, bytes, an int, a dict and a set of 2^31-1
        for (byte tag : new byte[] {WireTags.LIST, WireTags.STR, WireTags.BYTES, WireTags.BIGINT, WireTags.DICT,
                WireTags.SET}) {
            ByteBuffer b = ByteBuffer.allocate(54);
            b.put(new byte[] {'s', 0, 0, 0, 1, 'V'});
            while (b.remaining() >= 5) {
                b.put(tag).putInt(Integer.MAX_VALUE - 1);
            }
            attacks.add(frame(Frames.RESULT, b.array()));
        }
        // claims in the frame header: just under the limit, at it, and at 2^31-1, with 54 bytes sent
        for (int claim : new int[] {LIMITS.maxFrame() - 1, LIMITS.maxFrame(), Integer.MAX_VALUE}) {
            attacks.add(frame(Frames.RESULT, claim, new byte[54]));
        }
        for (byte[] attack : attacks) {
            assertThat(attack).hasSize(59);
            long before = THREADS.getThreadAllocatedBytes(tid);
            Object outcome = hostReads(attack);
            long allocated = THREADS.getThreadAllocatedBytes(tid) - before;
            System.out.printf("59-byte claim %02x%02x...: %d bytes allocated, %s%n", attack[5], attack[6], allocated,
                    outcome);
            assertThat(outcome).isInstanceOf(ScriptException.class);
            assertThat(allocated).isLessThan(OVERHEAD);
        }
    }

    @Test
    void theOutcomeOfADeepButLegalResultIsItsData() throws Exception {
        Object outcome = hostReads(frame(Frames.RESULT, nested(WireTags.LIST, LIMITS.maxDepth() - 1, new byte[] {'N'})));
        assertThat(outcome).isInstanceOf(WireResponse.class);
        Object tooDeep = hostReads(frame(Frames.RESULT, nested(WireTags.LIST, LIMITS.maxDepth() + 1, new byte[] {'N'})));
        assertThat(tooDeep).isInstanceOf(WorkerProtocolException.class);
        assertThat(((WorkerProtocolException) tooDeep).getRule()).isEqualTo(WireLimits.MAX_DEPTH_PROPERTY);
    }

    static byte[] dataOutput(java.util.function.Consumer<DataOutputStream> body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        body.accept(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }
}
