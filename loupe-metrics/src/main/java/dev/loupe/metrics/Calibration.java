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
        for (int b = 0; b < n; b++) {
            w[b] = sums[b * 3];
            conf[b] = w[b] == 0 ? Double.NaN : sums[b * 3 + 1] / w[b];
            acc[b] = w[b] == 0 ? Double.NaN : sums[b * 3 + 2] / w[b];
        }
        double[] errors = errors(sums, 0, n);
        return new Reliability(strategy, lo, hi, w, conf, acc, errors[0], errors[1]);
    }

    /**
     * {ECE, MCE} from additive bins [weight, Σw·conf, Σw·correct] starting at {@code off} (also used per bootstrap
     * replicate); NaN when every bin is empty.
     */
    static double[] errors(double[] sums, int off, int n) {
        double total = 0;
        for (int b = 0; b < n; b++) {
            total += sums[off + b * 3];
        }
        double ece = 0;
        double mce = Double.NaN;
        for (int b = 0; b < n; b++) {
            double w = sums[off + b * 3];
            if (w > 0) {
                double gap = Math.abs(sums[off + b * 3 + 2] / w - sums[off + b * 3 + 1] / w);
                ece += w / total * gap;
                mce = Double.isNaN(mce) ? gap : Math.max(mce, gap);
            }
        }
        return new double[] {total == 0 ? Double.NaN : ece, mce};
    }

    /**
     * Equal-mass bins over groups of rows that must stay together (rows with one confidence value, or one fine bin):
     * groups, in ascending confidence order, are assigned to {@code n} bins of about equal total weight.
     *
     * @param groups additive sums [weight, Σw·conf, Σw·correct] per group
     * @param lo     lowest confidence of each group
     * @param hi     highest confidence of each group
     */
    static Reliability equalMass(double[] groups, double[] lo, double[] hi, int count, int n) {
        double total = 0;
        for (int g = 0; g < count; g++) {
            total += groups[g * 3];
        }
        double[] sums = new double[n * 3];
        double[] binLo = new double[n];
        double[] binHi = new double[n];
        Arrays.fill(binLo, Double.NaN);
        Arrays.fill(binHi, Double.NaN);
        double cum = 0;
        int b = 0;
        for (int g = 0; g < count; g++) {
            while (b < n - 1 && cum >= total * (b + 1) / n) {
                b++;
            }
            if (Double.isNaN(binLo[b])) {
                binLo[b] = lo[g];
            }
            binHi[b] = hi[g];
            for (int x = 0; x < 3; x++) {
                sums[b * 3 + x] += groups[g * 3 + x];
            }
            cum += groups[g * 3];
        }
        return build(sums, n, "quantile", binLo, binHi);
    }
}
