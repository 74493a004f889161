package dev.loupe.spark;

import dev.loupe.metrics.EvaluationConfig;
import dev.loupe.metrics.EvaluationState;
import dev.loupe.metrics.SlicedEvaluation;

import java.io.Serializable;
import java.util.List;

/**
 * What one partition (then a merge of several) found: the evaluation's mergeable state, one sliced state per
 * {@code sliceBy} column, and the rows that could not be evaluated (counted; the one with the smallest position is
 * described). What {@code treeAggregate} ships from executors to the driver.
 */
final class Partial implements Serializable {
    final EvaluationState state;
    final SlicedEvaluation[] slices;
    long badRows;
    long firstBadRow = Long.MAX_VALUE;
    String firstBad;

    Partial(EvaluationConfig config, List<String> sliceColumns, List<List<String>> sliceValues) {
        state = new EvaluationState(config);
        slices = new SlicedEvaluation[sliceColumns.size()];
        for (int d = 0; d < slices.length; d++) {
            slices[d] = new SlicedEvaluation(config, sliceColumns.get(d));
            for (String v : sliceValues.get(d)) {
                slices[d].sliceId(v); // ids in the driver's order: the projected slice columns hold these ids
            }
        }
    }

    /** Counts a row that cannot be evaluated; keeps the description of the first (by position). */
    void bad(long row, String what) {
        badRows++;
        if (row < firstBadRow) {
            firstBadRow = row;
            firstBad = what;
        }
    }

    Partial merge(Partial other) {
        if (other.badRows > 0) {
            badRows += other.badRows;
            if (other.firstBadRow < firstBadRow) {
                firstBadRow = other.firstBadRow;
                firstBad = other.firstBad;
            }
        }
        if (badRows == 0) { // once a row is bad the evaluation fails: merging the states would be wasted work
            state.merge(other.state);
            for (int d = 0; d < slices.length; d++) {
                slices[d].merge(other.slices[d]);
            }
        }
        return this;
    }
}
