package org.pysandbox.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.pysandbox.policy.JitStatus;

/**
 * One kernel file, pysandbox against raw GraalPy in the same JVM, their calls alternating with a warm-up
 * of at least the seconds given ({@link Steady#measureInterleaved}, as the kernels section of the bench):
 * for a kernel outside bench/kernels (bench/probes) or a longer warm-up than a whole bench run can
 * afford. Prints one Markdown row.
 *
 * <pre>KernelPairProbe kernel.py n warm-up-seconds timed-calls</pre>
 */
public final class KernelPairProbe {
    private KernelPairProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path kernel = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        double warmupSeconds = Double.parseDouble(args[2]);
        int timed = Integer.parseInt(args[3]);
        // -Dbench.rawFirst=true makes raw GraalPy's context the first one (KernelSuite.measurePair)
        List<Steady.Result> both = KernelSuite.measurePair(Files.readString(kernel), n, 8, warmupSeconds, timed, Clock.WALL,
                Boolean.getBoolean("bench.rawFirst"));
        Steady.Result s = both.get(0);
        Steady.Result r = both.get(1);
        if (!s.checksum().equals(r.checksum())) {
            throw new IllegalStateException("checksums differ: pysandbox " + s.checksum() + ", raw " + r.checksum());
        }
        System.out.println("| kernel (n) | Truffle runtime | warm-up | pysandbox ms | raw GraalPy ms | pysandbox / raw |");
        System.out.println("| --- | --- | ---: | ---: | ---: | ---: |");
        System.out.printf("| %s (%d) | %s | %d calls, %.0f s | %.2f | %.2f | %.2fx |%n", kernel.getFileName(), n,
                JitStatus.describe(), s.warmupCalls(), s.warmupSeconds(), s.medianMillis(), r.medianMillis(),
                s.medianMillis() / r.medianMillis());
    }
}
