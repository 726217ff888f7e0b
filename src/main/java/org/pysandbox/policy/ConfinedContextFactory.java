package org.pysandbox.policy;

import java.io.InputStream;
import java.io.OutputStream;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.io.FileSystem;
import org.graalvm.polyglot.io.IOAccess;
import org.pysandbox.config.SandboxConfig;

/**
 * The Truffle floor: every sandbox context is built here, with no host I/O beyond a read-only view of
 * the allowed paths, no processes, threads, native code, environment, host classes or polyglot access.
 * Host values reach the guest only as {@code org.graalvm.polyglot.proxy} proxies, which need no host
 * access at all; whatever the Python layer above it lets through, this floor has nothing to reach.
 * GraalPy's JVM-wide signal and time-zone hooks, which no context option removes on 25.0, are taken away
 * by {@link PlatformAccess} before GraalPy initialises, and every context is checked for them.
 */
public final class ConfinedContextFactory {
    /** One engine per JVM, so parsed code and (with the JIT) compiled code are shared by all contexts. */
    private static volatile Engine sharedEngine;

    static {
        // before any GraalPy class initialises: signals and tzset are JVM-wide on GraalPy 25.0 (see the class)
        PlatformAccess.disable();
    }

    private ConfinedContextFactory() {
    }

    public static Engine engine() {
        Engine engine = sharedEngine;
        if (engine == null) {
            synchronized (ConfinedContextFactory.class) {
                engine = sharedEngine;
                if (engine == null) {
                    engine = Engine.newBuilder(PolicyScripts.LANGUAGE)
                            .option("engine.WarnInterpreterOnly", "false")
                            .out(OutputStream.nullOutputStream())
                            .err(OutputStream.nullOutputStream())
                            .build();
                    sharedEngine = engine;
                    JitStatus.reportOnce(engine);
                }
            }
        }
        return engine;
    }

    /** A confined context with nothing of the policy installed yet. */
    static Context newContext(SandboxConfig config, InputStream in, OutputStream out, OutputStream err) {
        Context context = Context.newBuilder(PolicyScripts.LANGUAGE)
                .engine(engine())
                .allowHostAccess(HostAccess.NONE)
                .allowHostClassLookup(className -> false)
                .allowHostClassLoading(false)
                .allowNativeAccess(false)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowInnerContextOptions(false)
                .allowIO(IOAccess.newBuilder().allowHostSocketAccess(false).fileSystem(fileSystem(config)).build())
                .in(in)
                .out(out)
                .err(err)
                .build();
        try {
            PlatformAccess.verify(context);
        } catch (RuntimeException e) {
            context.close(true);
            throw e;
        }
        return context;
    }

    private static FileSystem fileSystem(SandboxConfig config) {
        FileSystem base = config.allowedPaths().isEmpty()
                ? FileSystem.newDenyIOFileSystem()
                : new AllowListFileSystem(config.allowedPaths());
        // The interpreter's own standard library is an internal resource; everything else is the base.
        // Read-only over both: allowInternalResourceAccess alone lets a guest open GraalPy's extracted
        // standard library (~/.cache/org.graalvm.polyglot/...) for writing, which would plant code in every
        // context of every JVM on the machine that imports it (FloorAttackTest, "write into the stdlib").
        return FileSystem.newReadOnlyFileSystem(FileSystem.allowInternalResourceAccess(base));
    }
}
