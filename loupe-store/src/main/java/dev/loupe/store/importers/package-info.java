/**
 * Importers of training logs written by other tools: the Hugging Face Trainer's {@code trainer_state.json} and
 * CSV logs (long {@code step,name,value} or wide {@code step,<metric>...}). Each import is one transaction into a run
 * keyed by the source file's real path, and points are upserted by (series, step), so importing a file again — even
 * after it grew — never duplicates a point. Bad input stops with an {@link dev.loupe.api.InvalidInputException} that
 * names the file and the place (a JSON path, or a line and column) before anything is written.
 */
package dev.loupe.store.importers;
