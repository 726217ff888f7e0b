package org.pysandbox.isolation;

import javax.script.ScriptException;

/**
 * A worker process sent something the protocol does not allow (a malformed, oversized or too deeply
 * nested frame, an unknown tag, invalid UTF-8, more output than its limit, ...). The host treats the
 * worker as compromised: it was killed, the tenant's state in it is lost, and the next call gets a fresh
 * worker. {@link #getRule()} names the rule, and the system property that sets it when there is one.
 */
public class WorkerProtocolException extends ScriptException {
    private static final long serialVersionUID = 1L;
    private final String rule;

    public WorkerProtocolException(String message, String rule) {
        super("worker protocol violation: " + message + " (" + rule + "); the worker process was killed and "
                + "will be replaced, and the sandbox's state is lost");
        this.rule = rule;
    }

    /** The broken rule, e.g. {@code pysandbox.process.maxDepth} or {@code unknown tag}. */
    public String getRule() {
        return rule;
    }
}
