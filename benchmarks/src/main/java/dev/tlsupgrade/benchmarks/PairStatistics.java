package dev.tlsupgrade.benchmarks;

import java.util.Arrays;
import java.util.Random;

/**
 * What a series of paired measurements says: the median of the per-pair ratios and its 95%
 * percentile-bootstrap interval (resampling the pairs), which stays honest on a noisy machine where
 * each pair's two blocks share the same moment's noise.
 */
record PairStatistics(double median, double low, double high) {
    private static final int RESAMPLES = 4000;

    static PairStatistics of(double[] ratios) {
        if (ratios.length == 0) {
            throw new IllegalArgumentException("no pairs");
        }
        Random random = new Random(42);
        double[] medians = new double[RESAMPLES];
        double[] sample = new double[ratios.length];
        for (int b = 0; b < RESAMPLES; b++) {
            for (int i = 0; i < sample.length; i++) {
                sample[i] = ratios[random.nextInt(ratios.length)];
            }
            medians[b] = median(sample);
        }
        Arrays.sort(medians);
        return new PairStatistics(median(ratios), medians[(int) (0.025 * RESAMPLES)], medians[(int) (0.975 * RESAMPLES) - 1]);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** True when the interval lies within [lowBound, highBound]. */
    boolean within(double lowBound, double highBound) {
        return low >= lowBound && high <= highBound;
    }

    /** True when the interval and [lowBound, highBound] share a point. */
    boolean overlaps(double lowBound, double highBound) {
        return low <= highBound && high >= lowBound;
    }

    @Override
    public String toString() {
        return String.format("%.3f [%.3f, %.3f]", median, low, high);
    }
}
