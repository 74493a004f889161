package dev.loupe.spark;

import dev.loupe.api.PredictionBatch;
import dev.loupe.metrics.EvaluationConfig;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.types.UTF8String;

import java.util.Iterator;
import java.util.List;

/**
 * Runs in the executors: reads one partition of the projected predictions ({@link Plan}'s layout, Spark's reused
 * {@code UnsafeRow}s, so no object per row) into a reused columnar {@link PredictionBatch} and updates the metric
 * states a batch at a time. Rows are checked as {@code loupe evaluate} checks a file's rows; a bad row is counted and
 * described, never evaluated.
 */
final class PartitionEvaluator implements Function2<Integer, Iterator<InternalRow>, Iterator<Partial>> {
    private final EvaluationConfig config;
    private final Plan.Layout layout;
    private final List<String> sliceColumns;
    private final List<List<String>> sliceValues;
    /** Every row's position; null when positions are not needed (then the projection has no file columns). */
    private final Positions positions;
    /** Where the projection's file columns are ({@link Positions#columns}). */
    private final int fileIndex;
    private final int batchRows;

    PartitionEvaluator(EvaluationConfig config, Plan.Layout layout, List<String> sliceColumns,
                       List<List<String>> sliceValues, Positions positions, int fileIndex, int batchRows) {
        this.config = config;
        this.layout = layout;
        this.sliceColumns = sliceColumns;
        this.sliceValues = sliceValues;
        this.positions = positions;
        this.fileIndex = fileIndex;
        this.batchRows = batchRows;
    }

    @Override
    public Iterator<Partial> call(Integer partition, Iterator<InternalRow> rows) {
        Partial out = new Partial(config, sliceColumns, sliceValues);
        int k = config.numClasses();
        Plan.Layout l = layout;
        PredictionBatch batch = new PredictionBatch(k, batchRows, l.weighted());
        int dims = sliceColumns.size();
        int[][] sliceOf = new int[dims][batchRows];
        double[] p = new double[k];
        // a row's key: its position when the bootstrap needs it, else (partition, row in partition)
        Positions.Numbering numbering = positions == null ? null : positions.numbering(partition, fileIndex);
        long inPartition = 0;
        UTF8String lastOther = null;
        boolean collapse = out.ties != null;
        while (rows.hasNext()) {
            InternalRow r = rows.next();
            long i0 = inPartition++;
            long row = numbering != null ? numbering.next(r) : ((long) partition << 40) + i0;
            if (l.findNegative() && r.getInt(Plan.LABEL) == 0) {
                UTF8String text = r.getUTF8String(l.labelTextIndex());
                if (!text.equals(lastOther)) { // labels come in runs: one comparison a row, a set lookup a change
                    lastOther = text.copy();
                    out.other(lastOther.toString());
                }
            }
            String bad = read(r, p, l, k);
            if (bad != null) {
                out.bad(row, (numbering != null ? numbering.where() : "row " + i0 + " of partition " + partition + " (0-based)") + bad);
                continue;
            }
            if (out.badRows > 0) {
                continue;
            }
            int label = r.getInt(Plan.LABEL);
            int pred = l.hasPred() ? r.getInt(Plan.PRED)
                    : l.scoreMode() ? (p[1] >= l.threshold() ? 1 : 0) : PredictionBatch.argMax(p, 0, k);
            double w = l.weighted() ? r.getDouble(l.weightIndex()) : 1.0;
            int i = batch.size();
            for (int d = 0; d < dims; d++) {
                sliceOf[d][i] = r.getInt(l.sliceIndex() + d);
            }
            batch.add(row, label, pred, w, p, 0);
            if (collapse && w != 0) {
                out.rank(p[1], label, pred, w, sliceOf, i);
            }
            if (batch.size() == batchRows) {
                flush(out, batch, sliceOf);
            }
        }
        if (out.badRows == 0) {
            flush(out, batch, sliceOf);
        }
        return java.util.List.of(out).iterator();
    }

    private static void flush(Partial out, PredictionBatch batch, int[][] sliceOf) {
        if (batch.size() == 0) {
            return;
        }
        out.state.update(batch);
        for (int d = 0; d < out.slices.length; d++) {
            out.slices[d].update(batch, sliceOf[d]);
        }
        batch.clear();
    }

    /** Fills {@code p} with the row's probabilities; returns what is wrong with the row (", column 'x': ..."), or null. */
    static String read(InternalRow r, double[] p, Plan.Layout l, int k) {
        int label = r.getInt(Plan.LABEL);
        if (label < 0) {
            return label == Plan.NULL_ID ? ", column '" + l.labelCol() + "': the label is empty. Every row needs a label;"
                    + " fill it in or drop the row."
                    : ", column '" + l.labelCol() + "': the label '" + text(r, l.labelTextIndex()) + "' is not one of the "
                    + "classes " + l.classes() + ". " + (l.scoreMode()
                    ? "The score column means a binary task with these two classes: fix the label or the --negative-label/"
                            + "--positive-label options."
                    : "Add a " + l.probPrefix() + "<label> column or fix the label.");
        }
        if (l.hasPred()) {
            int pred = r.getInt(Plan.PRED);
            if (pred < 0) {
                return pred == Plan.NULL_ID ? ", column '" + l.predCol() + "': the predicted class is empty; fill it in"
                        + " or drop the row."
                        : ", column '" + l.predCol() + "': the predicted class '" + text(r, l.predTextIndex())
                        + "' is not one of the classes " + l.classes() + ".";
            }
        }
        int base = l.probIndex();
        if (l.scoreMode()) {
            if (r.isNullAt(base)) {
                return ", column '" + l.probColumns().get(0) + "': the score is empty. Every row needs a score; fill it in or"
                        + " drop the row.";
            }
            double s = r.getDouble(base);
            if (!(s >= 0.0 && s <= 1.0)) {
                return ", column '" + l.probColumns().get(0) + "': expected a probability in [0, 1] (the positive class's),"
                        + " got " + s + ". If the column holds logits or raw scores, apply a sigmoid first.";
            }
            p[0] = 1.0 - s;
            p[1] = s;
        } else {
            double sum = 0;
            for (int j = 0; j < k; j++) {
                if (r.isNullAt(base + j)) {
                    return ", column '" + l.probColumns().get(j) + "': the probability is empty. Every row needs one per"
                            + " class; fill it in or drop the row.";
                }
                double v = r.getDouble(base + j);
                if (!(v >= 0.0 && v <= 1.0) && !(l.renormalize() && v > 1.0 && v <= Double.MAX_VALUE)) {
                    return ", column '" + l.probColumns().get(j) + "': expected a probability in [0, 1], got " + v
                            + ". If the column holds logits or raw scores, turn them into probabilities first (a softmax).";
                }
                p[j] = v;
                sum += v;
            }
            if (sum != 1.0) {
                if (l.renormalize()) {
                    if (!(sum > 0.0)) {
                        return ": the probabilities " + l.probColumns() + " are all 0, so renormalising cannot rescale them.";
                    }
                    for (int j = 0; j < k; j++) {
                        p[j] /= sum;
                    }
                } else if (Math.abs(sum - 1.0) > 1e-6) {
                    return ": the probabilities " + l.probColumns() + " sum to " + sum + ", not 1 (tolerance 1e-6). Pass "
                            + "--renormalize to divide each row by its sum, or fix the model's output.";
                }
            }
        }
        if (l.weighted()) {
            int wi = l.weightIndex();
            if (r.isNullAt(wi)) {
                return ", column '" + l.weightCol() + "': the weight is empty; fill it in or drop the row.";
            }
            double w = r.getDouble(wi);
            if (!(w >= 0.0 && w <= Double.MAX_VALUE)) {
                return ", column '" + l.weightCol() + "': expected a finite weight >= 0, got " + w + ".";
            }
        }
        return null;
    }

    private static String text(InternalRow r, int i) {
        return r.isNullAt(i) ? "" : r.getUTF8String(i).toString();
    }
}
