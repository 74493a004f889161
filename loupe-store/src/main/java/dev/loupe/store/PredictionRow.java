package dev.loupe.store;

/**
 * One example's prediction as kept in the store.
 *
 * @param rowIndex      the row's position in the evaluated data (the key within a run)
 * @param exampleId     the data set's own id, or {@code null}
 * @param label         true class, or {@code null} when unknown
 * @param probabilities JSON array or object of class probabilities, or {@code null}
 * @param pred          predicted class, or {@code null}
 * @param loss          per-example loss, NaN when unknown
 * @param metadataJson  JSON object of metadata columns, or {@code null}
 * @param text          input text, or {@code null}
 * @param confidence    the probability of the predicted class, NaN when unknown (the store then derives it from
 *                      {@code probabilities} when a page filters or sorts by it, which is slower)
 */
public record PredictionRow(long rowIndex, String exampleId, String label, String probabilities, String pred,
                            double loss, String metadataJson, String text, double confidence) {
    /** A row whose confidence the writer does not give. */
    public PredictionRow(long rowIndex, String exampleId, String label, String probabilities, String pred, double loss,
                         String metadataJson, String text) {
        this(rowIndex, exampleId, label, probabilities, pred, loss, metadataJson, text, Double.NaN);
    }
}
