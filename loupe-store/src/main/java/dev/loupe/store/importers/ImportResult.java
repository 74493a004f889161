package dev.loupe.store.importers;

import java.util.List;
import java.util.Locale;

/**
 * What an import did.
 *
 * @param runId     the run written (an existing one when the source was imported before)
 * @param source    the source as the user named it (a file, or a TensorBoard run's folder)
 * @param created   whether the run is new
 * @param points    series points the source holds (one per series and step), all stored now
 * @param newPoints of those, points the store did not hold before (0 on a re-import of an unchanged file)
 * @param replaced  points stored by an earlier import that the source no longer holds (it shrank or was replaced):
 *                  they were removed and the source's points written afresh; 0 otherwise
 * @param series    names of the series written
 * @param metrics   scalar metrics written
 * @param notes     what was chosen or skipped, for the user (the step column, non-numeric columns, entries without a
 *                  step, kinds of summaries that are not scalars)
 */
public record ImportResult(String runId, String source, boolean created, long points, long newPoints, long replaced,
                           List<String> series, int metrics, List<String> notes) {

    /** One line: what was imported where, how many points and how many of them new, and any replacement. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append(created ? "imported " : "re-imported ").append(source).append(" into run ").append(runId).append(": ")
                .append(count(points)).append(points == 1 ? " point" : " points").append(" in ").append(series.size())
                .append(series.size() == 1 ? " series" : " series").append(" (").append(count(newPoints))
                .append(newPoints == 1 ? " new point" : " new points").append(')');
        if (metrics > 0) {
            b.append(", ").append(metrics).append(metrics == 1 ? " metric" : " metrics");
        }
        if (replaced > 0) {
            b.append("; the source shrank or was replaced since it was imported: its ").append(count(replaced))
                    .append(" stale points were removed and its points written afresh");
        }
        return b.toString();
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
