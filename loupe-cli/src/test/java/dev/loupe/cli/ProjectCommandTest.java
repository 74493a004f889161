package dev.loupe.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code loupe project}: files in, coordinates out in input order, and every kind of bad input exits 2. */
class ProjectCommandTest {
    @TempDir
    Path tmp;

    /** A .npy file of n × d values around `centers` well-separated centres; row i is in cluster i % centers. */
    static byte[] npy(int n, int d, int centers, boolean float64, long seed) {
        Random r = new Random(seed);
        double[][] c = new double[centers][d];
        for (double[] row : c) {
            for (int j = 0; j < d; j++) {
                row[j] = 6 * r.nextGaussian();
            }
        }
        String header = "{'descr': '<f" + (float64 ? 8 : 4) + "', 'fortran_order': False, 'shape': (" + n + ", " + d + "), }";
        int pad = 16 - (10 + header.length() + 1) % 16;
        header = header + " ".repeat(pad % 16) + "\n";
        int size = float64 ? 8 : 4;
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + n * d * size).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double v = c[i % centers][j] + r.nextGaussian();
                if (float64) {
                    b.putDouble(v);
                } else {
                    b.putFloat((float) v);
                }
            }
        }
        return b.array();
    }

    Path write(String name, byte[] content) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, content);
        return p;
    }

    Path write(String name, String content) throws IOException {
        return write(name, content.getBytes(StandardCharsets.UTF_8));
    }

    void assertBadInput(Cli r, String... fragments) {
        assertEquals(2, r.exit(), "exit code; stderr: " + r.err());
        assertTrue(r.err().startsWith("error: "), r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "stderr should mention '" + f + "': " + r.err());
        }
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertFalse(Files.exists(tmp.resolve("c.csv")), "no coordinates written on bad input");
    }

    Cli project(Path emb, String... extra) {
        String[] args = new String[6 + extra.length];
        args[0] = "project";
        args[1] = "--embeddings";
        args[2] = emb.toString();
        args[3] = "-q";
        args[4] = "-o";
        args[5] = tmp.resolve("c.csv").toString();
        System.arraycopy(extra, 0, args, 6, extra.length);
        return Cli.run(args);
    }

    @Test
    void umapOfAnNpyFileWritesCoordinatesInInputOrderWithQuality() throws IOException {
        Path emb = write("emb.npy", npy(600, 16, 4, false, 1));
        StringBuilder labels = new StringBuilder("id,label\n");
        for (int i = 0; i < 600; i++) {
            labels.append(i).append(",c").append(i % 4).append('\n');
        }
        Path lab = write("labels.csv", labels.toString());
        Cli r = project(emb, "--labels", lab.toString(), "--method", "umap", "--seed", "3");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = Files.readAllLines(tmp.resolve("c.csv"));
        assertEquals("x,y", lines.get(0));
        assertEquals(601, lines.size());
        // separated clusters stay separated: each point's nearest 2-D neighbours share its cluster
        double[][] xy = new double[600][];
        for (int i = 0; i < 600; i++) {
            String[] f = lines.get(i + 1).split(",");
            xy[i] = new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1])};
        }
        int same = 0;
        for (int i = 0; i < 600; i++) {
            int best = -1;
            double bd = Double.POSITIVE_INFINITY;
            for (int j = 0; j < 600; j++) {
                double dx = xy[i][0] - xy[j][0];
                double dy = xy[i][1] - xy[j][1];
                if (j != i && dx * dx + dy * dy < bd) {
                    bd = dx * dx + dy * dy;
                    best = j;
                }
            }
            same += best % 4 == i % 4 ? 1 : 0;
        }
        assertEquals(600, same, "every nearest 2-D neighbour in the same cluster");
        assertTrue(r.out().contains("trustworthiness (k = 10): "), r.out());
        assertTrue(r.out().contains("kNN-label accuracy (k = 10): 1.0000 in 2-D, 1.0000 in the original space"), r.out());
        // the same seed gives the same file
        byte[] first = Files.readAllBytes(tmp.resolve("c.csv"));
        Files.delete(tmp.resolve("c.csv"));
        assertEquals(0, project(emb, "--method", "umap", "--seed", "3", "--threads", "1").exit());
        assertEquals(new String(first, StandardCharsets.UTF_8), Files.readString(tmp.resolve("c.csv")));
    }

    @Test
    void tsneWithEitherGradientSeparatesClusters() throws IOException {
        Path emb = write("emb.npy", npy(400, 8, 4, false, 6));
        StringBuilder labels = new StringBuilder("label\n");
        for (int i = 0; i < 400; i++) {
            labels.append('c').append(i % 4).append('\n');
        }
        Path lab = write("labels.csv", labels.toString());
        for (String g : List.of("bh", "fft")) {
            Cli r = project(emb, "--labels", lab.toString(), "--method", "tsne", "--perplexity", "20", "--gradient", g, "--seed", "2");
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("kNN-label accuracy (k = 10): 1.0000 in 2-D"), g + ": " + r.out());
            Files.delete(tmp.resolve("c.csv"));
        }
    }

    @Test
    void pcaOfFloat64AndCsvAgree() throws IOException {
        Path emb = write("emb.npy", npy(50, 5, 2, true, 2));
        assertEquals(0, project(emb, "--method", "pca").exit());
        List<String> fromNpy = Files.readAllLines(tmp.resolve("c.csv"));
        Files.delete(tmp.resolve("c.csv"));
        // the same values as CSV text (header line, then one vector per line)
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Files.readAllBytes(emb)).order(ByteOrder.LITTLE_ENDIAN);
        b.position(10 + b.getShort(8));
        StringBuilder csv = new StringBuilder("a,b,c,d,e\n");
        for (int i = 0; i < 50; i++) {
            for (int j = 0; j < 5; j++) {
                csv.append(j == 0 ? "" : ",").append(b.getDouble());
            }
            csv.append('\n');
        }
        Cli r = project(write("emb.csv", csv.toString()), "--method", "pca");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("explained variance: "), r.out());
        List<String> fromCsv = Files.readAllLines(tmp.resolve("c.csv"));
        assertEquals(fromNpy.size(), fromCsv.size());
        for (int i = 1; i < fromNpy.size(); i++) {
            String[] a = fromNpy.get(i).split(",");
            String[] c = fromCsv.get(i).split(",");
            for (int j = 0; j < 2; j++) {
                assertEquals(Double.parseDouble(a[j]), Double.parseDouble(c[j]), 1e-3, "row " + i);
            }
        }
    }

    @Test
    void raggedCsvRowsNameTheLine() throws IOException {
        assertBadInput(project(write("e.csv", "1,2,3\n4,5,6\n7,8\n"), "--method", "pca"), "e.csv", "line 3", "2 values", "3");
    }

    @Test
    void nanNamesRowAndColumn() throws IOException {
        assertBadInput(project(write("e.csv", "1,2,3\n4,NaN,6\n7,8,9\n"), "--method", "pca"), "e.csv", "line 2, column 2", "finite");
        byte[] npy = npy(10, 3, 2, false, 3);
        ByteBuffer.wrap(npy).order(ByteOrder.LITTLE_ENDIAN).putFloat(npy.length - 4 * 4, Float.NaN);
        assertBadInput(project(write("e.npy", npy), "--method", "pca"), "e.npy", "row 9, column 3", "finite");
    }

    @Test
    void oneRowIsRefused() throws IOException {
        assertBadInput(project(write("e.csv", "1,2,3\n"), "--method", "pca"), "e.csv", "1 row", "at least 2");
    }

    @Test
    void labelsOfAnotherLengthAreADimensionMismatch() throws IOException {
        Path emb = write("e.csv", "1,2\n3,4\n5,6\n");
        assertBadInput(project(emb, "--method", "pca", "--labels", write("l.txt", "a\nb\n").toString()),
                "l.txt", "2 labels", "3 rows");
    }

    @Test
    void badParametersAndFormats() throws IOException {
        Path emb = write("emb.npy", npy(40, 4, 2, false, 4));
        assertBadInput(project(emb, "--method", "isomap"), "--method", "pca, tsne, umap", "isomap");
        assertBadInput(project(emb, "--method", "tsne", "--perplexity", "40"), "--perplexity", "40");
        assertBadInput(project(emb, "--method", "tsne", "--perplexity", "5", "--gradient", "exact"), "--gradient", "auto, bh or fft", "exact");
        assertBadInput(project(emb, "--method", "umap", "--neighbors", "1"), "--neighbors");
        assertBadInput(project(write("e.json", "[]"), "--method", "pca"), "e.json", ".npy");
        assertBadInput(project(write("e.npy", "not numpy"), "--method", "pca"), "e.npy", "NUMPY");
        byte[] ints = npy(4, 2, 1, false, 5);
        ints[10 + 12] = (byte) 'i'; // <f4 → <i4
        assertBadInput(project(write("i.npy", ints), "--method", "pca"), "i.npy", "float32 or float64");
        assertBadInput(project(tmp.resolve("missing.npy"), "--method", "pca"), "missing.npy", "does not exist");
        Cli none = Cli.run("project", "--method", "pca");
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("--embeddings FILE"), none.err());
    }

    @Test
    void evaluateKeepsAnEncodersTestEmbeddingsAndProjectStoresItsProjectionWithTheRun() throws Exception {
        StringBuilder csv = new StringBuilder("text,label\n");
        String[] good = {"a wonderful film", "great acting", "I loved it", "superb and moving", "a delight"};
        String[] bad = {"a dreadful film", "terrible acting", "I hated it", "dull and long", "a disaster"};
        for (int i = 0; i < 30; i++) {
            csv.append(good[i % 5]).append(" number ").append(i).append(",positive\n");
            csv.append(bad[i % 5]).append(" number ").append(i).append(",negative\n");
        }
        Path data = write("reviews.csv", csv.toString());
        String store = tmp.resolve("loupe.db").toString();
        Cli r = Cli.run("evaluate", "--model", "minilm-q", "--data", data.toString(), "--keep-embeddings", "--bootstrap", "0",
                "-q", "--store", store);
        assertEquals(0, r.exit(), r.err());
        String id;
        try (dev.loupe.store.RunStore s = dev.loupe.store.RunStore.open(dev.loupe.store.StoreLocation.parse(store))) {
            id = s.listRuns(null).get(0).id();
            dev.loupe.store.Artifact a = s.artifacts(id).stream().filter(x -> x.name().equals("embeddings.f32")).findFirst().orElseThrow();
            dev.loupe.report.Float32Matrix m = dev.loupe.report.Float32Matrix.read(s.artifactPath(a.sha256()));
            assertEquals(s.predictionCount(id), m.rows(), "one embedding per stored test row");
            assertEquals(384, m.cols());
        }
        Cli p = Cli.run("project", id, "--method", "pca", "--store", store, "-q", "-o", tmp.resolve("pca.csv").toString());
        assertEquals(0, p.exit(), p.err());
        assertTrue(p.out().contains("explained variance"), p.out());
        try (dev.loupe.store.RunStore s = dev.loupe.store.RunStore.open(dev.loupe.store.StoreLocation.parse(store))) {
            List<String> names = s.artifacts(id).stream().map(dev.loupe.store.Artifact::name).toList();
            assertTrue(names.containsAll(List.of("projection-pca.f32", "projection-pca.json")), names.toString());
        }
        // a classifier has no embeddings to keep; a run without embeddings has none to project
        Cli classifier = Cli.run("evaluate", "--model", EvaluateModelTest.TINY.resolve("bert-3").toString(), "--data",
                data.toString(), "--keep-embeddings", "-q", "--store", store);
        assertEquals(2, classifier.exit(), classifier.err());
        assertTrue(classifier.err().contains("--keep-embeddings"), classifier.err());
        Cli plain = Cli.run("evaluate", "--model", "minilm-q", "--data", data.toString(), "--bootstrap", "0", "-q", "--store", store);
        assertEquals(0, plain.exit(), plain.err());
        String other;
        try (dev.loupe.store.RunStore s = dev.loupe.store.RunStore.open(dev.loupe.store.StoreLocation.parse(store))) {
            other = s.listRuns(null).stream().map(dev.loupe.store.RunInfo::id).filter(x -> !x.equals(id)).findFirst().orElseThrow();
        }
        Cli none = Cli.run("project", other, "--method", "pca", "--store", store, "-q");
        assertEquals(2, none.exit(), none.err());
        assertTrue(none.err().contains("--keep-embeddings"), none.err());
    }
}
