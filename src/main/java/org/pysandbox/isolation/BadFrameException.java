package org.pysandbox.isolation;

import java.io.IOException;

/** A frame broke a rule of the protocol; {@link #rule} names it (a system property when one sets it). */
final class BadFrameException extends IOException {
    private static final long serialVersionUID = 1L;
    final String rule;

    BadFrameException(String message, String rule) {
        super(message);
        this.rule = rule;
    }

    WorkerProtocolException toScriptException() {
        return new WorkerProtocolException(getMessage(), rule);
    }
}
