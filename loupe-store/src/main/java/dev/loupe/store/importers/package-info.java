/**
 * Importers of training logs written by other tools: the Hugging Face Trainer's {@code trainer_state.json},
 * TensorBoard event files and CSV logs (long {@code step,name,value} or wide {@code step,<metric>...}: Lightning,
 * Keras' CSVLogger, Ray Tune), and {@link dev.loupe.store.importers.LogWatcher}, which follows them as they grow.
 * Every import goes through one writer ({@code Imports.write}): one transaction into a run keyed by the source's real
 * path, points upserted by (series, step), so importing a file again — even after it grew — never duplicates a point,
 * and points the source no longer holds (it shrank or was replaced) are removed. Bad input stops with an
 * {@link dev.loupe.api.InvalidInputException} that names the file and the place (a JSON path, or a line and column)
 * before anything is written.
 */
package dev.loupe.store.importers;
