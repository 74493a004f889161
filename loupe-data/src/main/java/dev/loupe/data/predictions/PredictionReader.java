package dev.loupe.data.predictions;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.LoupeException;
import dev.loupe.api.NotFoundException;
import dev.loupe.api.PredictionBatch;
import dev.loupe.data.parquet.ParquetFile;
import dev.loupe.data.text.TextFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * Streams a file of model predictions (CSV, TSV or JSON Lines, optionally gzip-compressed; or Parquet) into
 * reusable {@link PredictionBatch}es.
 *
 * <pre>{@code
 * try (PredictionReader r = PredictionReader.open(path, PredictionFileOptions.defaults().positiveLabel("1"))) {
 *     PredictionBatch b = r.newBatch();
 *     while (r.next(b)) {
 *         state.update(b);
 *     }
 *     List<String> classes = r.schema().classes(); // final only now, see PredictionSchema
 * }
 * }</pre>
 *
 * <p>Columns: {@code label} (the true class), and either one {@code prob_<class>} column per class (at least
 * two; the classes are the suffixes in header order) or, for a binary task, one {@code score} column (the
 * positive class's probability, with {@link PredictionFileOptions#positiveLabel} required; classes are
 * {@code [negative, positive]} and a row's probabilities are {@code [1-s, s]}). Optional: {@code pred} (the
 * predicted class; without it the arg-max, or {@code score >= threshold}), {@code weight} (finite, at least 0)
 * and {@code id}. Every other column is metadata. Labels and predictions match class names exactly or, failing
 * that, as equal numbers ({@code 1.0} matches {@code 1}). Row keys are the 0-based index of the data row.
 *
 * <p>Every problem in the file is an {@link InvalidInputException} (a missing file a {@link NotFoundException})
 * with a stable code and a message naming the file, the physical line and the column, what was expected and
 * how to fix it. In a Parquet file ({@link ParquetSource}) the place is the 1-based row and its row group; label
 * and pred columns may be strings, integers or booleans, the probability, score and weight columns any number
 * type (else {@code WRONG_COLUMN_TYPE}), and a damaged file is {@code CORRUPT_PARQUET}. After an exception the
 * reader cannot go on; close it.
 *
 * <p>Not thread-safe.
 */
public final class PredictionReader implements AutoCloseable {
    private final ByteInput input;
    private CountingInputStream counter;
    private final DelimitedSource delimited;
    private final JsonLinesSource jsonLines;
    private final ParquetSource parquet;
    private final RowBuilder rows;
    private final PredictionSchema schema;
    private final int batchSize;
    private long rowsRead;
    private boolean done;
    private boolean failed;
    private boolean closed;

    private PredictionReader(ByteInput input, DelimitedSource delimited, JsonLinesSource jsonLines, ParquetSource parquet,
            RowBuilder rows, PredictionSchema schema, int batchSize) {
        this.input = input;
        this.delimited = delimited;
        this.jsonLines = jsonLines;
        this.parquet = parquet;
        this.rows = rows;
        this.schema = schema;
        this.batchSize = batchSize;
    }

    /**
     * Opens {@code file}, reads its header (JSON Lines: the first object's keys) and checks the columns.
     *
     * @throws NotFoundException     {@code FILE_NOT_FOUND} when there is no such file
     * @throws InvalidInputException when the file or the options are wrong (see the codes in the package docs)
     */
    public static PredictionReader open(Path file, PredictionFileOptions options) {
        return open(file, options, ByteInput.DEFAULT_SIZE, null);
    }

    /**
     * As {@link #open(Path, PredictionFileOptions)}, and every byte read from the file (as stored, before any gzip
     * decompression) is also written to {@code rawCopy}, in order, as it is read: a caller can hash or keep the file
     * in the same pass that parses it. The copy is whole once {@link #next} has returned {@code false}; the reader
     * neither flushes nor closes it.
     */
    public static PredictionReader open(Path file, PredictionFileOptions options, java.io.OutputStream rawCopy) {
        return open(file, options, ByteInput.DEFAULT_SIZE, Objects.requireNonNull(rawCopy, "rawCopy"));
    }

    /** As {@link #open(Path, PredictionFileOptions)} with a given initial buffer size (tests use tiny ones). */
    static PredictionReader open(Path file, PredictionFileOptions options, int bufferSize) {
        return open(file, options, bufferSize, null);
    }

    /** As {@link #open(Path, PredictionFileOptions, java.io.OutputStream)} with a given initial buffer size. */
    static PredictionReader openForTest(Path file, PredictionFileOptions options, int bufferSize, java.io.OutputStream rawCopy) {
        return open(file, options, bufferSize, rawCopy);
    }

    private static PredictionReader open(Path file, PredictionFileOptions options, int bufferSize, java.io.OutputStream rawCopy) {
        Objects.requireNonNull(file, "file");
        PredictionFileOptions o = Objects.requireNonNull(options, "options").copy();
        String shown = file.toString();
        checkDistinctColumns(o);
        if (Files.isDirectory(file)) {
            throw new InvalidInputException("FILE_UNREADABLE", shown + " is a directory. Pass the prediction file itself.");
        }
        if (!Files.exists(file)) {
            throw notFound(file);
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("FILE_UNREADABLE", shown + " is not a regular file (a FIFO, socket or device): Loupe reads an input file more than once and needs"
                    + " its size, so a stream with no end could leave it waiting for ever. Save the stream to a file first (cmd > predictions.csv) and pass that.");
        }
        PredictionFormat format = o.format() != null ? o.format() : PredictionFormat.fromFileName(file);
        if (format == null) {
            throw new InvalidInputException("UNKNOWN_FORMAT", "Cannot tell the format of " + shown + " from its "
                    + "extension: expected .csv, .tsv, .tab, .jsonl, .ndjson or .json (optionally followed by .gz), or "
                    + ".parquet. Rename the file or pass --format csv|tsv|jsonl|parquet." + TextFormat.arrowHint(file));
        }
        if (format == PredictionFormat.PARQUET) {
            ParquetSource source = new ParquetSource(ParquetFile.open(file, shown));
            try {
                PredictionReader reader = open(file, shown, format, o, null, source);
                if (rawCopy != null) { // DuckDB reads the file itself: the copy is made here, whole, before any row
                    Files.copy(file, rawCopy);
                }
                return reader;
            } catch (IOException e) {
                source.close();
                throw new InvalidInputException("FILE_UNREADABLE", "Could not read " + shown + ": " + e.getMessage()
                        + ". Check that the file is readable.", e);
            } catch (RuntimeException e) {
                source.close();
                throw e;
            }
        }
        InputStream stream;
        CountingInputStream counter;
        try {
            stream = new CountingInputStream(Files.newInputStream(file), rawCopy);
            counter = (CountingInputStream) stream;
            if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")) {
                stream = new GZIPInputStream(stream, 1 << 16);
            }
        } catch (NoSuchFileException e) {
            throw notFound(file);
        } catch (IOException e) {
            throw new InvalidInputException("FILE_UNREADABLE", "Could not open " + shown + ": " + e.getMessage()
                    + ". Check that the file is readable.", e);
        }
        ByteInput input = new ByteInput(stream, shown, bufferSize);
        try {
            PredictionReader reader = open(file, shown, format, o, input, null);
            reader.counter = counter;
            return reader;
        } catch (RuntimeException e) {
            closeQuietly(input, e);
            throw e;
        }
    }

    private static void checkDistinctColumns(PredictionFileOptions o) {
        String[] names = {o.labelColumn(), o.scoreColumn(), o.predColumn(), o.weightColumn(), o.idColumn()};
        String[] params = {"--label-col", "--score-col", "--pred-col", "--weight-col", "--id-col"};
        for (int i = 0; i < names.length; i++) {
            for (int j = 0; j < i; j++) {
                if (names[i].equals(names[j])) {
                    throw InvalidInputException.parameter(params[i], "different from " + params[j] + " ('" + names[j]
                            + "')", "'" + names[i] + "'");
                }
            }
        }
    }

    private static NotFoundException notFound(Path file) {
        return new NotFoundException("FILE_NOT_FOUND", "Prediction file not found: " + file
                + (file.isAbsolute() ? "" : " (looked for " + file.toAbsolutePath().normalize() + ")") + ". Check the path.");
    }

    private static PredictionReader open(Path file, String shown, PredictionFormat format, PredictionFileOptions o,
            ByteInput input, ParquetSource parquet) {
        boolean json = format == PredictionFormat.JSONL;
        DelimitedSource delimited = null;
        JsonLinesSource jsonLines = null;
        List<String> header;
        if (parquet != null) {
            header = parquet.header();
            if (header.isEmpty()) {
                header = null;
            }
        } else if (json) {
            input.skipBom();
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            jsonLines = new JsonLinesSource(input, shown, name.endsWith(".json") || name.endsWith(".json.gz"));
            header = jsonLines.readHeader();
        } else {
            input.skipBom();
            delimited = new DelimitedSource(input, shown, format);
            header = delimited.readHeader();
        }
        if (header == null) {
            throw new InvalidInputException("EMPTY_FILE", shown + " is empty: expected "
                    + (json ? "one JSON object per line, such as {\"label\": \"cat\", \"prob_cat\": 0.9, \"prob_dog\": 0.1}."
                    : "a header line naming the columns (such as label,prob_cat,prob_dog) and then one row per prediction."));
        }
        List<String> columns = new ArrayList<>(header);
        int n = columns.size();
        int[] role = new int[n];
        int[] arg = new int[n];

        Map<String, Integer> first = new HashMap<>();
        for (int c = 0; c < n; c++) {
            Integer prev = first.putIfAbsent(columns.get(c), c);
            if (prev != null) {
                throw new InvalidInputException("DUPLICATE_COLUMN", shown + ": column '" + columns.get(c)
                        + "' appears twice in the header (columns #" + (prev + 1) + " and #" + (c + 1)
                        + "). Rename one of them.");
            }
        }
        String found = "Columns found: " + (n <= 40 ? String.join(", ", columns) : String.join(", ", columns.subList(0, 40))
                + ", … (" + n + " in all)") + ".";
        int labelCol = indexOf(columns, o.labelColumn());
        if (labelCol < 0) {
            throw new InvalidInputException("MISSING_LABEL_COLUMN", shown + " has no '" + o.labelColumn()
                    + "' column (the true class). " + found + " Rename the true-class column to '" + o.labelColumn()
                    + "' or pass --label-col <name>.");
        }
        int scoreCol = indexOf(columns, o.scoreColumn());
        int predCol = indexOf(columns, o.predColumn());
        int weightCol = indexOf(columns, o.weightColumn());
        int idCol = indexOf(columns, o.idColumn());
        List<String> probClasses = new ArrayList<>();
        List<String> metadata = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            String name = columns.get(c);
            if (c == labelCol) {
                role[c] = RowBuilder.LABEL;
            } else if (c == scoreCol) {
                role[c] = RowBuilder.SCORE;
            } else if (c == predCol) {
                role[c] = RowBuilder.PRED;
            } else if (c == weightCol) {
                role[c] = RowBuilder.WEIGHT;
            } else if (c == idCol) {
                role[c] = RowBuilder.TEXT;
            } else if (name.startsWith(o.probPrefix()) && name.length() > o.probPrefix().length()) {
                role[c] = RowBuilder.PROB;
                arg[c] = probClasses.size();
                probClasses.add(name.substring(o.probPrefix().length()));
            } else {
                role[c] = RowBuilder.TEXT;
                metadata.add(name);
            }
        }
        boolean scoreMode;
        if (!probClasses.isEmpty()) {
            if (scoreCol >= 0) {
                throw new InvalidInputException("AMBIGUOUS_PROBABILITY_COLUMNS", shown + " has both " + o.probPrefix()
                        + "<class> columns and a '" + o.scoreColumn() + "' column, so it is unclear which holds the "
                        + "probabilities. Drop or rename one of them (or pass --score-col / --prob-prefix).");
            }
            if (probClasses.size() < 2) {
                throw new InvalidInputException("TOO_FEW_CLASSES", shown + " has only one " + o.probPrefix()
                        + " column (" + o.probPrefix() + probClasses.get(0) + "); per-class probabilities need at least "
                        + "2 classes. Add the other classes' columns, or for a binary task write the positive class's "
                        + "probability in a '" + o.scoreColumn() + "' column and pass --positive-label.");
            }
            scoreMode = false;
        } else if (scoreCol >= 0) {
            scoreMode = true;
        } else {
            throw new InvalidInputException("MISSING_PROBABILITY_COLUMNS", shown + " has no probability columns: "
                    + "expected one " + o.probPrefix() + "<class> column per class (such as " + o.probPrefix() + "cat, "
                    + o.probPrefix() + "dog) or, for a binary task, a '" + o.scoreColumn() + "' column with the positive "
                    + "class's probability. " + found + " Rename the columns or pass --prob-prefix / --score-col.");
        }

        List<String> classes;
        int positiveIndex;
        boolean negativeKnown = false;
        if (scoreMode) {
            String pos = o.positiveLabel();
            if (pos == null) {
                throw new InvalidInputException("MISSING_POSITIVE_LABEL", shown + " has a '" + o.scoreColumn()
                        + "' column (the probability of the positive class of a binary task) but no positive label "
                        + "was given. Pass --positive-label <class>, e.g. --positive-label 1.");
            }
            String neg = o.negativeLabel();
            if (neg != null && sameClass(neg, pos)) {
                throw InvalidInputException.parameter("--negative-label", "different from the positive label '" + pos + "'",
                        "'" + neg + "'");
            }
            negativeKnown = neg != null;
            classes = List.of(neg != null ? neg : "not_" + pos, pos);
            positiveIndex = 1;
        } else {
            for (int i = 0; i < probClasses.size(); i++) {
                for (int j = 0; j < i; j++) {
                    if (probClasses.get(i).equals(probClasses.get(j))) {
                        throw new InvalidInputException("DUPLICATE_COLUMN", shown + ": class '" + probClasses.get(i)
                                + "' has two probability columns. Rename one of them.");
                    }
                }
            }
            if (o.negativeLabel() != null) {
                throw InvalidInputException.parameter("--negative-label", "unset when the file has " + o.probPrefix()
                        + "<class> columns (it only names the other class of a binary '" + o.scoreColumn() + "' column)",
                        "'" + o.negativeLabel() + "'");
            }
            classes = probClasses;
            positiveIndex = -1;
            if (o.positiveLabel() != null) {
                for (int i = 0; i < classes.size() && positiveIndex < 0; i++) {
                    if (classes.get(i).equals(o.positiveLabel())) {
                        positiveIndex = i;
                    }
                }
                for (int i = 0; i < classes.size() && positiveIndex < 0; i++) {
                    if (sameClass(classes.get(i), o.positiveLabel())) {
                        positiveIndex = i;
                    }
                }
                if (positiveIndex < 0) {
                    String hint = Errors.caseHint(o.positiveLabel(), classes);
                    throw new InvalidInputException("POSITIVE_LABEL_NOT_IN_CLASSES", shown + ": the positive label '"
                            + o.positiveLabel() + "' is not one of the classes " + Errors.quoteAll(classes) + " (the "
                            + "suffixes of the " + o.probPrefix() + " columns). " + (hint == null ? "" : hint + " ")
                            + "Pass one of them to --positive-label.");
                }
            }
        }

        PredictionSchema schema = new PredictionSchema(file, format, classes, positiveIndex, weightCol >= 0, predCol >= 0,
                idCol >= 0, scoreMode, metadata, columns);
        RowBuilder rb = new RowBuilder(shown, json, schema, columns, classes, negativeKnown, o);
        if (parquet != null) {
            if (parquet.rows() == 0) {
                throw new InvalidInputException("NO_DATA_ROWS", shown + " has columns but no rows. Write one row per "
                        + "prediction.");
            }
            parquet.bind(role, arg, rb);
        } else if (json) {
            jsonLines.bind(columns, role, arg, rb, schema, o);
        } else {
            delimited.bind(role, arg, rb);
            if (!delimited.hasDataRow()) {
                throw new InvalidInputException("NO_DATA_ROWS", shown + " has a header but no data rows. Write one row "
                        + "per prediction after the header line.");
            }
        }
        return new PredictionReader(input, delimited, jsonLines, parquet, rb, schema, o.batchSize());
    }

    private static int indexOf(List<String> columns, String name) {
        return columns.indexOf(name);
    }

    /** Equal as strings or as numbers. */
    private static boolean sameClass(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        byte[] x = a.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] y = b.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        double u = DecimalParser.parse(x, 0, x.length);
        double v = DecimalParser.parse(y, 0, y.length);
        return Double.isFinite(u) && u == v;
    }

    /** The file's columns and classes; in score mode the classes are only final after the last row (see there). */
    public PredictionSchema schema() {
        return schema;
    }

    /** A batch for {@link #next}: {@code batchSize} rows, {@code schema().numClasses()} classes, weighted iff the file is. */
    public PredictionBatch newBatch() {
        return new PredictionBatch(schema.numClasses(), batchSize, schema.weighted());
    }

    /**
     * Clears {@code b} and fills it with up to {@code batchSize} rows.
     *
     * @return false when no row was read (end of file)
     * @throws InvalidInputException on bad input; {@code b} then holds the rows before the bad one
     */
    public boolean next(PredictionBatch b) {
        if (closed) {
            throw new IllegalStateException("the reader is closed");
        }
        if (failed) {
            throw new IllegalStateException("the reader stopped at an earlier error; close it");
        }
        if (b.numClasses() != schema.numClasses()) {
            throw new IllegalArgumentException("the batch has " + b.numClasses() + " classes but " + schema.file()
                    + " has " + schema.numClasses() + "; use newBatch()");
        }
        if (schema.weighted() && !b.isWeighted()) {
            throw new IllegalArgumentException(schema.file() + " has weights but the batch is unweighted; use newBatch()");
        }
        b.clear();
        if (done) {
            return false;
        }
        int n;
        try {
            n = delimited != null ? delimited.read(b, batchSize, rowsRead)
                    : jsonLines != null ? jsonLines.read(b, batchSize, rowsRead) : parquet.read(b, batchSize, rowsRead);
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        }
        rowsRead += n;
        if (n < batchSize) {
            done = true;
            rows.finish();
        }
        return n > 0;
    }

    /**
     * Hands every value of the metadata column {@code column} (present in the header, or in
     * the first line of JSON Lines) to {@code sink}, one call per row in file order, before the row is added to its
     * batch; a JSON line without the field, or with null or a non-scalar value, gives {@code null}. Call it before
     * the first {@link #next}; the reader keeps no strings otherwise.
     *
     * Parquet columns are read as text as DuckDB casts them ({@code 12.5}, {@code 2024-01-31 12:00:00}, a list as
     * {@code [1, 2]}); a null is {@code null}.
     *
     * @throws IllegalArgumentException when {@code column} is not such a column
     */
    public void onValues(String column, java.util.function.Consumer<String> sink) {
        List<String> columns = schema.columns();
        int c = columns.indexOf(column);
        if (c < 0 || !schema.metadataColumns().contains(column)) {
            throw new IllegalArgumentException("'" + column + "' is not a metadata column of " + schema.file());
        }
        if (rows.sinks.length < columns.size()) {
            rows.sinks = java.util.Arrays.copyOf(rows.sinks, columns.size());
        }
        rows.sinks[c] = Objects.requireNonNull(sink, "sink");
    }

    /**
     * Bytes of the file read so far (compressed bytes for .gz files; for Parquet, the file's size in proportion to
     * the rows read), for progress reporting.
     */
    public long bytesRead() {
        if (parquet != null) {
            try {
                return (long) (Files.size(schema.file()) * ((double) rowsRead / parquet.rows()));
            } catch (IOException e) {
                return 0;
            }
        }
        return counter == null ? 0 : counter.count;
    }

    /** Counts the raw bytes read from the file and copies them to {@code copy} when there is one. */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        private final java.io.OutputStream copy;
        long count;

        CountingInputStream(InputStream in, java.io.OutputStream copy) {
            super(in);
            this.copy = copy;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
                if (copy != null) {
                    copy.write(b);
                }
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
                if (copy != null) {
                    copy.write(b, off, n);
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return copy == null ? super.skip(n) : Math.max(0, read(new byte[(int) Math.min(n, 1 << 16)]));
        }
    }

    /** Data rows delivered so far (the header and blank lines do not count). */
    public long rowsRead() {
        return rowsRead;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (parquet != null) {
                parquet.close();
                return;
            }
            try {
                input.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void closeQuietly(ByteInput input, RuntimeException primary) {
        try {
            input.close();
        } catch (IOException | LoupeException e) {
            primary.addSuppressed(e);
        }
    }
}
