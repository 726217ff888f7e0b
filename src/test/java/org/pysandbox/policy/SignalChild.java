package org.pysandbox.policy;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.Set;
import java.util.TimeZone;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.io.FileSystem;
import org.graalvm.polyglot.io.IOAccess;
import org.pysandbox.config.SandboxConfig;

/**
 * The child JVM of {@link SignalFloorTest}: builds one context (the production floor, or with {@code raw}
 * a plain GraalPy context that lacks only {@link PlatformAccess}), runs the guest code given as its
 * arguments, and reports on stdout what the JVM saw afterwards. Run in its own JVM so that a signal that
 * gets through ends this process, not the test's.
 */
public final class SignalChild {
    private SignalChild() {
    }

    public static void main(String[] args) throws Exception {
        boolean raw = args[0].equals("raw");
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        Context context;
        try {
            context = raw ? rawContext() : ConfinedContextFactory.newContext(SandboxConfig.builder().build(),
                    InputStream.nullInputStream(), OutputStream.nullOutputStream(), OutputStream.nullOutputStream());
        } catch (RuntimeException refused) {
            System.out.println("REFUSED " + refused.getClass().getSimpleName() + ": " + refused.getMessage());
            return;
        }
        context.eval("python", "1");
        before.addAll(Thread.getAllStackTraces().keySet()); // the context's own pools exist from here on
        for (int i = 1; i < args.length; i++) {
            String code = args[i].replace("%PID%", Long.toString(ProcessHandle.current().pid()));
            try {
                System.out.println("RESULT " + context.eval("python", code));
            } catch (PolyglotException refused) {
                System.out.println("GUEST " + refused.getMessage());
            }
        }
        System.out.println("TZ " + TimeZone.getDefault().getID());
        Thread.sleep(1500); // long enough for alarm(1) or a 1 s timer to fire
        Set<String> started = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!before.contains(t) && t.isAlive() && !t.getName().startsWith("python-actions-")) {
                started.add(t.getName());
            }
        }
        System.out.println("NEW THREADS " + started);
        System.out.println("ALIVE");
        System.out.flush();
        if (Boolean.getBoolean("signalchild.wait")) {
            Thread.sleep(120_000); // the test sends a real SIGTERM now
            System.out.println("NOT TERMINATED");
        }
        context.close(true);
    }

    /** The same restrictions as the floor, built directly: only the python.WithoutPlatformAccess switch is missing. */
    private static Context rawContext() {
        return Context.newBuilder("python").allowCreateThread(false).allowCreateProcess(false)
                .allowNativeAccess(false).allowIO(IOAccess.newBuilder()
                        .fileSystem(FileSystem.allowInternalResourceAccess(FileSystem.newDenyIOFileSystem())).build())
                .out(OutputStream.nullOutputStream()).err(OutputStream.nullOutputStream()).build();
    }
}
