package dev.loupe.metrics;

import dev.loupe.api.MetricState;
import dev.loupe.api.PredictionBatch;

/**
 * What the ranking metrics (ROC, PR, AUC, AP, threshold sweep, equal-mass calibration) need, in one of two
 * forms: {@link ExactRankingState} keeps every score in primitive arrays and gives scikit-learn's exact
 * curves; {@link BinnedRankingState} keeps per-bin counts in constant memory with a bounded error.
 */
public sealed interface RankingState<S extends RankingState<S>> extends MetricState<S>
        permits ExactRankingState, BinnedRankingState {

    /** Cumulative weighted counts at each threshold, one class against the rest. */
    Curves.ThresholdCounts counts(int cls);

    /**
     * ROC AUC and average precision of class {@code cls} against the rest in each Poisson bootstrap replicate:
     * {@code [0][b]} = AUC, {@code [1][b]} = AP. Null when this state cannot compute it.
     */
    double[][] bootstrapAucAp(int cls, int replicates, long seed);

    /** The micro average precision in each bootstrap replicate, or null when this state cannot compute it. */
    default double[] bootstrapMicroAp(int replicates, long seed) {
        return null;
    }

    /** The standardised partial ROC AUC of {@code cls} up to {@code maxFpr} in each replicate, or null. */
    default double[] bootstrapPartialAuc(int cls, int replicates, long seed, double maxFpr) {
        return null;
    }

    /**
     * One-vs-one ROC AUCs {@code [a * K + b]} (class a's score, rows of a against rows of b) followed by the K class
     * sizes, or null when unavailable.
     */
    default double[] ovoAuc() {
        return null;
    }

    /** {@link #ovoAuc()} per bootstrap replicate: {@code [b][a * K + c]}, then the K class counts; or null. */
    default double[][] bootstrapOvoAuc(int replicates, long seed) {
        return null;
    }

    /** Equal-mass reliability bins of the top-label confidence, or null when unavailable. */
    Calibration.Reliability equalMass(int bins);

    /** A bound on |AUC(this) − exact AUC| for class {@code cls}; 0 for the exact state. */
    double aucErrorBound(int cls);

    /** Rows kept (rows with weight 0 are dropped, as scikit-learn drops them from ranking metrics). */
    long size();

    /** Adds each row of {@code b} to the state; shared by both forms' {@code update}. */
    static boolean keep(PredictionBatch b, int i) {
        return b.weight(i) != 0.0;
    }
}
