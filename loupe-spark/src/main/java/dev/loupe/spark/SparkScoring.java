package dev.loupe.spark;

import dev.loupe.api.InvalidInputException;
import dev.loupe.cli.ProbeArtifact;
import dev.loupe.models.BundledEncoder;
import dev.loupe.models.Field;
import dev.loupe.models.ModelAdapter;
import dev.loupe.models.ModelOptions;
import dev.loupe.models.ModelOutput;
import dev.loupe.models.Models;
import dev.loupe.models.OnnxTextEncoder;
import dev.loupe.models.probe.LogisticProbe;
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
        checkInputs(texts, textCol, batchSize);
        Path dir = Path.of(modelDir).toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve("config.json")) || !Files.isRegularFile(dir.resolve("model.onnx"))) {
            throw new InvalidInputException("MODEL_NOT_FOUND", "No ONNX text classifier in '" + modelDir + "': Spark scoring"
                    + " needs a directory with model.onnx, tokenizer.json and config.json (a classifier's id2label).");
        }
        List<String> labels;
        String sha;
        try (ModelAdapter local = Models.open(dir.toString(), ModelOptions.defaults().withMaxLength(maxLength))) {
            labels = local.spec().probabilities().map(Field.Probabilities::labels).orElseThrow(() ->
                    new InvalidInputException("NOT_A_CLASSIFIER", "The model " + modelDir + " outputs no class probabilities."));
            sha = local.spec().sha256();
        }
        List<String> files = ship(texts.sparkSession(), dir, sha);
        String shipped = prefix(sha);
        String key = sha + "/" + maxLength;
        return new Scoring(scored(texts, textCol, batchSize, labels, () -> new Scorer(session(key, () -> Models.open(
                linked(shipped, files).toString(), ModelOptions.defaults().withMaxLength(maxLength))), ModelOutput::probabilitiesOf)),
                sha, labels);
    }

    /**
     * Scores texts in the executors with a sentence encoder (a bundled short name such as {@code minilm-q}, or an
     * encoder directory with model.onnx and tokenizer.json) and a probe trained on its embeddings (a probe run's
     * {@code probe.json}): the encoder's files are shipped with the job (a bundled encoder's from the driver's class
     * path), each executor JVM opens one session, and each text's probabilities are the probe's on its embedding, as
     * {@code loupe explain --probe-run} scores on one machine. {@code encoder} null: the probe's own encoder;
     * {@code maxLength} 0: the probe's.
     */
    static Scoring scoreWithProbe(Dataset<Row> texts, String encoder, ProbeArtifact probe, String textCol, int batchSize,
                                  int maxLength) {
        checkInputs(texts, textCol, batchSize);
        String enc = encoder != null ? encoder : probe.encoder();
        int max = maxLength > 0 ? maxLength : probe.maxLength() > 0 ? Math.min(probe.maxLength(), BundledEncoder.MAX_LENGTH) : 0;
        boolean bundled = BundledEncoder.isShortName(enc);
        Path dir;
        String sha;
        int dim;
        try (OnnxTextEncoder local = bundled ? OnnxTextEncoder.open(BundledEncoder.byName(enc), ModelOptions.defaults().withMaxLength(max))
                : OnnxTextEncoder.open(Path.of(enc), ModelOptions.defaults().withMaxLength(max))) {
            sha = local.spec().sha256();
            dim = local.dim();
        }
        if (probe.encoderSha256() != null && !probe.encoderSha256().equals(sha)) {
            throw new InvalidInputException("PROBE_MISMATCH", "The probe was trained on the encoder " + probe.encoder()
                    + " (SHA-256 " + probe.encoderSha256().substring(0, 12) + "…), not on " + enc + " (SHA-256 "
                    + sha.substring(0, 12) + "…): pass --model " + probe.encoder() + " or leave --model out.");
        }
        if (probe.probe().dimension() != dim || probe.probe().numClasses() != probe.classes().size()) {
            throw new InvalidInputException("PROBE_MISMATCH", "The probe takes " + probe.probe().dimension()
                    + "-dimensional embeddings for " + probe.probe().numClasses() + " classes " + probe.classes()
                    + "; the encoder " + enc + " gives " + dim + ".");
        }
        try {
            dir = bundled ? unpack(BundledEncoder.byName(enc)) : Path.of(enc).toAbsolutePath().normalize();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("writing the encoder's files to ship", e);
        }
        List<String> files = ship(texts.sparkSession(), dir, sha);
        String shipped = prefix(sha);
        String key = "encoder/" + sha + "/" + max;
        int k = probe.probe().numClasses();
        double[] weights = probe.probe().weights();
        List<String> labels = List.copyOf(probe.classes());
        return new Scoring(scored(texts, textCol, batchSize, labels, () -> {
            LogisticProbe head = LogisticProbe.of(k, dim, weights);
            return new Scorer(session(key, () -> OnnxTextEncoder.open(linked(shipped, files), ModelOptions.defaults()
                    .withMaxLength(max))), (out, i) -> head.predictProba(out.embeddingOf(i)));
        }), sha, labels);
    }

    /** A bundled encoder's class-path files as an encoder directory (model.onnx, tokenizer.json) in a temporary one. */
    private static Path unpack(BundledEncoder e) throws java.io.IOException {
        Path d = Files.createTempDirectory("loupe-encoder-");
        d.toFile().deleteOnExit();
        for (Map.Entry<String, byte[]> f : Map.of("model.onnx", e.onnxBytes(), "tokenizer.json", e.tokenizerBytes()).entrySet()) {
            Path p = Files.write(d.resolve(f.getKey()), f.getValue());
            p.toFile().deleteOnExit();
        }
        return d;
    }

    private static void checkInputs(Dataset<Row> texts, String textCol, int batchSize) {
        if (batchSize < 1) {
            throw InvalidInputException.parameter("--batch-size", "at least 1", batchSize);
        }
        StructType in = texts.schema();
        if (!Arrays.asList(in.fieldNames()).contains(textCol)) {
            throw new InvalidInputException("MISSING_COLUMN", "the texts have no column '" + textCol + "'. Their columns are "
                    + Arrays.asList(in.fieldNames()) + ". Name the text column with --text-col.");
        }
    }

    /** How a row of a model's output becomes class probabilities (a classifier's own, or a probe's over an embedding). */
    interface Head {
        double[] probabilities(ModelOutput out, int row);
    }

    /** An executor's model (from its JVM's sessions) and head. */
    record Scorer(ModelAdapter model, Head head) {
    }

    /** Opens the {@link Scorer} in the executor, for each partition. */
    interface ScorerFactory extends java.io.Serializable {
        Scorer open();
    }

    /** {@code texts} with one {@code prob_<label>} column per label appended, scored {@code batchSize} texts at a time. */
    private static Dataset<Row> scored(Dataset<Row> texts, String textCol, int batchSize, List<String> labels,
                                       ScorerFactory scorer) {
        StructType in = texts.schema();
        StructType out = in;
        for (String l : labels) {
            out = out.add(DataTypes.createStructField("prob_" + l, DataTypes.DoubleType, false));
        }
        int textIndex = in.fieldIndex(textCol);
        int k = labels.size();
        return texts.mapPartitions((MapPartitionsFunction<Row, Row>) rows ->
                new Scored(rows, scorer.open(), textIndex, batchSize, k), Encoders.row(out));
    }

    /** This JVM's session for {@code key} (a shipped model and its max length), opened on first use. */
    static ModelAdapter session(String key, java.util.function.Supplier<ModelAdapter> open) {
        return SESSIONS.computeIfAbsent(key, x -> open.get());
    }

    /**
     * The files Spark fetched for a shipped model (named {@code <prefix><name>}), linked back under their own names
     * into a directory of their own.
     */
    static Path linked(String prefix, List<String> files) {
        try {
            Path d = Files.createTempDirectory("loupe-model-");
            for (String f : files) {
                Files.createSymbolicLink(d.resolve(f), Path.of(SparkFiles.get(prefix + f)).toAbsolutePath());
            }
            return d;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("linking the shipped model files", e);
        }
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
        private final Scorer model;
        private final int textIndex;
        private final int batchSize;
        private final int k;
        private final List<Row> pending = new ArrayList<>();
        private ModelOutput output;
        private int next;

        Scored(Iterator<Row> rows, Scorer model, int textIndex, int batchSize, int k) {
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
            output = model.model().predict(batch);
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
            double[] p = model.head().probabilities(output, next);
            for (int j = 0; j < k; j++) {
                v[r.length() + j] = p[j];
            }
            next++;
            return RowFactory.create(v);
        }
    }
}
