package org.pysandbox.policy;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.pysandbox.config.SandboxConfigurationException;

/**
 * Takes GraalPy's JVM-wide platform hooks away from every context, below the Python layer.
 *
 * <p>On GraalPy 25.0.x no context or engine option disables them: {@code _signal.raise_signal} calls
 * {@code sun.misc.Signal.raise} (SIGTERM ends the host JVM), {@code signal.signal} installs a JVM-wide
 * handler through {@code sun.misc.Signal.handle}, {@code alarm}/{@code setitimer} start raw Java threads
 * that ignore {@code allowCreateThread(false)}, and {@code time.tzset()} calls
 * {@code TimeZone.setDefault} for the whole JVM. The one switch is the system property
 * {@code python.WithoutPlatformAccess}, read once by GraalPy's {@code PythonImageBuildOptions} (a
 * {@code Boolean.getBoolean} static final) when its core is first built; with it, {@code Python3Core}
 * never registers the {@code _signal} and {@code _posixsubprocess} modules, {@code tzset} refuses, and
 * {@code os.system}/fork-exec are cut off in the Java back end. A module that was never registered cannot
 * be re-imported by guest code: there is no Python source for it to load.
 *
 * <p>The property must be set before GraalPy initialises in this JVM, so {@link #disable()} runs from the
 * static initialiser of {@link ConfinedContextFactory}, before the first engine. If the host initialised
 * GraalPy earlier, or set the property to false, the property comes too late: {@link #verify} finds the
 * modules in the context and refuses to hand it out (fail closed) rather than run untrusted code in a
 * context that can stop the JVM.
 */
final class PlatformAccess {
    static final String PROPERTY = "python.WithoutPlatformAccess";
    /** Lists those of the builtin modules that must not exist which the context has. */
    private static final String PRESENT =
            "[m for m in ('_signal', '_posixsubprocess') if m in __import__('sys').builtin_module_names]";

    private PlatformAccess() {
    }

    /** Sets the property unless the host already chose a value (then {@link #verify} decides). */
    static void disable() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "true");
        }
    }

    /** Refuses a context in which GraalPy still registered its signal or subprocess module. */
    static void verify(Context context) {
        // a Source is built here, not in a static field: this class must not touch the polyglot runtime
        // before disable() ran (the engine caches the parse, so this costs little per context)
        String present = context.eval(Source.create(PolicyScripts.LANGUAGE, PRESENT)).toString();
        if (!"[]".equals(present)) {
            throw new SandboxConfigurationException("GraalPy in this JVM still has the modules " + present
                    + ", through which guest code can end the JVM or install JVM-wide signal handlers; the system "
                    + "property " + PROPERTY + "=true must be in effect before GraalPy is first used (it is now '"
                    + System.getProperty(PROPERTY) + "'). Start the JVM with -D" + PROPERTY + "=true, or run "
                    + "untrusted scripts with isolation=process");
        }
    }
}
