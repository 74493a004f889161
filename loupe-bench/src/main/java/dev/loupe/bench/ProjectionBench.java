package dev.loupe.bench;

import dev.loupe.data.datasets.SpamAssassin;
import dev.loupe.data.text.Cleaning;
import dev.loupe.data.text.TextDataset;
import dev.loupe.data.vectors.VectorFile;
import dev.loupe.models.BundledEncoder;
import dev.loupe.models.ModelOptions;
import dev.loupe.models.ModelOutput;
import dev.loupe.models.OnnxTextEncoder;
import dev.loupe.projection.Pca;
import dev.loupe.projection.Points;
import dev.loupe.projection.ProjectionListener;
import dev.loupe.projection.Quality;
import dev.loupe.projection.Tsne;
import dev.loupe.projection.Umap;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The projection benchmark's Java side (bench/projection.sh runs it beside scikit-learn, Rtsne and umap-learn).
 * <ul>
 *   <li>{@code embed DIR N}: the SpamAssassin corpus cut into paragraphs (≥ 40 characters, distinct, in corpus order),
 *   the first N encoded with minilm-q (max length 128): {@code DIR/emb.npy} (float32) and {@code DIR/labels.txt}.</li>
 *   <li>{@code run DIR tsne|tsne-bh|tsne-fft|umap|pca [copies]} (tsne: the automatic choice of gradient; tsne-bh,
 *   tsne-fft: Barnes-Hut or FFT interpolation forced): the method twice in one JVM (first and warm call), wall and process CPU
 *   seconds, trustworthiness (k = 10) over a 2,000-point sample; coordinates to {@code DIR/java-METHOD.csv}. With
 *   {@code copies} &gt; 1 the embeddings are replicated with Gaussian noise (half the median nearest-neighbour
 *   distance) to copies × N rows, run once.</li>
 * </ul>
 */
public final class ProjectionBench {
    private ProjectionBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        Files.createDirectories(dir);
        if (args[0].equals("embed")) {
            embed(dir, Integer.parseInt(args[2]));
        } else {
            run(dir, args[2], args.length > 3 ? Integer.parseInt(args[3]) : 1);
        }
    }

    static void embed(Path dir, int n) throws IOException {
        TextDataset all = Cleaning.clean(SpamAssassin.load().dataset()).dataset();
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        List<String> texts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < all.size() && texts.size() < n; i++) {
            for (String p : all.text(i).split("\\n\\s*\\n")) {
                String t = p.strip().replaceAll("\\s+", " ");
                if (t.length() >= 40 && seen.add(t) && texts.size() < n) {
                    texts.add(t);
                    labels.add(all.label(i));
                }
            }
        }
        int d;
        float[] out;
        long t0 = System.nanoTime();
        try (OnnxTextEncoder enc = OnnxTextEncoder.open(BundledEncoder.byName("minilm-q"), ModelOptions.defaults().withMaxLength(128))) {
            d = enc.dim();
            out = new float[texts.size() * d];
            // batches of similar length (padding is to the longest text of a batch)
            Integer[] order = new Integer[texts.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> texts.get(i).length()));
            for (int from = 0; from < texts.size(); from += 32) {
                List<String> batch = new ArrayList<>();
                for (int j = from; j < Math.min(texts.size(), from + 32); j++) {
                    batch.add(texts.get(order[j]));
                }
                ModelOutput o = enc.predict(batch);
                for (int j = 0; j < batch.size(); j++) {
                    System.arraycopy(o.embeddingOf(j), 0, out, order[from + j] * d, d);
                }
                if (from % 1024 == 0) {
                    System.err.printf(Locale.ROOT, "encoded %d / %d%n", from, texts.size());
                }
            }
        }
        System.err.printf(Locale.ROOT, "encoded %d paragraphs in %.0f s%n", texts.size(), (System.nanoTime() - t0) / 1e9);
        writeNpy(dir.resolve("emb.npy"), out, texts.size(), d);
        Files.write(dir.resolve("labels.txt"), labels, StandardCharsets.UTF_8);
    }

    static void writeNpy(Path file, float[] data, int n, int d) throws IOException {
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + n + ", " + d + "), }";
        int total = 10 + header.length() + 1;
        header += " ".repeat((64 - total % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0)
                .putShort((short) header.length()).put(header.getBytes(StandardCharsets.ISO_8859_1));
        b.asFloatBuffer().put(data);
        Files.write(file, b.array());
    }

    static double cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    static void run(Path dir, String method, int copies) throws IOException {
        VectorFile.Vectors v = VectorFile.read(dir.resolve("emb.npy"), null);
        Points p = Points.of(v.n(), v.d(), v.f());
        if (copies > 1) {
            p = replicate(p, copies);
        }
        int calls = copies > 1 ? 1 : 2;
        double[] coords = null;
        for (int call = 1; call <= calls; call++) {
            long t0 = System.nanoTime();
            double c0 = cpu();
            String extra = "";
            switch (method) {
                case "tsne", "tsne-bh", "tsne-fft" -> {
                    Tsne.Gradient gradient = switch (method) {
                        case "tsne-bh" -> Tsne.Gradient.BARNES_HUT;
                        case "tsne-fft" -> Tsne.Gradient.FFT;
                        default -> Tsne.Gradient.AUTO;
                    };
                    Tsne.Result r = Tsne.run(p, Tsne.Options.defaults().withGradient(gradient), copies > 1 ? progress(t0, c0) : ProjectionListener.NONE);
                    coords = r.coords();
                    extra = String.format(Locale.ROOT, " (knn %.1f s, affinities %.1f s, init %.1f s, optimise %.1f s; KL %.3f)",
                            r.knnSeconds(), r.affinitySeconds(), r.initSeconds(), r.optimizeSeconds(), r.klDivergence());
                }
                case "umap" -> {
                    Umap.Result r = Umap.run(p, Umap.Options.defaults(), ProjectionListener.NONE);
                    coords = r.coords();
                    extra = String.format(Locale.ROOT, " (knn %.1f s, graph %.1f s, init %.1f s, optimise %.1f s)",
                            r.knnSeconds(), r.graphSeconds(), r.initSeconds(), r.optimizeSeconds());
                }
                default -> coords = Pca.fit(p, 2, 0, 0).coords();
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = cpu() - c0;
            Runtime rt = Runtime.getRuntime();
            System.out.printf(Locale.ROOT, "java %s n=%d call %d: wall %.1f s, cpu %.1f s, heap used %.0f MB%s%n", method, p.n(),
                    call, wall, cpu, (rt.totalMemory() - rt.freeMemory()) / 1e6, extra);
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double c : coords) {
            lo = Math.min(lo, c);
            hi = Math.max(hi, c);
        }
        System.out.printf(Locale.ROOT, "java %s n=%d coordinates span [%.1f, %.1f]%n", method, p.n(), lo, hi);
        double t = Quality.trustworthiness(p, Points.plane(coords), 10, Quality.sample(p.n(), 2000, 1), 0);
        System.out.printf(Locale.ROOT, "java %s n=%d trustworthiness (2,000 sampled points) %.4f%n", method, p.n(), t);
        if (copies == 1) {
            StringBuilder sb = new StringBuilder("x,y\n");
            for (int i = 0; i < coords.length; i += 2) {
                sb.append((float) coords[i]).append(',').append((float) coords[i + 1]).append('\n');
            }
            Files.writeString(dir.resolve("java-" + method + ".csv"), sb.toString());
        }
    }

    /** Stages and every 50th iteration (KL) with wall and CPU seconds since the start: where a long run spends its time. */
    static ProjectionListener progress(long t0, double c0) {
        return new ProjectionListener() {
            @Override
            public void stage(String name) {
                System.out.printf(Locale.ROOT, "  %s at wall %.1f s, cpu %.1f s%n", name, (System.nanoTime() - t0) / 1e9, cpu() - c0);
            }

            @Override
            public void step(int done, int total, double loss) {
                if (!Double.isNaN(loss)) {
                    System.out.printf(Locale.ROOT, "  iteration %d/%d KL %.3f at wall %.1f s, cpu %.1f s%n", done, total, loss,
                            (System.nanoTime() - t0) / 1e9, cpu() - c0);
                }
            }
        };
    }

    static Points replicate(Points p, int copies) {
        int n = p.n();
        int d = p.d();
        // typical nearest-neighbour distance on a sample
        Random r = new Random(1);
        double[] nn = new double[200];
        for (int s = 0; s < nn.length; s++) {
            int i = r.nextInt(n);
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    best = Math.min(best, p.dist2(i, j));
                }
            }
            nn[s] = Math.sqrt(best);
        }
        java.util.Arrays.sort(nn);
        double sigma = nn[nn.length / 2] / 2 / Math.sqrt(d);
        float[] out = new float[n * copies * d];
        for (int c = 0; c < copies; c++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    out[(c * n + i) * d + j] = (float) (p.get(i, j) + (c == 0 ? 0 : sigma * r.nextGaussian()));
                }
            }
        }
        return Points.of(n * copies, d, out);
    }
}
