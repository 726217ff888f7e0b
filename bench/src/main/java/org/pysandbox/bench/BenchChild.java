package org.pysandbox.bench;

import java.util.List;

/**
 * Entry point of the fresh JVMs that {@link ChildJvm} starts: runs one job and prints its results as
 * {@code RESULT}-prefixed lines on stdout. Jobs:
 * <pre>
 * rules SECONDS                  the rules of RuleSuite for pysandbox (JSR-223), raw GraalPy and Jython, 1 and 2 threads
 * warmup ROW SECONDS             evaluations per second from the first call on (WarmupSuite)
 * young-fresh COUNT AGE_SECONDS  fresh sandboxes from the pool in a JVM that is AGE_SECONDS old (StartupSuite)
 * first-eval                     a host's first eval and nothing else (StartupSuite, the AOT cache recipe)
 * kernel-pair FILE N WARMUP WARMUP_SECONDS TIMED CLOCK
 *                                one kernel, pysandbox and raw GraalPy alternating (KernelSuite)
 * </pre>
 */
public final class BenchChild {
    private BenchChild() {
    }

    public static void main(String[] args) throws Exception {
        List<String> lines = switch (args[0]) {
            case "rules" -> new RuleSuite(Double.parseDouble(args[1]),
                    RuleSuite.rows(RuleSuite.SANDBOX_JSR223, RuleSuite.RAW, RuleSuite.JYTHON), new int[] {1, 2},
                    " [child JVM]").run().lines();
            case "warmup" -> WarmupSuite.child(args[1], Double.parseDouble(args[2]));
            case "young-fresh" -> StartupSuite.youngChild(Integer.parseInt(args[1]), Double.parseDouble(args[2]));
            case "kernel-pair" -> KernelSuite.child(java.nio.file.Path.of(args[1]), Integer.parseInt(args[2]),
                    Integer.parseInt(args[3]), Double.parseDouble(args[4]), Integer.parseInt(args[5]), Clock.valueOf(args[6]));
            case "first-eval" -> List.of("first\t" + StartupSuite.firstEval());
            default -> throw new IllegalArgumentException("unknown child job " + args[0]);
        };
        lines.forEach(line -> System.out.println(ChildJvm.PREFIX + line));
        System.out.flush();
        // the interpreter pool's background threads would keep the JVM alive
        System.exit(0);
    }
}
