package dev.loupe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.api.InternalException;
import dev.loupe.api.InvalidInputException;
import dev.loupe.api.NotFoundException;
import dev.loupe.data.vectors.LabelFile;
import dev.loupe.data.vectors.VectorFile;
import dev.loupe.projection.Pca;
import dev.loupe.projection.Points;
import dev.loupe.projection.ProjectionListener;
import dev.loupe.projection.Quality;
import dev.loupe.projection.Tsne;
import dev.loupe.projection.Umap;
import dev.loupe.report.Float32Matrix;
import dev.loupe.store.Artifact;
import dev.loupe.store.PredictionRow;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code loupe project RUN | --embeddings FILE --method pca|tsne|umap [-o coords.csv]}. */
@Command(name = "project", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Project embeddings to 2-D with PCA, t-SNE or UMAP, and say how faithful the projection is.",
            "Reads a run's stored test-set embeddings (the demo stores them; evaluate --model --keep-embeddings too) or a"
                + " file of your own, writes x,y per input row in input order (-o), and stores the projection with the run"
                + " so the dashboard's projector shows it. Prints trustworthiness (k = 10, as scikit-learn defines it) and"
                + " kNN-label accuracy in 2-D and in the original space when labels are known.",
            "t-SNE: Barnes-Hut, perplexity-calibrated affinities on approximate nearest neighbours, PCA initialisation,"
                + " early exaggeration (scikit-learn's defaults). UMAP: umap-learn's defaults (n_neighbors 15, min_dist"
                + " 0.1), PCA initialisation. The same seed and input give the same coordinates for any thread count."},
        footer = {"", "Examples:", "  loupe project 3f2a --method umap -o coords.csv",
            "  loupe project --embeddings emb.npy --labels labels.csv --method tsne --perplexity 50 -o coords.csv",
            "  loupe project --embeddings emb.parquet --column embedding --method pca -o pca.csv",
            "", "Exit codes: 0 ok, 2 bad input (the message says where and how to fix it), 1 internal error."})
public final class ProjectCommand implements Callable<Integer> {
    static final List<String> METHODS = List.of("pca", "tsne", "umap");

    @Spec
    CommandSpec spec;
    @Mixin
    StoreOption store;
    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN", description = "A run with stored embeddings (id or a unique prefix of at least 4 characters).")
    String run;
    @Option(names = "--embeddings", paramLabel = "FILE", description = "Embeddings instead of a run: .npy (float32/float64, 2-D), .csv/.tsv (one vector per line, optional header) or .parquet (a list-of-numbers column).")
    Path embeddings;
    @Option(names = "--column", paramLabel = "NAME", description = "The Parquet list column holding the vectors (default: the only one).")
    String column;
    @Option(names = "--labels", paramLabel = "FILE", description = "Labels joined by row: .csv/.tsv with a header, .parquet, or a text file with one label per line.")
    Path labels;
    @Option(names = "--label-col", defaultValue = "label", paramLabel = "NAME", description = "Label column of --labels (default: ${DEFAULT-VALUE}).")
    String labelCol;
    @Option(names = "--method", defaultValue = "umap", paramLabel = "pca|tsne|umap", description = "Projection method (default: ${DEFAULT-VALUE}).")
    String method;
    @Option(names = "--perplexity", defaultValue = "30", paramLabel = "P", description = "t-SNE perplexity (default: ${DEFAULT-VALUE}).")
    double perplexity;
    @Option(names = "--iterations", defaultValue = "1000", paramLabel = "N", description = "t-SNE iterations, the first 250 exaggerated (default: ${DEFAULT-VALUE}).")
    int iterations;
    @Option(names = "--theta", defaultValue = "0.5", paramLabel = "T", description = "t-SNE Barnes-Hut accuracy: larger is faster and coarser (default: ${DEFAULT-VALUE}).")
    double theta;
    @Option(names = "--gradient", defaultValue = "auto", paramLabel = "auto|bh|fft", description = "t-SNE repulsion: Barnes-Hut"
            + " (bh), FFT-accelerated interpolation (fft, FIt-SNE's), or auto: Barnes-Hut below " + Tsne.FFT_FROM
            + " points, else fft (default: ${DEFAULT-VALUE}).")
    String gradient;

    @Option(names = "--neighbors", defaultValue = "15", paramLabel = "K", description = "UMAP n_neighbors (default: ${DEFAULT-VALUE}).")
    int neighbors;
    @Option(names = "--min-dist", defaultValue = "0.1", paramLabel = "D", description = "UMAP min_dist (default: ${DEFAULT-VALUE}).")
    double minDist;
    @Option(names = "--epochs", defaultValue = "0", paramLabel = "N", description = "UMAP epochs; 0 = umap-learn's default (500 up to 10,000 points, else 200).")
    int epochs;
    @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "Threads; 0 = all cores (default).")
    int threads;
    @Option(names = "--quality-sample", defaultValue = "1000", paramLabel = "N", description = "Points whose neighbourhoods the quality measures check (exact against all points; 0 skips them; default: ${DEFAULT-VALUE}).")
    int qualitySample;
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write x,y per input row (CSV, input order).")
    Path output;
    @Option(names = "--boundary", paramLabel = "FILE", description = "With --embeddings of two columns and --labels: train"
            + " the logistic model on them and draw its true decision boundary (regions over a grid) under the points,"
            + " as .png, .svg or .jpg.")
    Path boundary;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    /** What was projected: the points, their labels (null where unknown) and where they came from. */
    record Input(Points points, List<String> labels, String source) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String m = method.trim().toLowerCase(Locale.ROOT);
        if (!METHODS.contains(m)) {
            throw InvalidInputException.parameter("--method", "one of pca, tsne, umap", "'" + method + "'");
        }
        if ((run == null) == (embeddings == null)) {
            throw new InvalidInputException("NO_INPUT", run == null
                    ? "Nothing to project: name a RUN with stored embeddings, or pass --embeddings FILE."
                    : "Both a RUN and --embeddings given: project one of them.");
        }
        if (boundary != null && embeddings == null) {
            throw new InvalidInputException("NO_INPUT", "--boundary draws a two-feature data set's model: pass --embeddings FILE"
                    + " (two columns) and --labels FILE.");
        }
        String boundaryFormat = boundary == null ? null : PlotCommand.format(null, boundary);
        if (embeddings != null && output == null) {
            throw new InvalidInputException("NO_OUTPUT", "--embeddings needs -o FILE: where to write the coordinates.");
        }
        if (run == null && labels == null && !labelCol.equals("label")) {
            throw new InvalidInputException("NO_LABELS", "--label-col names a column of --labels, which is missing.");
        }
        Outcome o;
        if (run != null) {
            try (RunStore s = store.open()) {
                RunInfo info = s.run(run);
                Input in = fromRun(s, info);
                o = project(in, m, err);
                report(out, in, o);
                storeWith(s, info, m, o);
                writeCsv(o);
                out.printf(Locale.ROOT, "stored as artifacts projection-%s.f32 and projection-%s.json of run %s%n", m, m, info.id());
            }
        } else {
            VectorFile.Vectors v = VectorFile.read(embeddings, column);
            Points p = v.f() != null ? Points.of(v.n(), v.d(), v.f()) : Points.of(v.n(), v.d(), v.x());
            List<String> l = labels == null ? null : LabelFile.read(labels, labelCol, v.n());
            Input in = new Input(p, l, embeddings.toString());
            if (boundary != null) {
                drawBoundary(out, in, boundaryFormat);
            }
            o = project(in, m, err);
            report(out, in, o);
            writeCsv(o);
        }
        if (output != null) {
            out.printf(Locale.ROOT, "wrote %s (x,y for %,d rows)%n", output, o.coords().length / 2);
        }
        out.flush();
        return 0;
    }

    private void drawBoundary(PrintWriter out, Input in, String format) {
        PlaneBoundary.Fit f = PlaneBoundary.fit(in.points(), in.labels(), in.source());
        byte[] image = dev.loupe.report.SvgPlot.projection("Decision boundary — " + in.source(),
                PlaneBoundary.viewModel(in.points(), f), format);
        try {
            OutputFiles.write(boundary, os -> os.write(image));
        } catch (IOException e) {
            throw new InvalidInputException("CANNOT_WRITE", "Cannot write " + boundary + ": " + e.getMessage()
                    + " (check the folder exists and is writable).");
        }
        out.printf(Locale.ROOT, "boundary: the logistic model trained on %,d points (%d classes, training accuracy %.4f) drawn to %s%n",
                in.points().n(), f.classes().size(), f.accuracy(), boundary);
    }

    /** The projection and what is known about it. */
    record Outcome(String method, double[] coords, Map<String, Object> meta) {
    }

    private Input fromRun(RunStore s, RunInfo info) {
        Artifact emb = null;
        for (Artifact a : s.artifacts(info.id())) {
            if (a.name().equals("embeddings.f32")) {
                emb = a;
            }
        }
        if (emb == null) {
            throw new NotFoundException("NO_EMBEDDINGS", "Run " + info.id() + " has no stored embeddings: the demo stores"
                    + " them, and 'loupe evaluate --model ... --keep-embeddings' does; or pass --embeddings FILE.");
        }
        Float32Matrix e = Float32Matrix.read(s.artifactPath(emb.sha256()));
        List<String> l = null;
        List<PredictionRow> rows = s.predictions(info.id(), 0);
        if (rows.size() == e.rows()) {
            l = new ArrayList<>(e.rows());
            for (int i = 0; i < e.rows(); i++) {
                l.add(null);
            }
            for (PredictionRow r : rows) {
                if (r.rowIndex() >= 0 && r.rowIndex() < e.rows()) {
                    l.set((int) r.rowIndex(), r.label());
                }
            }
        }
        return new Input(Points.of(e.rows(), e.cols(), e.data()), l, "run " + info.id());
    }

    private Outcome project(Input in, String m, PrintWriter err) {
        int n = in.points().n();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("method", m);
        meta.put("rows", n);
        meta.put("dimensions", in.points().d());
        meta.put("seed", seed);
        meta.put("source", in.source());
        double[] coords;
        long t0 = System.nanoTime();
        try (Progress progress = new Progress(err, m.equals("tsne") ? "t-SNE" : m.toUpperCase(Locale.ROOT),
                m.equals("tsne") ? iterations : (m.equals("umap") ? (epochs > 0 ? epochs : (n <= 10_000 ? 500 : 200)) : 0), quiet)
                .unit(m.equals("tsne") ? "iterations" : "epochs")) {
            ProjectionListener listener = new ProjectionListener() {
                @Override
                public void stage(String name) {
                    progress.stage(name);
                }

                @Override
                public void step(int done, int total, double loss) {
                    if (!Double.isNaN(loss)) {
                        progress.detail(String.format(Locale.ROOT, "KL %.4f", loss));
                    }
                    progress.update(done, done);
                }
            };
            switch (m) {
                case "pca" -> {
                    listener.stage("PCA");
                    Pca.Result r = Pca.fit(in.points(), 2, seed, threads);
                    coords = r.coords();
                    meta.put("explained_variance_ratio", r.explainedRatio());
                    meta.put("exact", r.exact());
                }
                case "tsne" -> {
                    if (!(perplexity > 0) || perplexity >= n) {
                        throw InvalidInputException.parameter("--perplexity", "positive and less than the number of rows ("
                                + n + ")", perplexity);
                    }
                    if (iterations < 250) {
                        throw InvalidInputException.parameter("--iterations", "at least 250", iterations);
                    }
                    if (!(theta >= 0 && theta <= 1)) {
                        throw InvalidInputException.parameter("--theta", "in [0, 1]", theta);
                    }
                    Tsne.Gradient g = switch (gradient.trim().toLowerCase(Locale.ROOT)) {
                        case "auto" -> Tsne.Gradient.AUTO;
                        case "bh" -> Tsne.Gradient.BARNES_HUT;
                        case "fft" -> Tsne.Gradient.FFT;
                        default -> throw InvalidInputException.parameter("--gradient", "auto, bh or fft", "'" + gradient + "'");
                    };
                    Tsne.Options opts = Tsne.Options.defaults().withPerplexity(perplexity).withIterations(iterations)
                            .withTheta(theta).withSeed(seed).withThreads(threads).withGradient(g);
                    Tsne.Result r = Tsne.run(in.points(), opts, listener);
                    meta.put("gradient", Tsne.usesFft(opts, n) ? "fft" : "barnes-hut");
                    coords = r.coords();
                    meta.put("perplexity", perplexity);
                    meta.put("iterations", iterations);
                    meta.put("theta", theta);
                    meta.put("kl_divergence", r.klDivergence());
                    meta.put("stage_seconds", Map.of("neighbours", r.knnSeconds(), "affinities", r.affinitySeconds(),
                            "initialisation", r.initSeconds(), "optimisation", r.optimizeSeconds()));
                }
                default -> {
                    if (neighbors < 2 || neighbors >= n) {
                        throw InvalidInputException.parameter("--neighbors", "at least 2 and less than the number of rows ("
                                + n + ")", neighbors);
                    }
                    if (!(minDist >= 0)) {
                        throw InvalidInputException.parameter("--min-dist", "at least 0", minDist);
                    }
                    Umap.Result r = Umap.run(in.points(), Umap.Options.defaults().withNeighbors(neighbors).withMinDist(minDist)
                            .withEpochs(epochs).withSeed(seed).withThreads(threads), listener);
                    coords = r.coords();
                    meta.put("n_neighbors", neighbors);
                    meta.put("min_dist", minDist);
                    meta.put("epochs", r.epochs());
                    meta.put("stage_seconds", Map.of("neighbours", r.knnSeconds(), "graph", r.graphSeconds(),
                            "initialisation", r.initSeconds(), "optimisation", r.optimizeSeconds()));
                }
            }
            meta.put("seconds", (System.nanoTime() - t0) / 1e9);
            if (qualitySample > 0 && n > 22) {
                progress.stage("quality measures");
                quality(in, coords, meta);
            }
        }
        return new Outcome(m, coords, meta);
    }

    private void quality(Input in, double[] coords, Map<String, Object> meta) {
        int n = in.points().n();
        int[] q = Quality.sample(n, qualitySample, seed);
        Points low = Points.plane(coords);
        meta.put("quality_sample", q.length);
        meta.put("trustworthiness", Quality.trustworthiness(in.points(), low, 10, q, threads));
        if (in.labels() != null) {
            Map<String, Integer> ids = new HashMap<>();
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                String l = in.labels().get(i);
                y[i] = l == null ? -1 : ids.computeIfAbsent(l, k -> ids.size());
            }
            meta.put("knn_accuracy_2d", Quality.knnAccuracy(low, y, 10, q, threads));
            meta.put("knn_accuracy_original", Quality.knnAccuracy(in.points(), y, 10, q, threads));
        }
    }

    private void report(PrintWriter out, Input in, Outcome o) {
        Map<String, Object> m = o.meta();
        out.printf(Locale.ROOT, "%s of %,d × %d (%s) in %.1f s%n", o.method(), in.points().n(), in.points().d(),
                TableReport.safe(in.source()), (double) m.get("seconds"));
        if (m.containsKey("explained_variance_ratio")) {
            double[] r = (double[]) m.get("explained_variance_ratio");
            out.printf(Locale.ROOT, "  explained variance: %.4f + %.4f = %.4f%n", r[0], r[1], r[0] + r[1]);
        }
        if (m.containsKey("kl_divergence")) {
            out.printf(Locale.ROOT, "  KL divergence: %.4f%n", (double) m.get("kl_divergence"));
        }
        if (m.containsKey("trustworthiness")) {
            String sample = (int) m.get("quality_sample") < in.points().n()
                    ? String.format(Locale.ROOT, " (over %,d sampled points)", (int) m.get("quality_sample")) : "";
            out.printf(Locale.ROOT, "  trustworthiness (k = 10): %.4f%s%n", (double) m.get("trustworthiness"), sample);
        }
        if (m.containsKey("knn_accuracy_2d")) {
            out.printf(Locale.ROOT, "  kNN-label accuracy (k = 10): %.4f in 2-D, %.4f in the original space%n",
                    (double) m.get("knn_accuracy_2d"), (double) m.get("knn_accuracy_original"));
        }
    }

    private void storeWith(RunStore s, RunInfo info, String m, Outcome o) {
        try {
            byte[] json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(o.meta());
            s.transaction(() -> {
                s.putArtifact(info.id(), "projection-" + m + ".f32", "application/octet-stream",
                        new ByteArrayInputStream(Float32Matrix.of(o.coords(), 2).toBytes()));
                s.putArtifact(info.id(), "projection-" + m + ".json", "application/json", new ByteArrayInputStream(json));
                return null;
            });
        } catch (IOException e) {
            throw new InternalException("cannot encode the projection's metadata: " + e.getMessage(), e);
        }
    }

    private void writeCsv(Outcome o) {
        if (output == null) {
            return;
        }
        double[] c = o.coords();
        try {
            Path abs = output.toAbsolutePath();
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
            OutputFiles.write(abs, os -> {
                StringBuilder sb = new StringBuilder(c.length * 12 + 8).append("x,y\n");
                for (int i = 0; i < c.length; i += 2) {
                    sb.append((float) c[i]).append(',').append((float) c[i + 1]).append('\n');
                }
                os.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            });
        } catch (IOException e) {
            throw new InternalException("Cannot write " + output + ": " + e.getMessage(), e);
        }
    }
}
