/**
 * Labelled text data sets in memory: reading them from CSV, TSV, JSON Lines and Parquet files
 * ({@link dev.loupe.data.text.TextDatasetReader}; Parquet through DuckDB, {@link dev.loupe.data.parquet.ParquetFile}), visible cleaning ({@link dev.loupe.data.text.Cleaning},
 * {@link dev.loupe.data.text.CleaningReport}) and stratified, seeded splits and samples
 * ({@link dev.loupe.data.text.Splits}).
 *
 * <p>Conventions:
 * <ul>
 *   <li>A {@link dev.loupe.data.text.TextDataset} is columnar (id, text, label string, metadata columns) and
 *       immutable; subsets are new data sets. Class order is the sorted label strings.</li>
 *   <li>Nothing is dropped silently: empty and duplicate texts are removed from the evaluation set only by
 *       {@link dev.loupe.data.text.Cleaning}, which counts them and lists example ids; over-long texts are
 *       counted and kept.</li>
 *   <li>Splits and samples are deterministic functions of (data, fractions, seed).</li>
 *   <li>Every problem in a file is an {@link dev.loupe.api.InvalidInputException} (a missing file a
 *       {@link dev.loupe.api.NotFoundException}) with a stable code and a message naming the file, line and
 *       column and the fix (see {@link dev.loupe.data.text.TextDatasetReader} for the codes).</li>
 * </ul>
 */
package dev.loupe.data.text;
