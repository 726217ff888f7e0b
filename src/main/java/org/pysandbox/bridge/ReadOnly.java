package org.pysandbox.bridge;

/** The refusal every read-only view gives; Truffle reports it to Python as an unsupported operation. */
final class ReadOnly {
    private ReadOnly() {
    }

    static UnsupportedOperationException refuse(String what) {
        return new UnsupportedOperationException(what + " is a read-only view of a host value in the sandbox");
    }
}
