package dev.loupe.metrics;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

/**
 * Weak-slice discovery: the conjunctions of slice predicates ({@code source=hard-ham-1 AND length=>=1000}) whose error
 * rate is worse than overall, found by a lattice search in the manner of SliceLine (Sagadeeva and Boehm, SIGMOD 2021):
 * level 1 holds every single predicate with at least {@code minSupport} rows; level k joins two level k−1 slices that
 * agree on all but their last predicate (on different columns), and keeps the result when it still has
 * {@code minSupport} rows (support only shrinks as predicates are added, so nothing pruned could have qualified).
 * Rows are bit sets; a slice's rows are the AND of its predicates' rows.
 * <p>
 * Each slice gets a Wilson score interval for its error rate and SliceLine's score, {@code α·(e_S/e − 1) − (1 − α)·(n/|S|
 * − 1)} with e the overall and e_S the slice's error rate (α = 0.95 by default); the report ranks by the interval's
 * lower end ({@link #ORDER}). Every slice with enough rows is a test of "is this slice worse?", so the intervals are Bonferroni-adjusted for
 * the number of slices tested: they hold simultaneously with 95% confidence, and a slice whose lower end is above the
 * overall error rate is worse beyond what searching many slices would produce by chance.
 */
public final class WeakSlices {
    private WeakSlices() {
    }

    /** One predicate: a column (dimension) equal to a value. */
    public record Predicate(String column, String value) {
        @Override
        public String toString() {
            return column + "=" + value;
        }
    }

    /**
     * A slice: its predicates, rows, errors, error rate with its simultaneous interval, SliceLine score, and whether
     * the interval lies above the overall error rate.
     */
    public record Slice(List<Predicate> predicates, long rows, long errors, double errorRate, double ciLow, double ciHigh,
                        double score, boolean worse) {
        /** {@code source=a AND length=b}. */
        public String name() {
            return String.join(" AND ", predicates.stream().map(Predicate::toString).toList());
        }
    }

    /**
     * The search's outcome: the overall error rate, how many slices had enough rows (the tests), the confidence level
     * each interval was computed at (Bonferroni: 1 − 0.05 / tested), and the worst slices, best score first.
     */
    public record Result(long rows, long errors, double errorRate, int tested, double pointLevel, int minSupport,
                         int maxLevel, List<Slice> slices) {
    }

    /** Search settings: minimum rows per slice, most predicates per slice, slices reported, SliceLine's α. */
    public record Settings(int minSupport, int maxLevel, int top, double alpha) {
        public Settings {
            if (minSupport < 1 || maxLevel < 1 || top < 1 || !(alpha > 0 && alpha <= 1)) {
                throw new IllegalArgumentException("minSupport " + minSupport + ", maxLevel " + maxLevel + ", top " + top + ", alpha " + alpha);
            }
        }

        public static Settings defaults() {
            return new Settings(30, 3, 10, 0.95);
        }
    }

    private record Node(int[] dims, int[] values, BitSet rows, long support, long errors) {
    }

    /**
     * @param columns each dimension's name
     * @param codes   {@code codes[d][i]}: row i's value index in dimension d ({@code values.get(d)}), −1 for none
     * @param values  each dimension's value names
     * @param errors  the rows the model got wrong
     * @param n       rows
     */
    public static Result find(List<String> columns, int[][] codes, List<List<String>> values, BitSet errors, int n, Settings s) {
        long totalErrors = errors.cardinality();
        double overall = n == 0 ? Double.NaN : (double) totalErrors / n;
        List<Node> level = new ArrayList<>();
        for (int d = 0; d < columns.size(); d++) {
            BitSet[] byValue = new BitSet[values.get(d).size()];
            for (int i = 0; i < n; i++) {
                int v = codes[d][i];
                if (v >= 0) {
                    (byValue[v] == null ? byValue[v] = new BitSet(n) : byValue[v]).set(i);
                }
            }
            for (int v = 0; v < byValue.length; v++) {
                if (byValue[v] != null && byValue[v].cardinality() >= s.minSupport()) {
                    level.add(node(new int[] {d}, new int[] {v}, byValue[v], errors));
                }
            }
        }
        List<Node> all = new ArrayList<>();
        for (int k = 1; !level.isEmpty(); k++) {
            for (Node x : level) {
                all.add(new Node(x.dims(), x.values(), null, x.support(), x.errors()));
            }
            if (k == s.maxLevel()) {
                break;
            }
            level = join(level, errors, s.minSupport(), k + 1 < s.maxLevel());
        }
        int tested = all.size();
        double pointLevel = 1 - 0.05 / Math.max(1, tested);
        double z = Normal.quantile(1 - (1 - pointLevel) / 2);
        List<Slice> worse = new ArrayList<>();
        for (Node x : all) {
            double rate = (double) x.errors() / x.support();
            if (!(rate > overall)) {
                continue;
            }
            double[] ci = wilson(x.errors(), x.support(), z);
            double score = s.alpha() * (rate / overall - 1) - (1 - s.alpha()) * ((double) n / x.support() - 1);
            List<Predicate> ps = new ArrayList<>();
            for (int j = 0; j < x.dims().length; j++) {
                ps.add(new Predicate(columns.get(x.dims()[j]), values.get(x.dims()[j]).get(x.values()[j])));
            }
            worse.add(new Slice(List.copyOf(ps), x.support(), x.errors(), rate, ci[0], ci[1], score, ci[0] > overall));
        }
        worse.sort(ORDER);
        return new Result(n, totalErrors, overall, tested, pointLevel, s.minSupport(), s.maxLevel(),
                List.copyOf(worse.subList(0, Math.min(s.top(), worse.size()))));
    }

    /**
     * The report's order: by the pessimistic (lower) end of the error rate's interval, so a slice ranks high when its
     * error rate is high <em>and</em> measured on enough rows; then by name. (SliceLine's score, reported with each
     * slice, weighs size by n/|S|, which on large data ranks a mildly worse half of the data above a much worse 1 %.)
     */
    public static final Comparator<Slice> ORDER = Comparator.comparingDouble(Slice::ciLow).reversed().thenComparing(Slice::name);

    private static Node node(int[] dims, int[] values, BitSet rows, BitSet errors) {
        BitSet e = (BitSet) rows.clone();
        e.and(errors);
        return new Node(dims, values, rows, rows.cardinality(), e.cardinality());
    }

    /** Level k+1 from level k (slices sorted by their predicates' dimensions): the apriori join. */
    private static List<Node> join(List<Node> level, BitSet errors, int minSupport, boolean keepRows) {
        List<Node> out = new ArrayList<>();
        for (int a = 0; a < level.size(); a++) {
            Node x = level.get(a);
            int k = x.dims().length;
            for (int b = a + 1; b < level.size(); b++) {
                Node y = level.get(b);
                if (!samePrefix(x, y, k - 1) || x.dims()[k - 1] >= y.dims()[k - 1]) {
                    continue;
                }
                BitSet rows = (BitSet) x.rows().clone();
                rows.and(y.rows());
                long support = rows.cardinality();
                if (support < minSupport) {
                    continue;
                }
                int[] dims = java.util.Arrays.copyOf(x.dims(), k + 1);
                int[] values = java.util.Arrays.copyOf(x.values(), k + 1);
                dims[k] = y.dims()[k - 1];
                values[k] = y.values()[k - 1];
                BitSet e = (BitSet) rows.clone();
                e.and(errors);
                out.add(new Node(dims, values, keepRows ? rows : null, support, e.cardinality()));
            }
        }
        return out;
    }

    private static boolean samePrefix(Node x, Node y, int len) {
        for (int j = 0; j < len; j++) {
            if (x.dims()[j] != y.dims()[j] || x.values()[j] != y.values()[j]) {
                return false;
            }
        }
        return true;
    }

    /** Wilson's score interval of a binomial proportion with {@code z} standard errors. */
    static double[] wilson(long successes, long n, double z) {
        double p = (double) successes / n;
        double z2 = z * z;
        double denom = 1 + z2 / n;
        double center = (p + z2 / (2.0 * n)) / denom;
        double half = z / denom * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new double[] {Math.max(0, center - half), Math.min(1, center + half)};
    }
}
