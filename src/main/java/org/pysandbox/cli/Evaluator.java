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

/**
 * The REPL's one thread into the sandbox. It starts the interpreter as soon as the REPL starts, so that
 * GraalPy initialises while the user types the first line; it runs every later request in order; and
 * {@link #interrupt()} (Ctrl-C) interrupts the request it is running, which the sandbox turns into a stopped
 * call (the guest is interrupted, its namespace kept) instead of ending the process.
 */
final class Evaluator implements AutoCloseable {
    /** How long the first answer may take before the user is told that the interpreter is still starting. */
    static final long NOTICE_AFTER_MILLIS = 1000;

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "pysandbox-repl");
        t.setDaemon(true);
        return t;
    });
    private final Sandbox sandbox;
    private final Future<?> started;
    private volatile Thread running;

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
        Future<T> result = thread.submit(() -> {
            Thread.interrupted(); // an interrupt meant for the previous request does not stop this one
            running = Thread.currentThread();
            try {
                return work.call();
            } finally {
                running = null;
                Thread.interrupted();
            }
        });
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
            throw new ScriptException("script stopped: the calling thread was interrupted");
        }
    }

    /** Runs work only if the sandbox is idle and started (completion must never wait for a statement). */
    <T> T callIfIdle(Callable<T> work, long timeoutMillis) {
        if (!started.isDone() || running != null) {
            return null;
        }
        Future<T> result = thread.submit(() -> {
            Thread.interrupted();
            return work.call();
        });
        try {
            return result.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    /** Ctrl-C: stops the running request, if any. */
    void interrupt() {
        Thread t = running;
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
