package org.pysandbox.testsupport;

import static org.assertj.core.api.Assertions.catchThrowable;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** A call made on a thread of its own, which the test interrupts after a while, as a host would. */
public final class InterruptedCaller {
    /** What the call threw (null if nothing), and whether its thread still had its interrupt status after. */
    public record Outcome(Throwable failure, boolean statusKept) {
    }

    private InterruptedCaller() {
    }

    /** Starts the call, interrupts its thread after {@code millis} and waits up to 15 s for it to end. */
    public static Outcome interruptAfter(long millis, ThrowingCallable call) throws InterruptedException {
        Throwable[] failure = new Throwable[1];
        boolean[] statusKept = new boolean[1];
        Thread caller = new Thread(() -> {
            failure[0] = catchThrowable(call);
            statusKept[0] = Thread.currentThread().isInterrupted();
        });
        caller.start();
        Thread.sleep(millis);
        caller.interrupt();
        caller.join(15_000);
        if (caller.isAlive()) {
            throw new AssertionError("the interrupted call did not end within 15 s");
        }
        return new Outcome(failure[0], statusKept[0]);
    }
}
