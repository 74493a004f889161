/**
 * Reads files of model predictions — CSV, TSV and JSON Lines, optionally gzip-compressed, and Parquet — into streaming
 * {@link dev.loupe.api.PredictionBatch}es, and nothing else: no metrics, no rendering.
 *
 * <p>Entry point: {@link dev.loupe.data.predictions.PredictionReader#open}. Columns and the binary
 * {@code score}/positive-label convention are described there; {@link dev.loupe.data.predictions.PredictionSchema}
 * says when the classes are final.
 *
 * <p>Conventions:
 * <ul>
 *   <li>Parsing works on bytes in a large reused buffer: no String per numeric field and no object per row.
 *       Numbers parse exactly as {@link java.lang.Double#parseDouble} would (a fast path plus the Eisel–Lemire
 *       algorithm); class names are matched by their UTF-8 bytes.</li>
 *   <li>Text must be UTF-8 (a leading byte order mark is skipped); string fields are validated.</li>
 *   <li>Every problem in a file is an {@link dev.loupe.api.InvalidInputException} (a missing file a
 *       {@link dev.loupe.api.NotFoundException}) with a stable code and one message that names the file, the
 *       1-based physical line and the column (name and 1-based position), says what was expected and how to fix
 *       it. Codes: FILE_NOT_FOUND, FILE_UNREADABLE, UNKNOWN_FORMAT, EMPTY_FILE, NO_DATA_ROWS, DUPLICATE_COLUMN,
 *       MISSING_LABEL_COLUMN, MISSING_PROBABILITY_COLUMNS, AMBIGUOUS_PROBABILITY_COLUMNS, TOO_FEW_CLASSES,
 *       MISSING_POSITIVE_LABEL, POSITIVE_LABEL_NOT_IN_CLASSES, BAD_PARAMETER, MISSING_VALUE, NOT_A_NUMBER,
 *       NOT_FINITE, NEGATIVE_WEIGHT, PROBABILITY_OUT_OF_RANGE, PROBABILITIES_DO_NOT_SUM_TO_ONE,
 *       LABEL_NOT_IN_CLASSES, PRED_NOT_IN_CLASSES, SCORE_NOT_BINARY, RAGGED_ROW, MALFORMED_CSV, NOT_UTF8,
 *       ROW_TOO_LONG, MALFORMED_JSON, JSON_NOT_OBJECT, WRONG_JSON_TYPE, INCONSISTENT_FIELDS,
 *       UNSUPPORTED_JSON; for Parquet also CORRUPT_PARQUET and WRONG_COLUMN_TYPE (places are rows and row groups).</li>
 *   <li>Messages name command-line flags ({@code --label-col}, {@code --prob-prefix}, {@code --score-col},
 *       {@code --positive-label}, {@code --negative-label}, {@code --renormalize}, {@code --format}) that mirror
 *       {@link dev.loupe.data.predictions.PredictionFileOptions}.</li>
 * </ul>
 */
package dev.loupe.data.predictions;
