package dev.loupe.store;

/**
 * One point of a time series (a training curve). {@code value} may be NaN (stored as SQL NULL, read back as NaN).
 *
 * @param name     series name, e.g. {@code train/loss}
 * @param step     training step; a series holds at most one value per step (a later write replaces it)
 * @param wallTime epoch milliseconds when it was logged; 0 when the source logs no time (the Hugging Face Trainer, CSV
 *                 logs without a {@code wall_time} column)
 * @param value    the value
 */
public record SeriesPoint(String name, long step, long wallTime, double value) {
}
