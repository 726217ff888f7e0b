package org.pysandbox.limits;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.pysandbox.policy.ConfinedInterpreter;

/**
 * Closes interpreters that no sandbox will run code in again, off the thread that gave them up. GraalPy
 * 25.0's context finalisation joins every live thread that ever entered the context, for up to 15 ms each
 * (joins of 5, 4, 3, 2 and 1 ms): the pool's filler, the sandbox's guest thread, a host thread that ran a
 * rule itself. A host closing a sandbox used to wait for that, 17-23 ms of the 26-37 ms that a fresh
 * sandbox cost in all. An interpreter comes here when its sandbox is closed between calls or replaces it
 * after a lost call: the sandbox runs nothing in it again. (A close from a host function during a call
 * closes on that thread, so that the script's cancel happens before close returns.) A close can block while a
 * stuck guest's builtin runs (the close cancels it), and for ever while the guest is inside a host stream that
 * never returns (a writer nobody drains): two closers take the usual closes, and when both are busy a close
 * gets a thread of its own. It used to run on the caller, which then waited for ever with its sandbox's lock
 * (review 50).
 */
final class InterpreterCloser {
    private static final ThreadPoolExecutor CLOSERS = new ThreadPoolExecutor(0, 2, 10, TimeUnit.SECONDS,
            new SynchronousQueue<>(), GuestThreads.housekeeping("closer"),
            (close, pool) -> GuestThreads.housekeeping("closer").newThread(close).start());

    private InterpreterCloser() {
    }

    static void close(ConfinedInterpreter interpreter) {
        CLOSERS.execute(interpreter::close);
    }
}
