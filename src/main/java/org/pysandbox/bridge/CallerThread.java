package org.pysandbox.bridge;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.concurrent.Callable;

/**
 * Runs host code on the thread that called the sandbox. Guest code may run on a worker thread (where the
 * limits can give up on it), but host methods a script reaches (getters, allowed methods, host functions,
 * the host's own collections) must see the caller's thread-locals: a transaction, a process engine's
 * context, a test plan's variables, a logging MDC. The executor binds a {@link Mailbox} to its worker
 * thread for the length of a call; every host call of the bridge goes through {@link #run}.
 */
public final class CallerThread {
    /** Delivers host work to the caller's thread and waits for its outcome. */
    public interface Mailbox {
        <T> T call(Callable<T> work) throws Exception;
    }

    /** A map of the library's own whose operations run no host code (no hand-off to the caller needed). */
    public interface LibraryMap {
    }

    private static final ThreadLocal<Mailbox> CURRENT = new ThreadLocal<>();

    private CallerThread() {
    }

    /** Routes this thread's host calls to the mailbox until {@link #unbind()}. */
    public static void bind(Mailbox mailbox) {
        CURRENT.set(mailbox);
    }

    public static void unbind() {
        CURRENT.remove();
    }

    /** Runs host code on the caller's thread (directly, when this thread is the caller or no call is bound). */
    static <T> T run(Callable<T> work) {
        Mailbox mailbox = CURRENT.get();
        try {
            return mailbox == null ? work.call() : mailbox.call(work);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * Runs a host write for the executor on the caller's thread; a failure is logged and skipped (a map
     * that refuses one key must not fail the script).
     */
    public static void onHost(Object target, Runnable write) {
        try {
            if (plainJdkCollection(target)) {
                write.run();
                return;
            }
            run(() -> {
                write.run();
                return null;
            });
        } catch (RuntimeException e) {
            System.getLogger("org.pysandbox.bridge").log(System.Logger.Level.DEBUG,
                    "pysandbox could not write a script's binding back to the host's map", e);
        }
    }

    /**
     * True for collections whose reads run only JDK code that needs no thread-locals (so they stay on the
     * guest thread and a loop over a large list costs no thread hand-offs). Subclasses, wrappers and the
     * host's own collections are not on the list: their reads may run host code.
     */
    static boolean plainJdkCollection(Object collection) {
        Class<?> c = collection.getClass();
        return collection instanceof LibraryMap || c == HashMap.class || c == LinkedHashMap.class || c == ArrayList.class
                || c.getName().startsWith("java.util.ImmutableCollections$")
                || c.getName().equals("java.util.Arrays$ArrayList");
    }
}
