package dev.loupe.metrics;

import dev.loupe.api.MetricId;
import dev.loupe.api.MetricId.Target;
import dev.loupe.api.MetricState;
import dev.loupe.api.MetricValue;
import dev.loupe.api.PredictionBatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every metric of one evaluation as one mergeable state: confusion counts, probability sums, a ranking state
 * (exact or binned) and, when intervals are on, the Poisson bootstrap. {@link #result(List)} is pure.
 */
public final class EvaluationState implements MetricState<EvaluationState> {
    private final EvaluationConfig config;
    private final ConfusionState confusion;
    private final ProbabilityState probability;
    private final RankingState<?> ranking;
    private final BootstrapState bootstrap;

    public EvaluationState(EvaluationConfig config) {
        this.config = config;
        int k = config.numClasses();
        this.confusion = new ConfusionState(k);
        this.probability = new ProbabilityState(k, config.topK(), config.calibrationBins(), config.histogramBins());
        this.ranking = config.rankingBins() == 0
                ? new ExactRankingState(k)
                : new BinnedRankingState(k, config.rankingBins(), config.bootstrap(), config.seed());
        this.bootstrap = config.bootstrap() > 0
                ? new BootstrapState(k, config.bootstrap(), config.seed(), config.topK(), config.calibrationBins())
                : null;
    }

    public EvaluationConfig config() {
        return config;
    }

    @Override
    public void update(PredictionBatch batch) {
        if (batch.numClasses() != config.numClasses()) {
            throw new IllegalArgumentException("batch has " + batch.numClasses() + " classes, state " + config.numClasses());
        }
        confusion.update(batch);
        probability.update(batch);
        ranking.update(batch);
        if (bootstrap != null) {
            bootstrap.update(batch);
        }
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public EvaluationState merge(EvaluationState other) {
        if (!other.config.equals(config)) {
            throw new IllegalArgumentException("cannot merge states with different configurations: " + config + " vs " + other.config);
        }
        confusion.merge(other.confusion);
        probability.merge(other.probability);
        ((RankingState) ranking).merge(other.ranking);
        if (bootstrap != null) {
            bootstrap.merge(other.bootstrap);
        }
        return this;
    }

    @Override
    public EvaluationState emptyCopy() {
        return new EvaluationState(config);
    }

    /** The row-major {@code [true][pred]} weighted confusion counts. */
    public double[] confusionCounts() {
        return confusion.counts();
    }

    /**
     * Per bootstrap replicate, its weighted confusion counts ({@link BootstrapState#replicateConfusions()}); empty
     * without intervals. States fed disjoint rows with the same seed draw each row's weights alike, so replicate
     * {@code b} of several states is one resample of their union.
     */
    public double[][] replicateConfusions() {
        return bootstrap == null ? new double[0][] : bootstrap.replicateConfusions();
    }

    public long rows() {
        return confusion.rows();
    }

    /** Computes every result from the state; {@code classes} names the K classes. */
    public EvaluationResult result(List<String> classes) {
        return result(classes, stage -> { });
    }

    /**
     * As {@link #result(List)}, naming each step to {@code stages} as it starts ("curves", "bootstrap intervals: …",
     * "calibration"), for progress output.
     */
    public EvaluationResult result(List<String> classes, java.util.function.Consumer<String> stages) {
        int k = config.numClasses();
        if (classes.size() != k) {
            throw new IllegalArgumentException(classes.size() + " class names for " + k + " classes");
        }
        int pos = config.positive();
        List<String> warnings = new ArrayList<>();
        double[] cm = confusion.counts();

        // point estimates
        Map<MetricId, Double> point = new LinkedHashMap<>();
        ClassificationMetrics.scalars(cm, k, pos, point);
        if (config.topK() > 0) {
            point.put(MetricId.of("top_" + config.topK() + "_accuracy"), probability.topKAccuracy());
        }
        point.put(MetricId.of("log_loss"), probability.logLoss());
        point.put(MetricId.of("brier"), probability.brier());
        Calibration.Reliability reliability = probability.reliability();
        point.put(MetricId.of("ece"), reliability.ece());
        point.put(MetricId.of("mce"), reliability.mce());

        ClassificationMetrics.PerClass pc = ClassificationMetrics.perClass(cm, k);
        List<Curves.Roc> rocs = new ArrayList<>(k);
        List<Curves.Pr> prs = new ArrayList<>(k);
        double[] bound = new double[k];
        Curves.ThresholdCounts positiveCounts = null;
        stages.accept("curves");
        for (int c = 0; c < k; c++) {
            Curves.ThresholdCounts counts = ranking.counts(c);
            if (c == pos) {
                positiveCounts = counts;
            }
            rocs.add(Curves.roc(counts));
            prs.add(Curves.pr(counts));
            bound[c] = ranking.aucErrorBound(c);
        }
        double[] auc = rocs.stream().mapToDouble(Curves.Roc::auc).toArray();
        double[] ap = prs.stream().mapToDouble(Curves.Pr::averagePrecision).toArray();
        if (pos >= 0) {
            point.put(MetricId.of("roc_auc"), auc[pos]);
            point.put(MetricId.of("average_precision"), ap[pos]);
        } else {
            point.put(MetricId.of("roc_auc"), mean(auc));
            point.put(MetricId.of("roc_auc_ovr", Target.WEIGHTED), weightedMean(auc, pc.support()));
            point.put(MetricId.of("average_precision"), mean(ap));
        }

        // intervals
        Map<MetricId, double[]> replicates = new HashMap<>();
        // per-class one-vs-rest AUC / AP intervals: [class][auc low, auc high, ap low, ap high]
        double[][] classCi = new double[k][];
        if (bootstrap != null) {
            int reps = config.bootstrap();
            stages.accept(String.format(Locale.ROOT, "bootstrap intervals: %,d replicates of ROC AUC and average precision", reps));
            replicates.putAll(bootstrap.replicateValues(pos));
            if (pos >= 0) {
                double[][] aa = ranking.bootstrapAucAp(pos, reps, config.seed());
                if (aa != null) {
                    replicates.put(MetricId.of("roc_auc"), aa[0]);
                    replicates.put(MetricId.of("average_precision"), aa[1]);
                    classCi[pos] = classInterval(auc[pos], aa[0], ap[pos], aa[1], config.level());
                }
            } else {
                double[][] aucs = new double[k][];
                double[][] aps = new double[k][];
                boolean ok = true;
                for (int c = 0; c < k && ok; c++) {
                    double[][] aa = ranking.bootstrapAucAp(c, reps, config.seed());
                    ok = aa != null;
                    if (ok) {
                        aucs[c] = aa[0];
                        aps[c] = aa[1];
                    }
                }
                if (ok) {
                    for (int c = 0; c < k; c++) {
                        classCi[c] = classInterval(auc[c], aucs[c], ap[c], aps[c], config.level());
                    }
                    double[][] cw = bootstrap.classWeights();
                    double[] macro = new double[reps];
                    double[] weighted = new double[reps];
                    double[] apMacro = new double[reps];
                    double[] col = new double[k];
                    double[] colAp = new double[k];
                    for (int b = 0; b < reps; b++) {
                        for (int c = 0; c < k; c++) {
                            col[c] = aucs[c][b];
                            colAp[c] = aps[c][b];
                        }
                        macro[b] = mean(col);
                        weighted[b] = weightedMean(col, cw[b]);
                        apMacro[b] = mean(colAp);
                    }
                    replicates.put(MetricId.of("roc_auc"), macro);
                    replicates.put(MetricId.of("roc_auc_ovr", Target.WEIGHTED), weighted);
                    replicates.put(MetricId.of("average_precision"), apMacro);
                }
            }
            if (!replicates.containsKey(MetricId.of("roc_auc"))) {
                warnings.add("No confidence interval for roc_auc / average_precision: the binned mode keeps replicate "
                        + "counts only up to " + BinnedRankingState.MAX_REPLICATE_CELLS + " cells; lower --bins or --bootstrap.");
            }
        }

        Map<MetricId, MetricValue> metrics = new LinkedHashMap<>();
        for (MetricId id : order(point.keySet())) {
            double v = point.get(id);
            double[] rep = replicates.get(id);
            MetricValue mv = MetricValue.of(v);
            if (rep != null && !Double.isNaN(v)) {
                double[] ci = Percentiles.interval(rep, config.level());
                mv = mv.withInterval(ci[0], ci[1]);
            }
            metrics.put(id, mv);
        }

        List<EvaluationResult.PerClassResult> perClass = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            double[] ci = classCi[c] == null ? new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN} : classCi[c];
            perClass.add(new EvaluationResult.PerClassResult(classes.get(c), pc.precision()[c], pc.recall()[c],
                    pc.f1()[c], pc.support()[c], auc[c], ap[c], ci[0], ci[1], ci[2], ci[3]));
        }
        warn(warnings, classes, pc, auc, pos);
        if (config.rankingBins() > 0) {
            double worst = Arrays.stream(bound).filter(x -> !Double.isNaN(x)).max().orElse(0);
            warnings.add(String.format(Locale.ROOT, "Binned curves (--bins %d): ROC AUC is within %.2g of the exact value "
                    + "(per-class bounds in curves.roc_auc_error_bound); run without --bins for exact curves.",
                    config.rankingBins(), worst));
        }

        double[][] conf = new double[k][k];
        for (int t = 0; t < k; t++) {
            System.arraycopy(cm, t * k, conf[t], 0, k);
        }
        stages.accept("calibration");
        return new EvaluationResult(confusion.rows(), probability.weight, List.copyOf(classes), pos, metrics, perClass,
                conf, rocs, prs, reliability, ranking.equalMass(config.calibrationBins()),
                pos >= 0 && positiveCounts != null ? ThresholdSweep.of(positiveCounts) : null,
                probability.histograms(), config.histogramBins(), config.bootstrap(), config.seed(),
                config.rankingBins(), bound, warnings);
    }

    /** AUC and AP intervals of one class (NaN where the point value is undefined, as for the run-level metrics). */
    private static double[] classInterval(double auc, double[] aucReps, double ap, double[] apReps, double level) {
        double[] a = Double.isNaN(auc) ? new double[] {Double.NaN, Double.NaN} : Percentiles.interval(aucReps, level);
        double[] p = Double.isNaN(ap) ? new double[] {Double.NaN, Double.NaN} : Percentiles.interval(apReps, level);
        return new double[] {a[0], a[1], p[0], p[1]};
    }

    private static void warn(List<String> warnings, List<String> classes, ClassificationMetrics.PerClass pc,
                             double[] auc, int pos) {
        int k = classes.size();
        List<String> present = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            if (!pc.noTrue()[c]) {
                present.add(classes.get(c));
            }
        }
        if (present.size() == 1) {
            warnings.add("Only one class ('" + present.get(0) + "') is present in the labels: ROC AUC is undefined "
                    + "(null) and recall of the other classes is set to 0, as scikit-learn does.");
        } else if (present.isEmpty()) {
            warnings.add("No rows with a non-zero weight: every metric is undefined.");
        }
        for (int c = 0; c < k; c++) {
            String name = "'" + classes.get(c) + "'";
            if (pc.noTrue()[c] && present.size() > 1) {
                warnings.add("Class " + name + " never occurs as a true label: its recall is ill-defined and set to 0, "
                        + "its ROC AUC is undefined (null)" + (pos < 0 ? ", so the macro ROC AUC is null" : "") + ".");
            }
            if (pc.noPredicted()[c] && !pc.noTrue()[c]) {
                warnings.add("Class " + name + " is never predicted: its precision is ill-defined and set to 0, as scikit-learn does.");
            }
        }
    }

    private static final List<String> ORDER = List.of("accuracy", "balanced_accuracy", "top_2_accuracy", "precision",
            "recall", "f1", "precision_macro", "recall_macro", "f1_macro", "precision_micro", "recall_micro", "f1_micro",
            "precision_weighted", "recall_weighted", "f1_weighted", "mcc", "cohen_kappa", "roc_auc",
            "roc_auc_ovr_weighted", "average_precision", "log_loss", "brier", "ece", "mce");

    private static List<MetricId> order(java.util.Collection<MetricId> ids) {
        List<MetricId> sorted = new ArrayList<>(ids);
        sorted.sort((a, b) -> Integer.compare(rank(a), rank(b)));
        return sorted;
    }

    private static int rank(MetricId id) {
        int i = ORDER.indexOf(id.key());
        return i < 0 ? ORDER.size() : i;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Weighted mean skipping zero-weight entries (scikit-learn's "weighted" average over classes). */
    static double weightedMean(double[] v, double[] w) {
        double s = 0;
        double ws = 0;
        for (int i = 0; i < v.length; i++) {
            if (w[i] != 0) {
                s += v[i] * w[i];
                ws += w[i];
            }
        }
        return ws == 0 ? Double.NaN : s / ws;
    }
}
