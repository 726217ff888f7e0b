package org.pysandbox.isolation;

import java.util.List;

/**
 * The rules a decoder enforces on every frame it reads, token by token, before it allocates anything a
 * frame claims: a hostile worker controls every byte it sends, so no length, count or depth on the wire
 * is trusted. A frame that breaks a rule ends in a {@link WorkerProtocolException} and the worker is
 * killed. Host-side defaults come from system properties (docs/operations.md, "isolation=process").
 *
 * @param maxFrame      bytes of one frame's payload ({@value #MAX_FRAME_PROPERTY}, default 64 MiB)
 * @param maxDepth      nesting of lists, dicts and sets ({@value #MAX_DEPTH_PROPERTY}, default 200)
 * @param maxItems      elements of one collection ({@value #MAX_ITEMS_PROPERTY}, default 4,000,000)
 * @param maxString     UTF-8 bytes of one str, bytes or int ({@value #MAX_STRING_PROPERTY}, default 16 MiB)
 * @param allocationPerByte the decoded objects' estimated heap, per byte of the frame (default 24): bounds
 *                      the decoder's allocation to a multiple of what actually arrived
 */
record WireLimits(int maxFrame, int maxDepth, int maxItems, int maxString, int allocationPerByte) {
    static final String MAX_FRAME_PROPERTY = "pysandbox.process.maxFrame";
    static final String MAX_DEPTH_PROPERTY = "pysandbox.process.maxDepth";
    static final String MAX_ITEMS_PROPERTY = "pysandbox.process.maxItems";
    static final String MAX_STRING_PROPERTY = "pysandbox.process.maxString";

    /** The properties a host forwards to its workers, which read its requests under the same rules. */
    static final List<String> PROPERTIES =
            List.of(MAX_FRAME_PROPERTY, MAX_DEPTH_PROPERTY, MAX_ITEMS_PROPERTY, MAX_STRING_PROPERTY);

    /** Fixed allowance for a frame's decoded objects on top of the per-byte allowance. */
    static final long ALLOCATION_BASE = 64 << 10;

    static WireLimits fromSystemProperties() {
        return new WireLimits(Integer.getInteger(MAX_FRAME_PROPERTY, 64 << 20),
                Integer.getInteger(MAX_DEPTH_PROPERTY, 200), Integer.getInteger(MAX_ITEMS_PROPERTY, 4_000_000),
                Integer.getInteger(MAX_STRING_PROPERTY, 16 << 20), 24);
    }

    /** The most heap the decoder lets one frame's values claim. */
    long allocationBudget(int frameLength) {
        return ALLOCATION_BASE + (long) allocationPerByte * frameLength;
    }
}
