package org.pysandbox.policy;

import java.util.logging.Logger;

import org.graalvm.polyglot.Engine;

/** Tells once per JVM whether guest code will be JIT-compiled, since interpreter-only is several times slower. */
public final class JitStatus {
    private static final Logger LOG = Logger.getLogger("org.pysandbox");
    private static volatile Boolean compiled;

    private JitStatus() {
    }

    static void reportOnce(Engine engine) {
        boolean jit = !"Interpreted".equalsIgnoreCase(engine.getImplementationName());
        compiled = jit;
        if (!jit && !Boolean.getBoolean("pysandbox.quietInterpreterWarning")) {
            LOG.warning("pysandbox: GraalPy runs interpreter-only (several times slower). For the Graal JIT on a stock "
                    + "JDK start the JVM with -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI "
                    + "--upgrade-module-path=<dir with the org.graalvm.compiler jars>; see the README, section JIT.");
        }
    }

    /** True when the shared engine JIT-compiles guest code; null before the first sandbox was created. */
    public static Boolean isCompiled() {
        return compiled;
    }

    /** The engine's implementation name ("GraalVM CE" with the JIT, "Interpreted" without). */
    public static String describe() {
        return ConfinedContextFactory.engine().getImplementationName();
    }
}
