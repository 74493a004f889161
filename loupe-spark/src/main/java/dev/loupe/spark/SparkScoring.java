package dev.loupe.spark;

import dev.loupe.api.InvalidInputException;
import dev.loupe.models.Field;
import dev.loupe.models.ModelAdapter;
import dev.loupe.models.ModelOptions;
import dev.loupe.models.ModelOutput;
import dev.loupe.models.Models;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Batch scoring in the executors: an ONNX text-classifier directory (model.onnx, tokenizer.json, config.json) is
 * shipped with the job (its files through {@code SparkContext.addFile}, so they reach every executor whatever their
 * file systems), and
 * each executor JVM opens one ONNX Runtime session for it (shared by its tasks; sessions run concurrently) and scores
 * its partitions' texts in batches, as {@code loupe evaluate --model} does on one machine.
 */
final class SparkScoring {
    private SparkScoring() {
    }

    /** Per executor JVM: one open model per (shipped directory, max length). Never closed: they live as long as the JVM. */
    private static final Map<String, ModelAdapter> SESSIONS = new ConcurrentHashMap<>();

    /** The scored texts (lazy), and the model's SHA-256 and labels as the driver read them. */
    record Scoring(Dataset<Row> scored, String modelSha256, List<String> labels) {
    }

    static Scoring score(Dataset<Row> texts, String modelDir, String textCol, int batchSize, int maxLength) {
        if (batchSize < 1) {
            throw InvalidInputException.parameter("--batch-size", "at least 1", batchSize);
        }
        Path dir = Path.of(modelDir).toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve("config.json")) || !Files.isRegularFile(dir.resolve("model.onnx"))) {
            throw new InvalidInputException("MODEL_NOT_FOUND", "No ONNX text classifier in '" + modelDir + "': Spark scoring"
                    + " needs a directory with model.onnx, tokenizer.json and config.json (a classifier's id2label).");
        }
        StructType in = texts.schema();
        if (!Arrays.asList(in.fieldNames()).contains(textCol)) {
            throw new InvalidInputException("MISSING_COLUMN", "the texts have no column '" + textCol + "'. Their columns are "
                    + Arrays.asList(in.fieldNames()) + ". Name the text column with --text-col.");
        }
        List<String> labels;
        String sha;
        try (ModelAdapter local = Models.open(dir.toString(), ModelOptions.defaults().withMaxLength(maxLength))) {
            labels = local.spec().probabilities().map(Field.Probabilities::labels).orElseThrow(() ->
                    new InvalidInputException("NOT_A_CLASSIFIER", "The model " + modelDir + " outputs no class probabilities."));
            sha = local.spec().sha256();
        }
        List<String> files = ship(texts.sparkSession(), dir, sha);
        StructType out = in;
        for (String l : labels) {
            out = out.add(DataTypes.createStructField("prob_" + l, DataTypes.DoubleType, false));
        }
        int textIndex = in.fieldIndex(textCol);
        String shipped = prefix(sha);
        String key = sha + "/" + maxLength;
        int k = labels.size();
        Dataset<Row> scored = texts.mapPartitions((MapPartitionsFunction<Row, Row>) rows ->
                new Scored(rows, session(key, shipped, files, maxLength), textIndex, batchSize, k), Encoders.row(out));
        return new Scoring(scored, sha, labels);
    }

    /**
     * This JVM's session for the shipped model, opened on first use from the files Spark fetched (named
     * {@code <prefix><name>}), linked back under their own names into a directory of their own.
     */
    static ModelAdapter session(String key, String prefix, List<String> files, int maxLength) {
        return SESSIONS.computeIfAbsent(key, x -> {
            try {
                Path d = Files.createTempDirectory("loupe-model-");
                for (String f : files) {
                    Files.createSymbolicLink(d.resolve(f), Path.of(SparkFiles.get(prefix + f)).toAbsolutePath());
                }
                return Models.open(d.toString(), ModelOptions.defaults().withMaxLength(maxLength));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("linking the shipped model files", e);
            }
        });
    }

    private static String prefix(String sha) {
        return "loupe-" + sha.replace("sha256:", "").substring(0, 16) + "-";
    }

    /**
     * Ships the model directory's files with the job ({@code SparkContext.addFile}, which takes no local directory on a
     * cluster): each under a name unique to the model ({@code loupe-<sha>-model.onnx}), through a hard link (or a copy) in a
     * driver temporary directory. Returns the files' own names.
     */
    private static List<String> ship(org.apache.spark.sql.SparkSession spark, Path dir, String sha) {
        List<String> names = new ArrayList<>();
        try (var list = Files.list(dir)) {
            Path links = Files.createTempDirectory("loupe-ship-");
            links.toFile().deleteOnExit();
            for (Path f : list.filter(Files::isRegularFile).sorted().toList()) {
                String name = f.getFileName().toString();
                Path link = links.resolve(prefix(sha) + name);
                try {
                    Files.createLink(link, f.toAbsolutePath()); // a hard link: Spark resolves symbolic ones to their target's name
                } catch (java.io.IOException | UnsupportedOperationException e) {
                    Files.copy(f, link);
                }
                link.toFile().deleteOnExit();
                spark.sparkContext().addFile(link.toString());
                names.add(name);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("shipping the model files of " + dir, e);
        }
        return names;
    }

    /** How many sessions this JVM has opened (for tests: one per executor). */
    static int openSessions() {
        return SESSIONS.size();
    }

    /** A partition's rows with their probabilities appended, scored {@code batchSize} texts per model call. */
    private static final class Scored implements Iterator<Row> {
        private final Iterator<Row> rows;
        private final ModelAdapter model;
        private final int textIndex;
        private final int batchSize;
        private final int k;
        private final List<Row> pending = new ArrayList<>();
        private ModelOutput output;
        private int next;

        Scored(Iterator<Row> rows, ModelAdapter model, int textIndex, int batchSize, int k) {
            this.rows = rows;
            this.model = model;
            this.textIndex = textIndex;
            this.batchSize = batchSize;
            this.k = k;
        }

        @Override
        public boolean hasNext() {
            if (next < pending.size()) {
                return true;
            }
            pending.clear();
            next = 0;
            List<String> batch = new ArrayList<>(batchSize);
            while (batch.size() < batchSize && rows.hasNext()) {
                Row r = rows.next();
                pending.add(r);
                // a missing text is the empty text, as loupe evaluate --model reads an empty CSV cell (Spark reads it as null)
                batch.add(r.isNullAt(textIndex) ? "" : r.getString(textIndex));
            }
            if (batch.isEmpty()) {
                return false;
            }
            output = model.predict(batch);
            return true;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row r = pending.get(next);
            Object[] v = new Object[r.length() + k];
            for (int i = 0; i < r.length(); i++) {
                v[i] = r.get(i);
            }
            for (int j = 0; j < k; j++) {
                v[r.length() + j] = output.probability(next, j);
            }
            next++;
            return RowFactory.create(v);
        }
    }
}
