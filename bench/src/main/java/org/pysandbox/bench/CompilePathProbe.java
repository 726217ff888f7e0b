package org.pysandbox.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.policy.ConfinedInterpreter;
import org.pysandbox.policy.JitStatus;

/**
 * Where a kernel's time goes between raw GraalPy and the sandbox, by how its code was compiled: the
 * same source, in one confined interpreter, compiled from text, from a syntax tree, and through the
 * checker's rewrite from a tree (what the sandbox does) or from the rewritten tree's text. The variants
 * run in turns for the time given; the table has the median and minimum of each call's time over the
 * second half. A probe for BENCHMARKS.md, not a sandbox: the code runs unchecked, with the policy's
 * builtins installed, its {@code __build_class__} among them. So since 2026-12-05 the "syntax tree"
 * column no longer shows GraalPy's own penalty for classes compiled from a tree (the class dictionary
 * cell, BENCHMARKS.md): the policy's class builder drops that cell for every variant.
 *
 * <pre>CompilePathProbe kernel.py n seconds</pre>
 */
public final class CompilePathProbe {
    private CompilePathProbe() {
    }

    /** Each variant's bench function, made in the interpreter's own context (the policy's modules loaded). */
    private static final String VARIANTS = """
            import ast, sys, types
            _checker = sys.modules['pysandbox.checker']

            def _bench(code, namespace=None):
                namespace = types.ModuleType('__main__').__dict__ if namespace is None else namespace
                exec(code, namespace)
                return namespace['bench']

            def _as_the_sandbox():
                # the sandbox's own compile (its options, its cache) and namespace, run through its trampoline
                runtime = sys.modules['pysandbox.runtime']
                body = runtime.compile_guest(PROBE_SOURCE, 'sandboxed.py', False)[0]
                namespace = runtime.new_namespace()
                runtime._run_code(body, None, namespace, namespace)
                return namespace['bench']

            def _rewritten():
                tree = _checker._Rewriter({}).visit(ast.parse(PROBE_SOURCE))
                return ast.fix_missing_locations(tree)

            PROBE_VARIANTS = [
                ('text', _bench(compile(PROBE_SOURCE, 'text.py', 'exec', dont_inherit=True))),
                ('syntax tree', _bench(compile(ast.parse(PROBE_SOURCE), 'tree.py', 'exec', dont_inherit=True))),
                ('syntax tree, unparsed to text', _bench(compile(ast.unparse(ast.parse(PROBE_SOURCE)), 'unparsed.py', 'exec',
                                                                 dont_inherit=True))),
                ('checker rewrite, from the tree (the sandbox)', _bench(compile(_rewritten(), 'checked.py', 'exec',
                                                                                dont_inherit=True))),
                ('checker rewrite, unparsed to text', _bench(compile(ast.unparse(_rewritten()), 'checked_text.py', 'exec',
                                                                     dont_inherit=True))),
                # the sandbox runs a script in a plain dict, not a module's namespace (runtime.new_namespace)
                ('checker rewrite, from the tree, in a plain dict', _bench(compile(_rewritten(), 'checked_dict.py', 'exec',
                                                                                   dont_inherit=True), {})),
                ('text, in a plain dict', _bench(compile(PROBE_SOURCE, 'text_dict.py', 'exec', dont_inherit=True), {})),
                ('compile_guest, the guest namespace, run_code (the sandbox, called from here)', _as_the_sandbox()),
            ]
            """;

    public static void main(String[] args) throws Exception {
        Path kernel = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        long seconds = Long.parseLong(args[2]);
        String source = Files.readString(kernel);
        SandboxConfig config = SandboxConfig.builder().timeout(Duration.ofMinutes(30)).build();
        try (ConfinedInterpreter interpreter = ConfinedInterpreter.create(config)) {
            Context context = interpreter.context();
            Value bindings = context.getBindings("python");
            bindings.putMember("PROBE_SOURCE", source);
            context.eval(Source.newBuilder("python", VARIANTS, "compile_path_probe.py").build());
            Value variants = bindings.getMember("PROBE_VARIANTS");
            if (Boolean.getBoolean("probe.secondThread")) {
                // the sandbox runs guest code on its own thread, not the one that made the context
                Thread other = new Thread(() -> context.eval("python", "1"));
                other.start();
                other.join();
            }
            Map<String, Value> functions = new LinkedHashMap<>();
            for (int i = 0; i < variants.getArraySize(); i++) {
                functions.put(variants.getArrayElement(i).getArrayElement(0).asString(),
                        variants.getArrayElement(i).getArrayElement(1));
            }
            if (Boolean.getBoolean("probe.onThread")) {
                // the whole measurement on another thread with the guest threads' stack, as a sandbox runs its guest
                Throwable[] failure = new Throwable[1];
                Thread guest = new Thread(null, () -> {
                    try {
                        measure(functions, n, seconds, kernel);
                    } catch (Throwable t) {
                        failure[0] = t;
                    }
                }, "probe-guest", 16L << 20);
                guest.start();
                guest.join();
                if (failure[0] != null) {
                    throw new IllegalStateException(failure[0]);
                }
                return;
            }
            measure(functions, n, seconds, kernel);
        }
    }

    private static void measure(Map<String, Value> functions, int n, long seconds, Path kernel) {
        Map<String, List<Double>> millis = new LinkedHashMap<>();
        functions.keySet().forEach(name -> millis.put(name, new ArrayList<>()));
        String expected = null;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            for (Map.Entry<String, Value> variant : functions.entrySet()) {
                long start = System.nanoTime();
                String result = variant.getValue().execute(n).toString();
                millis.get(variant.getKey()).add((System.nanoTime() - start) / 1e6);
                if (expected == null) {
                    expected = result;
                } else if (!expected.equals(result)) {
                    throw new IllegalStateException(variant.getKey() + " returned " + result + ", not " + expected);
                }
            }
        }
        System.out.printf("%s(%d), %s, %d rounds in %d s, second half:%n%n", kernel.getFileName(), n,
                JitStatus.describe(), millis.values().iterator().next().size(), seconds);
        System.out.println("| compiled from | median ms | min ms | median / text |");
        System.out.println("| --- | ---: | ---: | ---: |");
        double text = Double.NaN;
        for (Map.Entry<String, List<Double>> row : millis.entrySet()) {
            List<Double> half = new ArrayList<>(row.getValue().subList(row.getValue().size() / 2, row.getValue().size()));
            Collections.sort(half);
            double median = half.get(half.size() / 2);
            if (Double.isNaN(text)) {
                text = median;
            }
            System.out.printf("| %s | %.2f | %.2f | %.2fx |%n", row.getKey(), median, half.get(0), median / text);
        }
    }
}
