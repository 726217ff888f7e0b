package org.pysandbox.bench;

/**
 * Steady-state timing of repeated calls: at least {@code warmup} warm-up calls, continued (up to
 * four times as many) while calls keep getting faster, i.e. while the JIT is still compiling; then
 * {@code timed} timed calls, of which the median counts. On a busy machine the compiler threads get
 * less CPU, so a fixed warm-up count would time half-compiled code.
 */
final class Steady {
    interface Call {
        String call() throws Exception;
    }

    record Result(double medianMillis, String checksum, int warmupCalls) {
    }

    private Steady() {
    }

    static Result measure(Call call, int warmup, int timed, Clock clock) throws Exception {
        double[] recent = new double[6];
        String checksum = null;
        int calls = 0;
        while (true) {
            long start = clock.nanos();
            checksum = call.call();
            double ms = (clock.nanos() - start) / 1e6;
            recent[calls % recent.length] = ms;
            calls++;
            Bench.trace("  warm-up %d: %.1f ms", calls, ms);
            if (calls >= warmup && (calls >= 4 * warmup || (calls >= recent.length && settled(recent, calls)))) {
                break;
            }
        }
        double[] millis = new double[timed];
        for (int i = 0; i < timed; i++) {
            long start = clock.nanos();
            checksum = call.call();
            millis[i] = (clock.nanos() - start) / 1e6;
        }
        return new Result(Stats.median(millis), checksum, calls);
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
