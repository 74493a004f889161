package dev.loupe.api;

/**
 * A streaming, mergeable accumulator. Laws every implementation obeys (checked by the contract tests):
 * <ul>
 *   <li>splitting the input into any batches gives the same result as one batch;</li>
 *   <li>{@code merge} is associative and, up to floating-point rounding (1e-12), commutative;</li>
 *   <li>the result is a pure function of the state.</li>
 * </ul>
 * States never keep references into a batch (batches are reused by readers): they copy what they need,
 * into primitive arrays, never one object per row. States are {@link java.io.Serializable} so that a distributed
 * engine (loupe-spark) can ship partial states between machines and merge them.
 *
 * @param <S> the concrete state type
 */
public interface MetricState<S extends MetricState<S>> extends java.io.Serializable {
    /** Accumulate every row of {@code batch}. */
    void update(PredictionBatch batch);

    /** Fold {@code other} into this state and return this. {@code other} is left unchanged. */
    S merge(S other);

    /** A fresh, empty state with the same configuration. */
    S emptyCopy();
}
