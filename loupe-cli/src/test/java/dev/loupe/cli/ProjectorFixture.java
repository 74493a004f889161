package dev.loupe.cli;

import dev.loupe.models.probe.LogisticProbe;
import dev.loupe.models.probe.ProbeConfig;
import dev.loupe.report.Float32Matrix;
import dev.loupe.store.PredictionRow;
import dev.loupe.store.Provenance;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunSpec;
import dev.loupe.store.RunStatus;
import dev.loupe.store.RunStore;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A run as the demo records one for the projector: n examples in `classes` noisy clusters of d dimensions, a probe
 * trained on them (its predictions stored, with texts and metadata {@code source}, {@code length}; the first ones
 * hostile), the embeddings and the probe as
 * artifacts, and a stored "UMAP" projection (the clusters' 2-D layout; no UMAP is run).
 */
final class ProjectorFixture {
    private ProjectorFixture() {
    }

    record Made(String runId, float[][] embeddings, LogisticProbe probe, List<String> classes) {
    }

    static Made make(RunStore store, String experiment, String name, int n, int d, int k, long seed, List<String> hostile) {
        Random r = new Random(seed);
        double[][] centres = new double[k][d];
        for (double[] c : centres) {
            for (int j = 0; j < d; j++) {
                c[j] = 0.6 * r.nextGaussian(); // overlapping clusters: the probe makes mistakes
            }
        }
        List<String> classes = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            classes.add("class-" + (char) ('a' + c));
        }
        float[][] x = new float[n][d];
        int[] y = new int[n];
        float[] xy = new float[2 * n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(k);
            for (int j = 0; j < d; j++) {
                x[i][j] = (float) (centres[y[i]][j] + r.nextGaussian());
            }
            double angle = 2 * Math.PI * y[i] / k;
            xy[2 * i] = (float) (6 * Math.cos(angle) + r.nextGaussian());
            xy[2 * i + 1] = (float) (6 * Math.sin(angle) + r.nextGaussian());
            if (i < hostile.size()) { // the hostile examples sit apart in the empty middle, so a test can hover each
                xy[2 * i] = -3 + 1.5f * i;
                xy[2 * i + 1] = 0;
            }
        }
        int train = Math.min(n, 3000);
        LogisticProbe probe = LogisticProbe.train(java.util.Arrays.copyOf(x, train), java.util.Arrays.copyOf(y, train),
                new float[0][], new int[0], k, ProbeConfig.defaults()).probe();
        RunInfo info = store.createRun(new RunSpec(experiment, name, Provenance.EMPTY.withCommand("ProjectorFixture"), null));
        List<PredictionRow> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double[] p = probe.predictProba(x[i]);
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (p[c] > p[best]) {
                    best = c;
                }
            }
            StringBuilder probs = new StringBuilder("[");
            for (int c = 0; c < k; c++) {
                probs.append(c == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6f", p[c]));
            }
            String text = i < hostile.size() ? hostile.get(i) : "Example " + i + " of " + classes.get(y[i]) + " with some words";
            // metadata: a categorical column (hostile values on the hostile rows) and a numeric one
            String source = i < hostile.size() ? BrowserFixture.HOSTILE_SOURCE : "source-" + (i % 3);
            String meta = "{\"source\": " + com.fasterxml.jackson.databind.node.TextNode.valueOf(source) + ", \"length\": " + (20 + i % 50) + "}";
            rows.add(new PredictionRow(i, "ex-" + i, classes.get(y[i]), probs.append(']').toString(), classes.get(best),
                    -Math.log(Math.max(p[y[i]], 1e-15)), meta, text, p[best]));
        }
        store.putPredictions(info.id(), rows);
        store.putArtifact(info.id(), "embeddings.f32", "application/octet-stream",
                new ByteArrayInputStream(Float32Matrix.of(x).toBytes()));
        // probe.json as probe runs keep it: classes, dimension, the row-major k × (d + 1) weights (bias last)
        try {
            store.putArtifact(info.id(), "probe.json", "application/json", new ByteArrayInputStream(new com.fasterxml.jackson.databind.ObjectMapper()
                    .writeValueAsBytes(java.util.Map.of("format", "loupe-probe/1", "classes", classes, "dimension", d,
                            "weights", probe.weights()))));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        store.putArtifact(info.id(), "projection-umap.f32", "application/octet-stream",
                new ByteArrayInputStream(new Float32Matrix(n, 2, xy).toBytes()));
        store.putArtifact(info.id(), "projection-umap.json", "application/json",
                new ByteArrayInputStream("{\"method\": \"umap\", \"trustworthiness\": 0.91}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        store.finish(info.id(), RunStatus.FINISHED);
        return new Made(info.id(), x, probe, classes);
    }
}
