package dev.loupe.metrics;

import java.util.List;
import java.util.Map;

/**
 * Metrics over two slice dimensions at once: each cell is the evaluation of the rows that are in both a row slice
 * and a column slice (every metric with its interval and the support, like any slice). A pair of values with no row
 * has no cell.
 *
 * @param rowDimension    the first dimension's name (such as {@code source})
 * @param columnDimension the second one's (such as {@code length})
 * @param rowValues       the first dimension's values, in the order its slices were first seen
 * @param columnValues    the second dimension's values
 * @param cells           per row value, per column value, the cell's evaluation
 */
public record SliceHeatmap(String rowDimension, String columnDimension, List<String> rowValues, List<String> columnValues,
                           Map<String, Map<String, EvaluationResult>> cells) {
    /** The cell of a row and a column value, or null when no row is in both. */
    public EvaluationResult cell(String row, String column) {
        Map<String, EvaluationResult> r = cells.get(row);
        return r == null ? null : r.get(column);
    }
}
