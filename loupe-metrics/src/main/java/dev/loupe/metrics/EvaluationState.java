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
    /** Whether {@link #update} leaves the ranking state to {@link #updateRanking} (see {@link #feedRankingApart}). */
    private boolean rankingApart;

    public EvaluationState(EvaluationConfig config) {
        this.config = config;
        int k = config.numClasses();
        this.confusion = new ConfusionState(k);
        this.probability = new ProbabilityState(k, config.topK(), config.calibrationBins(), config.histogramBins(),
                config.options().tieRanks(k));
        this.ranking = config.rankingBins() == 0
                ? new ExactRankingState(k)
                : new BinnedRankingState(k, config.rankingBins(), config.bootstrap(), config.seed());
        this.bootstrap = config.bootstrap() > 0
                ? new BootstrapState(k, config.bootstrap(), config.seed(), config.calibrationBins(), config.options())
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
        if (!rankingApart) {
            ranking.update(batch);
        }
        if (bootstrap != null) {
            bootstrap.update(batch);
        }
    }

    /**
     * From now on {@link #update} leaves the ranking state (curves, AUC/AP, equal-mass calibration) alone, and the
     * caller feeds it with {@link #updateRanking}: loupe-spark's exact mode sends it each distinct (score, label,
     * prediction) once, weighted by the rows that share it, so that the driver never receives every row. Only valid
     * where nothing reads a row's key from the ranking state (no bootstrap) and for two classes (one-vs-one AUCs need
     * unweighted rows).
     */
    public EvaluationState feedRankingApart() {
        rankingApart = true;
        return this;
    }

    /** Adds {@code batch} to the ranking state only (see {@link #feedRankingApart}). */
    public void updateRanking(PredictionBatch batch) {
        ranking.update(batch);
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

    /**
     * Every additive metric (label, probability and calibration metrics; not the ranking ones) in every bootstrap
     * replicate: metric → double[replicates]; empty without intervals. Two states fed the same keys with the same seed
     * resample alike, so their replicates pair up ({@link Robustness}).
     */
    public Map<MetricId, double[]> replicateValues() {
        return bootstrap == null ? Map.of() : bootstrap.replicateValues(config.positive());
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
        MetricOptions options = config.options();
        List<String> warnings = new ArrayList<>();
        double[] cm = confusion.counts();

        // point estimates
        Map<MetricId, Double> point = new LinkedHashMap<>();
        ClassificationMetrics.scalars(cm, k, pos, options, point);
        for (int kk : config.topKs()) {
            point.put(MetricId.of("top_" + kk + "_accuracy"), probability.topKAccuracy(kk));
            if (kk >= k) {
                warnings.add("top_" + kk + "_accuracy is 1 by definition: k = " + kk + " is not below the number of classes ("
                        + k + "), as scikit-learn warns too.");
            }
        }
        point.put(MetricId.of("log_loss"), probability.logLoss());
        point.put(MetricId.of("brier"), probability.brier());
        ClassificationMetrics.PerClass pc = ClassificationMetrics.perClass(cm, k, options.zeroDivision());
        double[] d2 = ProbabilityState.d2(probability.logLoss(), probability.brier(), pc.support());
        point.put(MetricId.of("d2_log_loss"), d2[0]);
        point.put(MetricId.of("d2_brier"), d2[1]);
        Calibration.Reliability reliability = probability.reliability();
        point.put(MetricId.of("ece"), reliability.ece());
        point.put(MetricId.of("mce"), reliability.mce());

        List<Curves.Roc> rocs = new ArrayList<>(k);
        List<Curves.Pr> prs = new ArrayList<>(k);
        List<Curves.Det> dets = new ArrayList<>(k);
        double[] bound = new double[k];
        Curves.ThresholdCounts positiveCounts = null;
        List<Curves.ThresholdCounts> classCounts = new ArrayList<>(k);
        stages.accept("curves");
        for (int c = 0; c < k; c++) {
            Curves.ThresholdCounts counts = ranking.counts(c);
            classCounts.add(counts);
            if (c == pos) {
                positiveCounts = counts;
            }
            rocs.add(Curves.roc(counts));
            prs.add(Curves.pr(counts));
            dets.add(Curves.det(counts));
            bound[c] = ranking.aucErrorBound(c);
        }
        double[] auc = rocs.stream().mapToDouble(Curves.Roc::auc).toArray();
        double[] ap = prs.stream().mapToDouble(Curves.Pr::averagePrecision).toArray();
        boolean partial = !Double.isNaN(options.maxFpr());
        if (pos >= 0) {
            point.put(MetricId.of("roc_auc"), auc[pos]);
            point.put(MetricId.of("average_precision"), ap[pos]);
            if (partial) {
                point.put(MetricId.of("partial_roc_auc"), Curves.partialAuc(rocs.get(pos), options.maxFpr()));
            }
        } else {
            point.put(MetricId.of("roc_auc"), mean(auc));
            point.put(MetricId.of("roc_auc_ovr", Target.WEIGHTED), weightedMean(auc, pc.support()));
            double[] ovo = ranking.ovoAuc();
            double[] ovoAvg = ovo == null ? new double[] {Double.NaN, Double.NaN} : ovoAverages(ovo, k);
            point.put(MetricId.of("roc_auc_ovo", Target.MACRO), ovoAvg[0]);
            point.put(MetricId.of("roc_auc_ovo", Target.WEIGHTED), ovoAvg[1]);
            if (ovo == null && k >= 3) {
                warnings.add(config.rankingBins() > 0
                        ? "One-vs-one ROC AUC (roc_auc_ovo_*) is null: binned mode (--bins) keeps no per-class negatives; "
                                + "run without --bins for it."
                        : "One-vs-one ROC AUC (roc_auc_ovo_*) is null: it is not defined with sample weights "
                                + "(scikit-learn refuses them); the one-vs-rest roc_auc is weighted.");
            }
            point.put(MetricId.of("average_precision"), mean(ap));
            // the micro average pools every (row, class) pair: its counts are the classes' counts summed
            point.put(MetricId.of("average_precision", Target.MICRO), Curves.pr(Curves.sum(classCounts)).averagePrecision());
            point.put(MetricId.of("average_precision", Target.WEIGHTED), weightedMean(ap, pc.support()));
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
                double[] pa = partial ? ranking.bootstrapPartialAuc(pos, reps, config.seed(), options.maxFpr()) : null;
                if (pa != null) {
                    replicates.put(MetricId.of("partial_roc_auc"), pa);
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
                    double[] apWeighted = new double[reps];
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
                        apWeighted[b] = weightedMean(colAp, cw[b]);
                    }
                    replicates.put(MetricId.of("roc_auc"), macro);
                    replicates.put(MetricId.of("roc_auc_ovr", Target.WEIGHTED), weighted);
                    replicates.put(MetricId.of("average_precision"), apMacro);
                    replicates.put(MetricId.of("average_precision", Target.WEIGHTED), apWeighted);
                }
                double[] micro = ranking.bootstrapMicroAp(reps, config.seed());
                if (micro != null) {
                    replicates.put(MetricId.of("average_precision", Target.MICRO), micro);
                }
                double[][] ovo = ranking.bootstrapOvoAuc(reps, config.seed());
                if (ovo != null) {
                    double[] ovoMacro = new double[reps];
                    double[] ovoWeighted = new double[reps];
                    for (int b = 0; b < reps; b++) {
                        double[] avg = ovoAverages(ovo[b], k);
                        ovoMacro[b] = avg[0];
                        ovoWeighted[b] = avg[1];
                    }
                    replicates.put(MetricId.of("roc_auc_ovo", Target.MACRO), ovoMacro);
                    replicates.put(MetricId.of("roc_auc_ovo", Target.WEIGHTED), ovoWeighted);
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
        warn(warnings, classes, pc, confusion.classRows(), auc, pos, options.zeroDivision());
        if (bootstrap != null && pos < 0 && !replicates.containsKey(MetricId.of("average_precision", Target.MICRO))
                && replicates.containsKey(MetricId.of("roc_auc"))) {
            warnings.add("No confidence interval for average_precision_micro: more than "
                    + ExactRankingState.MAX_MICRO_PAIRS + " (row, class) pairs; lower --bootstrap to 0 to skip intervals.");
        }
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
                conf, rocs, prs, dets, reliability, ranking.equalMass(config.calibrationBins()),
                pos >= 0 && positiveCounts != null ? ThresholdSweep.of(positiveCounts) : null,
                probability.histograms(), config.histogramBins(), config.bootstrap(), config.seed(),
                config.rankingBins(), bound, options, warnings);
    }

    /** AUC and AP intervals of one class (NaN where the point value is undefined, as for the run-level metrics). */
    private static double[] classInterval(double auc, double[] aucReps, double ap, double[] apReps, double level) {
        double[] a = Double.isNaN(auc) ? new double[] {Double.NaN, Double.NaN} : Percentiles.interval(aucReps, level);
        double[] p = Double.isNaN(ap) ? new double[] {Double.NaN, Double.NaN} : Percentiles.interval(apReps, level);
        return new double[] {a[0], a[1], p[0], p[1]};
    }

    private static void warn(List<String> warnings, List<String> classes, ClassificationMetrics.PerClass pc, long[] classRows,
                             double[] auc, int pos, double zeroDivision) {
        int k = classes.size();
        boolean undefined = Double.isNaN(zeroDivision);
        String set = undefined ? "left undefined (null)"
                : "set to " + (long) zeroDivision + (zeroDivision == 0 ? ", as scikit-learn does" : " (--zero-division 1)");
        List<String> present = new ArrayList<>();
        List<String> predicted = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            if (!pc.noTrue()[c]) {
                present.add(classes.get(c));
            }
            if (!pc.noPredicted()[c]) {
                predicted.add(classes.get(c));
            }
        }
        if (present.size() == 1) {
            warnings.add("Only one class ('" + present.get(0) + "') is present in the labels: ROC AUC, " + (undefined ? "MCC, " : "")
                    + "the D² scores and the adjusted balanced accuracy are undefined (null) and recall of the other classes is "
                    + set + ".");
        } else if (predicted.size() == 1 && undefined) {
            warnings.add("Only one class ('" + predicted.get(0) + "') is predicted: MCC is undefined (null).");
        }
        if (present.isEmpty()) {
            warnings.add("No rows with a non-zero weight: every metric is undefined.");
        }
        for (int c = 0; c < k; c++) {
            String name = "'" + classes.get(c) + "'";
            if (pc.noTrue()[c] && present.size() > 1) {
                String absent = classRows[c] > 0
                        ? "Class " + name + " has " + classRows[c] + (classRows[c] == 1 ? " row" : " rows") + ", all with weight 0,"
                                + " so it counts as absent from the labels"
                        : "Class " + name + " never occurs as a true label";
                warnings.add(absent + ": its recall is ill-defined and " + set + ", its ROC AUC is undefined (null)"
                        + (pos < 0 ? ", so the macro ROC AUC is null" : "") + ".");
            }
            if (pc.noPredicted()[c] && !pc.noTrue()[c]) {
                warnings.add("Class " + name + " is never predicted: its precision is ill-defined and " + set + ".");
            }
        }
    }

    /**
     * The one-vs-one averages from {@link RankingState#ovoAuc()}'s layout: over every pair of classes present, the
     * mean of the two directions' AUCs; macro = their mean, weighted = weighted by the pair's share of the rows
     * (scikit-learn's {@code _average_multiclass_ovo_score}). NaN with fewer than two classes present.
     */
    static double[] ovoAverages(double[] v, int k) {
        double total = 0;
        for (int c = 0; c < k; c++) {
            total += v[k * k + c];
        }
        double sum = 0;
        double wSum = 0;
        double weights = 0;
        int pairs = 0;
        for (int a = 0; a < k; a++) {
            for (int b = a + 1; b < k; b++) {
                if (v[k * k + a] > 0 && v[k * k + b] > 0) {
                    double score = (v[a * k + b] + v[b * k + a]) / 2;
                    double prevalence = (v[k * k + a] + v[k * k + b]) / total;
                    sum += score;
                    wSum += prevalence * score;
                    weights += prevalence;
                    pairs++;
                }
            }
        }
        return pairs == 0 ? new double[] {Double.NaN, Double.NaN} : new double[] {sum / pairs, wSum / weights};
    }

    /** Metric order: the headline metrics first, then label scores, agreement, ranking and probability metrics. */
    public static final List<String> ORDER = List.of(
            "accuracy", "balanced_accuracy", "f1", "f1_macro", "roc_auc", "average_precision", "log_loss", "brier", "ece",
            "precision", "recall", "precision_macro", "recall_macro", "precision_micro", "recall_micro", "f1_micro",
            "precision_weighted", "recall_weighted", "f1_weighted",
            "fbeta*", "jaccard", "jaccard_macro", "jaccard_micro", "jaccard_weighted",
            "mcc", "cohen_kappa", "cohen_kappa_linear", "cohen_kappa_quadratic", "balanced_accuracy_adjusted",
            "hamming_loss", "zero_one_loss", "positive_likelihood_ratio", "negative_likelihood_ratio",
            "top_k*", "roc_auc_ovr_weighted", "roc_auc_ovo_macro", "roc_auc_ovo_weighted", "partial_roc_auc",
            "average_precision_micro", "average_precision_weighted",
            "d2_log_loss", "d2_brier", "mce");

    private static List<MetricId> order(java.util.Collection<MetricId> ids) {
        List<MetricId> sorted = new ArrayList<>(ids);
        sorted.sort((a, b) -> Double.compare(rank(a), rank(b)));
        return sorted;
    }

    /** Position in {@link #ORDER}; F-β scores sort by β, top-k by k, within their places. */
    private static double rank(MetricId id) {
        String key = id.key();
        int i = ORDER.indexOf(key);
        if (i >= 0) {
            return i;
        }
        java.util.regex.Matcher top = TOP_K.matcher(key);
        if (top.matches()) {
            return ORDER.indexOf("top_k*") + 1 - 1.0 / Integer.parseInt(top.group(1));
        }
        java.util.regex.Matcher f = FBETA.matcher(key);
        if (f.matches()) {
            double beta = Double.parseDouble(f.group(1).replace('_', '.'));
            int target = key.endsWith("_macro") ? 1 : key.endsWith("_weighted") ? 2 : 0;
            return ORDER.indexOf("fbeta*") + 0.99 * beta / (1 + beta) + target * 1e-6;
        }
        return ORDER.size();
    }

    private static final java.util.regex.Pattern TOP_K = java.util.regex.Pattern.compile("top_(\\d+)_accuracy");
    private static final java.util.regex.Pattern FBETA = java.util.regex.Pattern.compile("f(\\d+(?:_\\d+)?)(?:_macro|_weighted)?");

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
