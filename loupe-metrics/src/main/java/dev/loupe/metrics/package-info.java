/**
 * Pure metric computation: streaming, mergeable {@link dev.loupe.api.MetricState}s and the pure functions
 * that turn them into results. No I/O, no rendering — nothing here knows that files, HTML or JSON exist.
 *
 * <p>Conventions:
 * <ul>
 *   <li>Confusion matrices are {@code [true][predicted]} (rows = true class, columns = predicted), flattened
 *       row-major into {@code double[K*K]} of summed sample weights.</li>
 *   <li>Definitions follow scikit-learn 1.9 exactly (checked against golden files to 1e-9), including its
 *       zero-division conventions; undefined values are {@code NaN} and come with a warning.</li>
 *   <li>One sufficient statistic feeds many metrics: the confusion counts feed accuracy, P/R/F1, MCC and
 *       kappa; the per-threshold counts ({@link dev.loupe.metrics.Curves#thresholdCounts}) feed ROC, PR,
 *       AUC, AP and the threshold sweep.</li>
 * </ul>
 */
package dev.loupe.metrics;
