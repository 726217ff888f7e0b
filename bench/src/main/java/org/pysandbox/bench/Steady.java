package org.pysandbox.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Steady-state timing of repeated calls: at least {@code warmup} warm-up calls and at least
 * {@code minWarmupNanos} of them, continued (up to four times as many calls, or the minimum time if
 * that is longer) while calls keep getting faster, i.e. while the JIT is still compiling; then
 * {@code timed} timed calls, of which the median counts. On a busy machine the compiler threads get
 * less CPU, so a fixed warm-up count would time half-compiled code; and a count alone is no warm-up for
 * a kernel of 1-2 ms, which 40 calls finish before the Graal compiler on 2 cores has compiled the
 * sandbox's larger code (spectral_norm: 3.4x raw after 40 calls, 1.3-1.8x after seconds).
 */
final class Steady {
    interface Call {
        String call() throws Exception;
    }

    record Result(double medianMillis, String checksum, int warmupCalls, double warmupSeconds) {
    }

    private Steady() {
    }

    static Result measure(Call call, int warmup, int timed, long minWarmupNanos, Clock clock) throws Exception {
        return measureInterleaved(List.of(call), warmup, timed, minWarmupNanos, clock).get(0);
    }

    /**
     * {@link #measure} for several runtimes at once, their calls alternating (one call of each in turn, in
     * warm-up and in the timed calls), so that each sees the same JVM: measured one after the other, the
     * first runtime of a row warmed up while the Graal compiler itself was still cold and the next one on
     * the compiler the first had warmed (nbody: 8.3x raw GraalPy measured first, 1.08x alternating). The
     * warm-up ends when every runtime meets the conditions of {@link #measure}.
     */
    static List<Result> measureInterleaved(List<Call> runtimes, int warmup, int timed, long minWarmupNanos, Clock clock)
            throws Exception {
        int count = runtimes.size();
        double[][] recent = new double[count][6];
        String[] checksums = new String[count];
        int calls = 0;
        long warmupStart = System.nanoTime();
        while (true) {
            boolean allSettled = true;
            for (int r = 0; r < count; r++) {
                long start = clock.nanos();
                checksums[r] = runtimes.get(r).call();
                double ms = (clock.nanos() - start) / 1e6;
                recent[r][calls % recent[r].length] = ms;
                Bench.trace("  warm-up %d, runtime %d: %.1f ms", calls + 1, r, ms);
                allSettled &= calls + 1 >= recent[r].length && settled(recent[r], calls + 1);
            }
            calls++;
            boolean longEnough = System.nanoTime() - warmupStart >= minWarmupNanos;
            if (calls >= warmup && longEnough && (calls >= 4 * warmup || allSettled)) {
                break;
            }
        }
        double warmupSeconds = (System.nanoTime() - warmupStart) / 1e9;
        double[][] millis = new double[count][timed];
        for (int i = 0; i < timed; i++) {
            for (int r = 0; r < count; r++) {
                long start = clock.nanos();
                checksums[r] = runtimes.get(r).call();
                millis[r][i] = (clock.nanos() - start) / 1e6;
            }
        }
        List<Result> results = new ArrayList<>();
        for (int r = 0; r < count; r++) {
            results.add(new Result(Stats.median(millis[r]), checksums[r], calls, warmupSeconds));
        }
        return results;
    }

    /** The last three calls were on average not more than 5% faster than the three before them. */
    private static boolean settled(double[] ring, int calls) {
        double older = 0;
        double newer = 0;
        for (int i = 0; i < 3; i++) {
            older += ring[(calls - 6 + i) % ring.length];
            newer += ring[(calls - 3 + i) % ring.length];
        }
        return newer >= older * 0.95;
    }
}
