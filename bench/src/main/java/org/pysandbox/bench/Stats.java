package org.pysandbox.bench;

import java.util.Arrays;
import java.util.List;

/** Order statistics and geometric means over measured samples. */
final class Stats {
    private Stats() {
    }

    static double median(double[] samples) {
        return percentile(samples, 50);
    }

    /** Nearest-rank percentile (p in 0..100) of the samples. */
    static double percentile(double[] samples, double p) {
        if (samples.length == 0) {
            return Double.NaN;
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Nearest-rank percentile of nanosecond samples, in milliseconds; sorts the array in place. */
    static double percentileMillis(long[] sortedOrNot, int count, double p, boolean alreadySorted) {
        if (count == 0) {
            return Double.NaN;
        }
        if (!alreadySorted) {
            Arrays.sort(sortedOrNot, 0, count);
        }
        int rank = (int) Math.ceil(p / 100.0 * count);
        return sortedOrNot[Math.max(0, Math.min(count - 1, rank - 1))] / 1e6;
    }

    static double geomean(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double logSum = 0;
        for (double v : values) {
            logSum += Math.log(v);
        }
        return Math.exp(logSum / values.size());
    }
}
