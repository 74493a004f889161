package dev.loupe.metrics;

import dev.loupe.api.InvalidInputException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * What the user chose about the metrics themselves (the rest of {@link EvaluationConfig} is about accumulating them).
 *
 * @param topK         k of each top-k accuracy; null for the default (2 when there are at least 3 classes, else none)
 * @param betas        β of each F-β score besides F1 (default 2 and 0.5, reported as {@code f2}, {@code f0_5})
 * @param zeroDivision what a 0/0 precision, recall, F-β or Jaccard score becomes: 0 (scikit-learn's "warn"), 1 or NaN
 * @param maxFpr       the standardised partial ROC AUC up to this false-positive rate (binary only); NaN for none
 * @param tieRank      each class's position in sorted label order (scikit-learn's order, which breaks top-k ties: the
 *                     later label ranks first); null means the column order is already sorted
 */
public record MetricOptions(List<Integer> topK, List<Double> betas, double zeroDivision, double maxFpr, List<Integer> tieRank)
        implements java.io.Serializable {
    public static final List<Double> DEFAULT_BETAS = List.of(2.0, 0.5);

    public MetricOptions {
        topK = topK == null ? null : List.copyOf(topK);
        betas = List.copyOf(betas);
        tieRank = tieRank == null ? null : List.copyOf(tieRank);
        if (topK != null) {
            for (int k : topK) {
                if (k < 1) {
                    throw InvalidInputException.parameter("--top-k", "whole numbers of at least 1, such as 1,3,5", k);
                }
            }
        }
        for (double b : betas) {
            if (!(b > 0) || Double.isInfinite(b)) {
                throw InvalidInputException.parameter("--beta", "positive numbers, such as 2,0.5", b);
            }
        }
        if (!(zeroDivision == 0 || zeroDivision == 1 || Double.isNaN(zeroDivision))) {
            throw InvalidInputException.parameter("--zero-division", "0, 1 or nan", zeroDivision);
        }
        if (!Double.isNaN(maxFpr) && !(maxFpr > 0 && maxFpr <= 1)) {
            throw InvalidInputException.parameter("--max-fpr", "a false-positive rate in (0, 1]", maxFpr);
        }
    }

    /** scikit-learn's defaults: top-2 for ≥ 3 classes, F2 and F0.5, 0/0 = 0, no partial AUC, sorted columns. */
    public static MetricOptions defaults() {
        return new MetricOptions(null, DEFAULT_BETAS, 0.0, Double.NaN, null);
    }

    public MetricOptions withTopK(List<Integer> k) {
        return new MetricOptions(k, betas, zeroDivision, maxFpr, tieRank);
    }

    public MetricOptions withBetas(List<Double> b) {
        return new MetricOptions(topK, b, zeroDivision, maxFpr, tieRank);
    }

    public MetricOptions withZeroDivision(double z) {
        return new MetricOptions(topK, betas, z, maxFpr, tieRank);
    }

    public MetricOptions withMaxFpr(double m) {
        return new MetricOptions(topK, betas, zeroDivision, m, tieRank);
    }

    /** Ties in top-k follow the sorted order of these class names (the run's classes, in column order). */
    public MetricOptions withClassNames(List<String> classes) {
        return new MetricOptions(topK, betas, zeroDivision, maxFpr, sortedRank(classes));
    }

    /** The top-k values reported for {@code numClasses} classes. */
    public List<Integer> topKFor(int numClasses) {
        if (topK != null) {
            return topK.stream().distinct().sorted().toList();
        }
        return numClasses >= 3 ? List.of(2) : List.of();
    }

    /** Betas reported besides F1 (β = 1 is F1 itself), without repeats. */
    public List<Double> extraBetas() {
        return betas.stream().filter(b -> b != 1.0).distinct().toList();
    }

    /** Rank of each class in sorted order, for {@code numClasses} classes. */
    int[] tieRanks(int numClasses) {
        int[] r = new int[numClasses];
        for (int c = 0; c < numClasses; c++) {
            r[c] = tieRank == null ? c : tieRank.get(c);
        }
        return r;
    }

    /** The metric name of F-β: {@code f2}, {@code f0_5}, {@code f1_5}. */
    public static String fbetaName(double beta) {
        String s = new java.math.BigDecimal(Double.toString(beta)).stripTrailingZeros().toPlainString();
        return "f" + s.replace('.', '_');
    }

    /**
     * scikit-learn's label order: numeric when every label is a number (as pandas would read such a column),
     * otherwise by Unicode code point ({@code numpy.unique} on strings). Returns each class's position in it.
     */
    static List<Integer> sortedRank(List<String> classes) {
        int k = classes.size();
        double[] num = new double[k];
        boolean numeric = true;
        for (int c = 0; c < k && numeric; c++) {
            try {
                num[c] = Double.parseDouble(classes.get(c).strip());
                numeric = !Double.isNaN(num[c]);
            } catch (NumberFormatException e) {
                numeric = false;
            }
        }
        Integer[] order = new Integer[k];
        Arrays.setAll(order, i -> i);
        Comparator<Integer> cmp = numeric
                ? Comparator.comparingDouble(c -> num[c])
                : (a, b) -> codePointCompare(classes.get(a), classes.get(b));
        Arrays.sort(order, cmp);
        Integer[] rank = new Integer[k];
        for (int pos = 0; pos < k; pos++) {
            rank[order[pos]] = pos;
        }
        return new ArrayList<>(Arrays.asList(rank));
    }

    private static int codePointCompare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
