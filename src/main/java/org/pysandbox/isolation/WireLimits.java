package org.pysandbox.isolation;

/**
 * The rules a decoder enforces on every frame it reads, token by token, before it allocates anything a
 * frame claims: a hostile worker controls every byte it sends, so no length, count or depth on the wire
 * is trusted. A frame that breaks a rule ends in a {@link WorkerProtocolException} and the worker is
 * killed. The host reads a worker's frames under limits from system properties (docs/operations.md,
 * "isolation=process"); a worker reads the host's under {@link #WORKER}, the defaults, whatever properties
 * or JAVA_TOOL_OPTIONS it inherits, and the host checks what it sends against the same (WireCodec.toData).
 *
 * @param maxFrame      bytes of one frame's payload ({@value #MAX_FRAME_PROPERTY}, default 64 MiB)
 * @param maxDepth      nesting of lists, dicts and sets ({@value #MAX_DEPTH_PROPERTY}, default 200)
 * @param maxItems      elements of one collection ({@value #MAX_ITEMS_PROPERTY}, default 4,000,000)
 * @param maxString     UTF-8 bytes of one str, bytes or int ({@value #MAX_STRING_PROPERTY}, default 16 MiB)
 * @param allocationPerByte the decoded objects' estimated heap, per byte of the frame (default 24): bounds
 *                      the decoder's allocation to a multiple of what actually arrived
 * @param maxDecodeMillis how long one frame may take to decode when its call has no timeout
 *                      ({@value #MAX_DECODE_MILLIS_PROPERTY}, default 10 s; with a timeout, the call's deadline)
 * @param graceMillis   how long past a call's timeout the host waits for the answer and decodes it
 *                      ({@value #GRACE_MILLIS_PROPERTY}, default 750 ms) before it kills the worker
 */
record WireLimits(int maxFrame, int maxDepth, int maxItems, int maxString, int allocationPerByte,
        long maxDecodeMillis, long graceMillis) {
    static final String MAX_FRAME_PROPERTY = "pysandbox.process.maxFrame";
    static final String MAX_DEPTH_PROPERTY = "pysandbox.process.maxDepth";
    static final String MAX_ITEMS_PROPERTY = "pysandbox.process.maxItems";
    static final String MAX_STRING_PROPERTY = "pysandbox.process.maxString";
    static final String MAX_DECODE_MILLIS_PROPERTY = "pysandbox.process.maxDecodeMillis";
    static final String GRACE_MILLIS_PROPERTY = "pysandbox.process.killGraceMillis";

    /**
     * The least maxFrame and maxString a host may read with: under them not even a worker's error, its
     * message cut short, could reach the host (review 37: with a maxString of 40, the worker's explanation of
     * a refused result was refused in turn, and the host killed the worker and lost the tenant's state).
     */
    static final int LEAST_FRAME = 1024;
    static final int LEAST_STRING = 64;
    /**
     * The least maxDecodeMillis: a worker reads each result back in half of it, and a cold decoder takes
     * milliseconds for an ordinary dict (review 40: at 2 ms, noise chose between the worker refusing every
     * namespace and the host killing the worker for one).
     */
    static final long LEAST_DECODE_MILLIS = 1000;

    /** ... with the default clocks: 10 s to decode without a timeout, 750 ms of grace after one. */
    WireLimits(int maxFrame, int maxDepth, int maxItems, int maxString, int allocationPerByte) {
        this(maxFrame, maxDepth, maxItems, maxString, allocationPerByte, 10_000, 750);
    }

    /** Fixed allowance for a frame's decoded objects on top of the per-byte allowance. */
    static final long ALLOCATION_BASE = 64 << 10;

    /**
     * What a worker accepts from its host: fixed, so that the host's check of a request and the worker's
     * reading of it cannot disagree (review 32: limits forwarded as properties diverged from the host's own
     * when a property changed after start-up, and bound the configuration and input frames too).
     */
    static final WireLimits WORKER = new WireLimits(64 << 20, 200, 4_000_000, 16 << 20, 24);

    /**
     * What this host reads from its workers, read once: it travels in every configuration, and the worker
     * checks its results against it as it writes them (review 35), so that a result the host would refuse
     * fails that call only, with the tenant's state kept, instead of costing the worker.
     */
    static final WireLimits HOST = fromSystemProperties();

    static WireLimits fromSystemProperties() {
        return new WireLimits(Integer.getInteger(MAX_FRAME_PROPERTY, WORKER.maxFrame),
                Integer.getInteger(MAX_DEPTH_PROPERTY, WORKER.maxDepth), Integer.getInteger(MAX_ITEMS_PROPERTY,
                WORKER.maxItems), Integer.getInteger(MAX_STRING_PROPERTY, WORKER.maxString), WORKER.allocationPerByte,
                Long.getLong(MAX_DECODE_MILLIS_PROPERTY, WORKER.maxDecodeMillis),
                Long.getLong(GRACE_MILLIS_PROPERTY, WORKER.graceMillis));
    }

    /** Refuses limits under which a worker could not even report an error (see {@link #LEAST_FRAME}). */
    WireLimits requireUsable() {
        if (maxFrame < LEAST_FRAME || maxString < LEAST_STRING || maxDecodeMillis < LEAST_DECODE_MILLIS
                || graceMillis < 0) {
            throw new org.pysandbox.config.SandboxConfigurationException("isolation=process needs "
                    + MAX_FRAME_PROPERTY + " >= " + LEAST_FRAME + ", " + MAX_STRING_PROPERTY + " >= " + LEAST_STRING
                    + ", " + MAX_DECODE_MILLIS_PROPERTY + " >= " + LEAST_DECODE_MILLIS + " and " + GRACE_MILLIS_PROPERTY
                    + " >= 0, for a worker's answers to reach the host (they are " + maxFrame + ", " + maxString + ", "
                    + maxDecodeMillis + " and " + graceMillis + ")");
        }
        return this;
    }

    /** When a frame that starts decoding now must be decoded, without a call's deadline. */
    long decodeDeadline() {
        return System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(maxDecodeMillis);
    }

    /** The most heap the decoder lets one frame's values claim. */
    long allocationBudget(int frameLength) {
        return ALLOCATION_BASE + (long) allocationPerByte * frameLength;
    }
}
