package org.pysandbox.limits;

import org.pysandbox.config.SandboxConfig;
import org.pysandbox.policy.ConfinedInterpreter;

/**
 * An interpreter with the thread that runs its guest code ({@link GuestWorker}): the pool makes, warms up
 * and hands out the two together, and a tenant keeps them together.
 */
record PooledInterpreter(ConfinedInterpreter interpreter, GuestWorker worker) {
    /** A new interpreter on the caller's thread (a pool miss), with a guest thread that has not started yet. */
    static PooledInterpreter create(SandboxConfig config) {
        return new PooledInterpreter(ConfinedInterpreter.create(config), new GuestWorker());
    }

    /** Ends the thread and closes the interpreter now. */
    void close() {
        worker.shutdown();
        interpreter.close();
    }

    /** Ends the thread and closes the interpreter on the closer thread (see {@link InterpreterCloser}). */
    void closeInBackground() {
        worker.shutdown();
        InterpreterCloser.close(interpreter);
    }
}
