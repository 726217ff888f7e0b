package org.pysandbox.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.graalvm.polyglot.Value;
import org.pysandbox.policy.ConfinedInterpreter;
import org.pysandbox.policy.JitStatus;

/**
 * Where a kernel's time goes between raw GraalPy and {@code Sandbox.call}, by how the same checked code is
 * called: through a {@code Sandbox} (executor, guest thread, watchdog, call trampoline); through a confined
 * interpreter's call trampoline from the probe's own thread (no executor); and through the trampoline
 * handed to a worker thread per call (two threads in the context, no watchdog). Raw GraalPy in a plain context on the same engine is the baseline. The four
 * calls alternate in one JVM ({@link Steady#measureInterleaved}); each confined variant checks the kernel
 * under its own file name, so no two variants share call targets.
 *
 * <pre>RunPathProbe kernel.py n warm-up-seconds timed-calls</pre>
 */
public final class RunPathProbe {
    private RunPathProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path kernel = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        double warmupSeconds = Double.parseDouble(args[2]);
        int timed = Integer.parseInt(args[3]);
        String source = Files.readString(kernel);
        System.out.println("the Sandbox's context made " + (Boolean.getBoolean("probe.sandboxLast") ? "last" : "first")
                + "; contexts of the confined variants made on " + (Boolean.getBoolean("probe.madeElsewhere")
                ? "another thread (-Dprobe.madeElsewhere)" : "the probe's thread"));
        // -Dprobe.sandboxLast=true makes the Sandbox's context the last of the four instead of the first
        boolean sandboxLast = Boolean.getBoolean("probe.sandboxLast");
        try (Runtimes.KernelRuntime early = sandboxLast ? null : Runtimes.pysandbox(source);
             ConfinedInterpreter trampoline = created();
             ConfinedInterpreter handedOff = created();
             Runtimes.KernelRuntime raw = Runtimes.rawGraalPy(source);
             Runtimes.KernelRuntime late = sandboxLast ? Runtimes.pysandbox(source) : null) {
            Runtimes.KernelRuntime sandbox = sandboxLast ? late : early;
            Value viaTrampoline = loadBench(trampoline, source, "trampoline.py");
            Value viaWorker = loadBench(handedOff, source, "worker.py");
            ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(null, r, "probe-worker", 16L << 20));
            Map<String, Steady.Call> variants = new LinkedHashMap<>();
            variants.put("Sandbox.call (executor, guest thread, watchdog, trampoline)", () -> sandbox.call(n));
            variants.put("confined interpreter, its call trampoline, from the probe's thread",
                    () -> text(trampoline.outcomeValue(trampoline.call(viaTrampoline, n))));
            variants.put("confined interpreter, its call trampoline, handed to a worker thread per call",
                    () -> worker.submit(() -> text(handedOff.outcomeValue(handedOff.call(viaWorker, n)))).get());
            // -Dprobe.only=K measures only the K-th variant (0-2) against raw GraalPy: no other variant's
            // compilations in this JVM
            String only = System.getProperty("probe.only");
            List<String> names = new ArrayList<>();
            List<Steady.Call> calls = new ArrayList<>();
            int index = 0;
            for (Map.Entry<String, Steady.Call> variant : variants.entrySet()) {
                if (only == null || Integer.parseInt(only) == index) {
                    names.add(variant.getKey());
                    calls.add(variant.getValue());
                }
                index++;
            }
            names.add("raw GraalPy");
            calls.add(() -> raw.call(n));
            List<Steady.Result> results = Steady.measureInterleaved(calls, 8, timed, (long) (warmupSeconds * 1e9),
                    Clock.WALL);
            Steady.Result rawResult = results.get(results.size() - 1);
            double rawMillis = rawResult.medianMillis();
            System.out.printf("%s(%d), %s, warm-up %d calls in %.0f s, %d timed calls each%n%n", kernel.getFileName(), n,
                    JitStatus.describe(), results.get(0).warmupCalls(), results.get(0).warmupSeconds(), timed);
            System.out.println("| called through | median ms | / raw GraalPy |");
            System.out.println("| --- | ---: | ---: |");
            for (int i = 0; i < names.size(); i++) {
                Steady.Result r = results.get(i);
                if (!r.checksum().equals(rawResult.checksum())) {
                    throw new IllegalStateException(names.get(i) + " returned " + r.checksum() + ", raw GraalPy "
                            + rawResult.checksum());
                }
                System.out.printf("| %s | %.2f | %.2fx |%n", names.get(i), r.medianMillis(), r.medianMillis() / rawMillis);
            }
            worker.shutdown();
        }
    }

    /**
     * A confined interpreter, made on this thread, or with -Dprobe.madeElsewhere=true on another thread, as a
     * sandbox's are (its pool or its caller makes the context, its guest thread runs the code).
     */
    private static ConfinedInterpreter created() throws InterruptedException {
        if (!Boolean.getBoolean("probe.madeElsewhere")) {
            return ConfinedInterpreter.create(Runtimes.KERNEL_CONFIG);
        }
        ConfinedInterpreter[] made = new ConfinedInterpreter[1];
        Thread maker = new Thread(() -> made[0] = ConfinedInterpreter.create(Runtimes.KERNEL_CONFIG), "probe-maker");
        maker.start();
        maker.join();
        return made[0];
    }

    private static String text(Value value) {
        return value.isString() ? value.asString() : value.toString();
    }

    /** Runs the kernel's top level through the interpreter's guest path; returns its checked bench function. */
    private static Value loadBench(ConfinedInterpreter interpreter, String source, String fileName) {
        Value namespace = interpreter.newNamespace();
        interpreter.run(source, fileName, namespace, namespace, false);
        return namespace.getHashValue("bench");
    }
}
