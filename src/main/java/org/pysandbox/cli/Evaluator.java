package org.pysandbox.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.script.ScriptException;

import org.pysandbox.Sandbox;
import org.pysandbox.error.ScriptInterruptedException;

/**
 * The REPL's one thread into the sandbox. It starts the interpreter as soon as the REPL starts, so that
 * GraalPy initialises while the user types the first line; it runs every later request in order; and
 * {@link #interrupt()} (Ctrl-C) interrupts the request it is running, which the sandbox turns into a stopped
 * call (the guest is interrupted, its namespace kept) instead of ending the process.
 */
final class Evaluator implements AutoCloseable {
    /** How long the first answer may take before the user is told that the interpreter is still starting. */
    static final long NOTICE_AFTER_MILLIS = 1000;

    /** What a stopped request fails with; the REPL shows it as KeyboardInterrupt ({@link Tracebacks#isInterrupt}). */
    static final String INTERRUPTED = "script stopped: the calling thread was interrupted";

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "pysandbox-repl");
        t.setDaemon(true);
        return t;
    });
    private final Sandbox sandbox;
    private final Future<?> started;
    /** Guards running, waiting and interruptBeforeStart: Ctrl-C and a request's start must not miss each other. */
    private final Object state = new Object();
    private Thread running;
    /** Whether the REPL waits for a request (which may still be queued behind the interpreter's start). */
    private boolean waiting;
    /** Ctrl-C came while the request waited for the interpreter to start: it stops the request before it runs. */
    private boolean interruptBeforeStart;

    Evaluator(Sandbox sandbox) {
        this.sandbox = sandbox;
        // an empty input makes the interpreter and the session namespace; its errors show with the first input
        this.started = thread.submit(() -> {
            try {
                sandbox.interact("", Repl.FILE_NAME);
            } catch (ScriptException ignored) {
                // the first real input meets the same failure and reports it
            }
            StartupTimer.mark("interpreter ready");
        });
    }

    boolean isReady() {
        return started.isDone();
    }

    Sandbox sandbox() {
        return sandbox;
    }

    /** Runs work on the sandbox's thread and waits for it; says once, after a second, that start-up is slow. */
    <T> T call(Callable<T> work, PrintWriter notices) throws ScriptException {
        synchronized (state) {
            waiting = true;
            interruptBeforeStart = false;
        }
        Future<T> result = thread.submit(asRunning(work));
        try {
            if (!started.isDone() && notices != null) {
                try {
                    return result.get(NOTICE_AFTER_MILLIS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException slow) {
                    if (!started.isDone()) {
                        notices.println("(the Python interpreter is still starting; the first answer takes a few seconds)");
                        notices.flush();
                    }
                }
            }
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ScriptException se) {
                throw se;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            interrupt();
            Thread.currentThread().interrupt();
            throw new ScriptInterruptedException(INTERRUPTED);
        } finally {
            synchronized (state) {
                waiting = false;
                interruptBeforeStart = false;
            }
        }
    }

    /** Runs work only if the sandbox is idle and started (completion must never wait for a statement). */
    <T> T callIfIdle(Callable<T> work, long timeoutMillis) {
        synchronized (state) {
            if (!started.isDone() || running != null) {
                return null;
            }
        }
        Future<T> result = thread.submit(asRunning(work));
        try {
            return result.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    /** Work as the request that Ctrl-C stops ({@link #interrupt}), or drops when it came before the start. */
    private <T> Callable<T> asRunning(Callable<T> work) {
        return () -> {
            Thread.interrupted(); // an interrupt meant for the previous request does not stop this one
            synchronized (state) {
                if (interruptBeforeStart) {
                    throw new ScriptInterruptedException(INTERRUPTED);
                }
                running = Thread.currentThread();
            }
            try {
                return work.call();
            } finally {
                synchronized (state) {
                    running = null;
                }
                Thread.interrupted();
            }
        };
    }

    /**
     * Ctrl-C: stops the running request, and the one the REPL waits for before it runs. That one waits behind
     * the interpreter's start for the first seconds (a Ctrl-C then used to be lost and the statement ran
     * anyway), or behind a completion lookup that outlived its wait (the statement waited for the lookup's
     * timeout, and Ctrl-C did not shorten that).
     */
    void interrupt() {
        synchronized (state) {
            if (running != null) {
                running.interrupt();
            }
            if (waiting) {
                // a request that already runs is past its check; this one is reset when the next one is made
                interruptBeforeStart = true;
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
