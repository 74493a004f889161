package dev.loupe.metrics;

import java.util.Arrays;

/**
 * Calibration of the top-label confidence (the probability given to the predicted class).
 * ECE = Σ_b (W_b / W)·|acc_b − conf_b| over non-empty bins; MCE = max_b |acc_b − conf_b|.
 */
public final class Calibration {
    private Calibration() {
    }

    /**
     * A reliability diagram: per bin its edges, total weight, mean confidence and accuracy (NaN when empty).
     *
     * @param strategy {@code uniform} (equal-width) or {@code quantile} (equal-mass)
     */
    public record Reliability(String strategy, double[] lower, double[] upper, double[] weight,
                              double[] confidence, double[] accuracy, double ece, double mce) {
    }

    /** From additive bins laid out [weight, Σw·conf, Σw·correct] per equal-width bin. */
    static Reliability fromBins(double[] sums, int n, String strategy) {
        double[] lo = new double[n];
        double[] hi = new double[n];
        for (int b = 0; b < n; b++) {
            lo[b] = (double) b / n;
            hi[b] = (double) (b + 1) / n;
        }
        return build(sums, n, strategy, lo, hi);
    }

    static Reliability build(double[] sums, int n, String strategy, double[] lo, double[] hi) {
        double[] w = new double[n];
        double[] conf = new double[n];
        double[] acc = new double[n];
        double total = 0;
        for (int b = 0; b < n; b++) {
            total += sums[b * 3];
        }
        double ece = 0;
        double mce = Double.NaN;
        for (int b = 0; b < n; b++) {
            w[b] = sums[b * 3];
            if (w[b] == 0) {
                conf[b] = Double.NaN;
                acc[b] = Double.NaN;
                continue;
            }
            conf[b] = sums[b * 3 + 1] / w[b];
            acc[b] = sums[b * 3 + 2] / w[b];
            double gap = Math.abs(acc[b] - conf[b]);
            ece += w[b] / total * gap;
            mce = Double.isNaN(mce) ? gap : Math.max(mce, gap);
        }
        if (total == 0) {
            ece = Double.NaN;
        }
        return new Reliability(strategy, lo, hi, w, conf, acc, ece, mce);
    }

    /** ECE only, from additive bins (used per bootstrap replicate). */
    static double ece(double[] sums, int off, int n) {
        double total = 0;
        for (int b = 0; b < n; b++) {
            total += sums[off + b * 3];
        }
        if (total == 0) {
            return Double.NaN;
        }
        double ece = 0;
        for (int b = 0; b < n; b++) {
            double w = sums[off + b * 3];
            if (w > 0) {
                ece += w / total * Math.abs(sums[off + b * 3 + 2] / w - sums[off + b * 3 + 1] / w);
            }
        }
        return ece;
    }

    /** MCE only, from additive bins (used per bootstrap replicate). */
    static double mce(double[] sums, int off, int n) {
        double mce = Double.NaN;
        for (int b = 0; b < n; b++) {
            double w = sums[off + b * 3];
            if (w > 0) {
                double gap = Math.abs(sums[off + b * 3 + 2] / w - sums[off + b * 3 + 1] / w);
                mce = Double.isNaN(mce) ? gap : Math.max(mce, gap);
            }
        }
        return mce;
    }

    /**
     * Equal-mass bins: rows sorted by confidence (ascending) are cut into {@code n} groups of about equal
     * total weight; rows with equal confidence never straddle a cut.
     *
     * @param conf    confidences sorted ascending
     * @param correct 1 where the prediction is right, else 0, in the same order
     * @param w       weights in the same order, or null for all ones
     */
    static Reliability equalMass(double[] conf, double[] correct, double[] w, int len, int n) {
        double total = 0;
        for (int i = 0; i < len; i++) {
            total += w == null ? 1.0 : w[i];
        }
        double[] sums = new double[n * 3];
        double[] lo = new double[n];
        double[] hi = new double[n];
        Arrays.fill(lo, Double.NaN);
        Arrays.fill(hi, Double.NaN);
        double cum = 0;
        int b = 0;
        for (int i = 0; i < len; i++) {
            double wi = w == null ? 1.0 : w[i];
            // advance to the bin this row's cumulative mass falls in, but keep ties together
            while (b < n - 1 && cum >= total * (b + 1) / n && (i == 0 || conf[i] != conf[i - 1])) {
                b++;
            }
            if (Double.isNaN(lo[b])) {
                lo[b] = conf[i];
            }
            hi[b] = conf[i];
            sums[b * 3] += wi;
            sums[b * 3 + 1] += wi * conf[i];
            sums[b * 3 + 2] += wi * correct[i];
            cum += wi;
        }
        return build(sums, n, "quantile", lo, hi);
    }
}
