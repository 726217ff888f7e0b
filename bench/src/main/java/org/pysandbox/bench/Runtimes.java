package org.pysandbox.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import javax.script.Invocable;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.pysandbox.Sandbox;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.policy.ConfinedContextFactory;

/** The in-JVM runtimes a kernel runs on: each loads a kernel's source once, then calls its bench(n). */
final class Runtimes {
    private Runtimes() {
    }

    interface KernelRuntime extends AutoCloseable {
        /** Calls the loaded kernel's {@code bench(n)} and returns its checksum as text. */
        String call(int n) throws Exception;

        @Override
        void close();
    }

    /** Recursion and time limits that let every kernel finish; everything else is the default confinement. */
    static final SandboxConfig KERNEL_CONFIG = SandboxConfig.builder()
            .recursionLimit(1000)
            .timeout(Duration.ofMinutes(5))
            .build();

    /** Set when Sandbox.call could not call a kernel and the harness fell back to Sandbox.eval. */
    static volatile String callFallback;

    /**
     * pysandbox: the kernel's top-level code runs through Sandbox.execute, bench through Sandbox.call
     * (or, where Sandbox.call fails, through Sandbox.eval("bench(n)") with bench and n as bindings).
     */
    static KernelRuntime pysandbox(String source) throws Exception {
        Sandbox sandbox = new Sandbox(KERNEL_CONFIG);
        Map<String, Object> globals = new HashMap<>();
        sandbox.execute(source, globals);
        Object bench = globals.get("bench");
        boolean callWorks;
        try {
            sandbox.call(bench, 1);
            callWorks = true;
        } catch (javax.script.ScriptException e) {
            callWorks = false;
            callFallback = "Sandbox.call(bench, n) failed (" + e.getMessage() + "); kernels were called through "
                    + "Sandbox.eval(\"bench(n)\", {bench, n}) instead, which adds a namespace and write-back per call "
                    + "(negligible against calls of 10+ ms).";
        }
        boolean direct = callWorks;
        return new KernelRuntime() {
            @Override
            public String call(int n) throws Exception {
                if (direct) {
                    return String.valueOf(sandbox.call(bench, n));
                }
                Map<String, Object> bindings = new HashMap<>();
                bindings.put("bench", bench);
                bindings.put("n", n);
                return String.valueOf(sandbox.eval("bench(n)", bindings));
            }

            @Override
            public void close() {
                sandbox.close();
            }
        };
    }

    /**
     * The same GraalPy without the sandbox: a plain context on the sandbox's shared engine (same engine
     * options, same code sharing), no policy layer, no rewrite, no confinement.
     */
    static KernelRuntime rawGraalPy(String source) {
        Context context = Context.newBuilder("python").engine(ConfinedContextFactory.engine())
                .allowHostAccess(HostAccess.NONE) // an engine's contexts must share one host access configuration
                .build();
        context.eval(Source.create("python", source));
        Value bench = context.getBindings("python").getMember("bench");
        return new KernelRuntime() {
            @Override
            public String call(int n) {
                return bench.execute(n).asString();
            }

            @Override
            public void close() {
                context.close();
            }
        };
    }

    /** Jython 2.7 through its own JSR-223 engine (a fresh engine per kernel). */
    static KernelRuntime jython(String source) throws Exception {
        ScriptEngine engine = jythonEngine();
        engine.eval(source);
        Invocable invocable = (Invocable) engine;
        return new KernelRuntime() {
            @Override
            public String call(int n) throws Exception {
                return String.valueOf(invocable.invokeFunction("bench", n));
            }

            @Override
            public void close() {
                // a Jython engine holds no resources beyond the heap
            }
        };
    }

    /** Jython's engine by its own name, so a pysandbox engine registered as "python" cannot be picked instead. */
    static ScriptEngine jythonEngine() {
        ScriptEngine engine = new ScriptEngineManager().getEngineByName("jython");
        if (engine == null) {
            throw new IllegalStateException("no JSR-223 engine named 'jython' (is jython-standalone on the class path?)");
        }
        return engine;
    }
}
