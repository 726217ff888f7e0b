package org.pysandbox.policy;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.logging.Logger;

import org.graalvm.polyglot.Engine;

/**
 * Tells once per JVM whether guest code will be JIT-compiled, since interpreter-only is several times
 * slower (about 4x slower than CPython instead of 2-4x faster), and says which JVM option is missing.
 */
public final class JitStatus {
    private static final Logger LOG = Logger.getLogger("org.pysandbox");
    /** The module the Graal compiler jar defines; present only when it is on the upgrade module path. */
    static final String COMPILER_MODULE = "jdk.graal.compiler";
    /** The JVM options that turn the JIT on for a host application started with the jars in {@code <dir>}. */
    public static final String JIT_OPTIONS = "-XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI "
            + "--upgrade-module-path=<dir> --enable-native-access=ALL-UNNAMED";

    private static volatile Boolean compiled;

    private JitStatus() {
    }

    static void reportOnce(Engine engine) {
        boolean jit = !"Interpreted".equalsIgnoreCase(engine.getImplementationName());
        compiled = jit;
        if (!jit && !Boolean.getBoolean("pysandbox.quietInterpreterWarning")) {
            LOG.warning(warning(ManagementFactory.getRuntimeMXBean().getInputArguments(),
                    ModuleLayer.boot().findModule(COMPILER_MODULE).isPresent()));
        }
    }

    /** The one warning for an interpreter-only JVM, naming the cause found in the JVM's options. */
    static String warning(List<String> jvmArguments, boolean compilerModulePresent) {
        String cause;
        if (!jvmArguments.contains("-XX:+EnableJVMCI")) {
            cause = "JVMCI is not enabled (-XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI missing)";
        } else if (!compilerModulePresent) {
            cause = "the Graal compiler is not on the upgrade module path (--upgrade-module-path=<dir> with "
                    + "org.graalvm.compiler:compiler and its dependencies missing or wrong)";
        } else {
            cause = "the Truffle runtime could not use the Graal compiler (check that the compiler jars have the "
                    + "same version as org.graalvm.polyglot:polyglot)";
        }
        return "pysandbox: GraalPy runs interpreter-only, several times slower than with the JIT, because " + cause
                + ". Start the JVM with " + JIT_OPTIONS + ", where <dir> holds org.graalvm.compiler:compiler, "
                + "org.graalvm.truffle:truffle-compiler, org.graalvm.sdk:word, collections and nativeimage of the "
                + "GraalPy version in use (the build copies them to target/graal-compiler); see the README, section "
                + "JIT. -Dpysandbox.quietInterpreterWarning=true silences this warning.";
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
