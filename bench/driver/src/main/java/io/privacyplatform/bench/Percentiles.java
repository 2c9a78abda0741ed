package io.privacyplatform.bench;

import java.util.Arrays;

/** Nearest-rank percentiles of a sample (the value below which p% of the samples are, no interpolation). */
final class Percentiles {

    private final double[] sorted;

    Percentiles(double[] samples) {
        this.sorted = samples.clone();
        Arrays.sort(this.sorted);
    }

    int count() {
        return sorted.length;
    }

    /** NaN for an empty sample, so a missing figure is never reported as 0. */
    double at(double percent) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    double max() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }
}
