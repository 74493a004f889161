package dev.loupe.metrics;

import dev.loupe.api.InvalidInputException;

import java.util.List;

/**
 * How an evaluation accumulates and reports.
 *
 * @param numClasses      number of classes K (≥ 2)
 * @param positive        index of the positive class for binary problems, −1 for multi-class
 * @param bootstrap       Poisson bootstrap replicates for confidence intervals; 0 turns them off
 * @param seed            bootstrap seed
 * @param level           confidence level of the intervals (0.95)
 * @param calibrationBins equal-width (and equal-mass) reliability bins for ECE/MCE (15)
 * @param histogramBins   bins of the score histograms (20)
 * @param rankingBins     0 for exact curves, else the number of score bins of the constant-memory mode
 * @param options         the metrics' own options (top-k, F-β, zero division, partial AUC, label order)
 */
public record EvaluationConfig(int numClasses, int positive, int bootstrap, long seed, double level,
                               int calibrationBins, int histogramBins, int rankingBins, MetricOptions options)
        implements java.io.Serializable {
    /** With the default {@link MetricOptions}. */
    public EvaluationConfig(int numClasses, int positive, int bootstrap, long seed, double level,
                            int calibrationBins, int histogramBins, int rankingBins) {
        this(numClasses, positive, bootstrap, seed, level, calibrationBins, histogramBins, rankingBins, MetricOptions.defaults());
    }
    /** Most bootstrap replicates accepted: more buy no precision and only cost memory and time. */
    public static final int MAX_BOOTSTRAP = 100_000;

    public EvaluationConfig {
        java.util.Objects.requireNonNull(options, "options");
        if (!Double.isNaN(options.maxFpr()) && numClasses != 2) {
            throw new InvalidInputException("BAD_PARAMETER", "--max-fpr (partial ROC AUC) needs a binary problem; this one has "
                    + numClasses + " classes (scikit-learn has no multi-class partial AUC either). Leave --max-fpr out.");
        }
        if (numClasses < 2) {
            throw InvalidInputException.parameter("classes", "at least 2 classes", numClasses);
        }
        if (bootstrap < 0) {
            throw InvalidInputException.parameter("bootstrap", "a number of replicates >= 0", bootstrap);
        }
        if (bootstrap > MAX_BOOTSTRAP) {
            throw InvalidInputException.parameter("bootstrap", "at most " + MAX_BOOTSTRAP + " replicates (each keeps its own"
                    + " confusion matrix and calibration sums, and 10,000 already pin a 95% interval's ends to about 1% of"
                    + " its width)", bootstrap);
        }
        if (!(level > 0 && level < 1)) {
            throw InvalidInputException.parameter("level", "in (0, 1)", level);
        }
        if (calibrationBins < 1) {
            throw InvalidInputException.parameter("calibration-bins", "at least 1", calibrationBins);
        }
        if (histogramBins < 1) {
            throw InvalidInputException.parameter("histogram-bins", "at least 1", histogramBins);
        }
        if (rankingBins < 0 || rankingBins == 1) {
            throw InvalidInputException.parameter("bins", "0 (exact) or at least 2", rankingBins);
        }
    }

    /** Defaults: 1000 replicates, seed 0, 95%, 15 calibration bins, 20 histogram bins, exact curves. */
    public static EvaluationConfig defaults(int numClasses, int positive) {
        return new EvaluationConfig(numClasses, positive, 1000, 0L, 0.95, 15, 20, 0);
    }

    public EvaluationConfig withBootstrap(int replicates, long newSeed) {
        return new EvaluationConfig(numClasses, positive, replicates, newSeed, level, calibrationBins, histogramBins, rankingBins, options);
    }

    public EvaluationConfig withRankingBins(int bins) {
        return new EvaluationConfig(numClasses, positive, bootstrap, seed, level, calibrationBins, histogramBins, bins, options);
    }

    public EvaluationConfig withOptions(MetricOptions newOptions) {
        return new EvaluationConfig(numClasses, positive, bootstrap, seed, level, calibrationBins, histogramBins, rankingBins, newOptions);
    }

    /** The k of each reported top-k accuracy (default: 2 when there are at least 3 classes). */
    public List<Integer> topKs() {
        return options.topKFor(numClasses);
    }

    /** The first reported k of top-k accuracy, 0 when none is. */
    public int topK() {
        List<Integer> ks = topKs();
        return ks.isEmpty() ? 0 : ks.get(0);
    }

    public boolean binary() {
        return numClasses == 2;
    }
}
