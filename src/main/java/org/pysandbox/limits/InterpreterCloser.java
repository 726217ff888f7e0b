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
 * never returns (a writer nobody drains; HostOutput keeps that to one guest per writer): up to 16 closes run
 * at once, and only when all 16 closers are busy does the caller close the interpreter itself, as every close
 * did before, so that closes never pile up. With two closers, a caller found both busy with such closes and
 * waited for ever with its sandbox's lock (review 50); without a bound, a host closing many sandboxes at
 * once made a thread for each (review 51).
 */
final class InterpreterCloser {
    private static final ThreadPoolExecutor CLOSERS = new ThreadPoolExecutor(0, 16, 10, TimeUnit.SECONDS,
            new SynchronousQueue<>(), GuestThreads.housekeeping("closer"), new ThreadPoolExecutor.CallerRunsPolicy());

    private InterpreterCloser() {
    }

    static void close(ConfinedInterpreter interpreter) {
        CLOSERS.execute(interpreter::close);
    }
}
