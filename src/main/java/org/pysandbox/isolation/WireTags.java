package org.pysandbox.isolation;

/**
 * The tags of the wire's data format: one byte before every value. Integers are big-endian; a str is
 * a 4-byte length and UTF-8; bytes and int (arbitrary precision, two's complement) a length and raw
 * bytes; list, tuple and set a 4-byte count and the elements; dict a count and key, value pairs; a
 * handle two 8-byte numbers (worker, object). Nothing else exists on the wire.
 */
final class WireTags {
    static final byte NONE = 'N';
    static final byte TRUE = 'T';
    static final byte FALSE = 'F';
    /** 4-byte int (a Java Integer). */
    static final byte INT = 'i';
    /** 8-byte int (a Java Long). */
    static final byte LONG = 'l';
    /** Arbitrary-precision int (a Java BigInteger). */
    static final byte BIGINT = 'g';
    /** IEEE 754 double. */
    static final byte FLOAT = 'd';
    static final byte STR = 's';
    static final byte BYTES = 'y';
    static final byte LIST = 'L';
    /** A tuple: arrives as an unmodifiable List, as tuples do in-process (SPEC §4). */
    static final byte TUPLE = 'U';
    static final byte DICT = 'D';
    static final byte SET = 'S';
    static final byte HANDLE = 'H';

    private WireTags() {
    }
}
