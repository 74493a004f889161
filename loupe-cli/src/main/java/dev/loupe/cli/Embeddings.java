package dev.loupe.cli;

import dev.loupe.data.datasets.LoupeHome;
import dev.loupe.data.text.TextDataset;
import dev.loupe.models.ModelOutput;
import dev.loupe.models.OnnxTextEncoder;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Encodes a data set's texts with a sentence encoder, in batches of texts of similar length (padding is to the
 * longest text of a batch, so sorting by length saves most of the padded work), and caches the embeddings per
 * (model SHA-256, data set hash, max length) under {@code $LOUPE_HOME/cache/embeddings} so re-evaluation does
 * not re-encode.
 */
final class Embeddings {
    /** Embeddings in data set order, with the tokens seen and the encoding time (0 when read from cache). */
    record Encoded(float[][] vectors, long tokens, double seconds, boolean cached) {
        double textsPerSecond() {
            return seconds == 0 ? Double.NaN : vectors.length / seconds;
        }

        double tokensPerSecond() {
            return seconds == 0 ? Double.NaN : tokens / seconds;
        }
    }

    private Embeddings() {
    }

    static Encoded encode(OnnxTextEncoder encoder, TextDataset data, int batchSize, Progress progress, long done) {
        Path cache = cacheFile(encoder, data);
        Encoded hit = read(cache, data.size(), encoder.dim());
        if (hit != null) {
            return hit;
        }
        int n = data.size();
        Integer[] order = ModelEvaluation.byLength(data.texts());
        float[][] out = new float[n][];
        long tokens = 0;
        long start = System.nanoTime();
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            List<String> texts = new ArrayList<>(to - from);
            for (int j = from; j < to; j++) {
                texts.add(data.text(order[j]));
            }
            ModelOutput o = encoder.predict(texts);
            for (int j = from; j < to; j++) {
                out[order[j]] = o.embeddingOf(j - from);
            }
            tokens += o.totalTokens();
            progress.update(done + to, done + to);
        }
        double secs = (System.nanoTime() - start) / 1e9;
        write(cache, out, tokens);
        return new Encoded(out, tokens, secs, false);
    }

    static Path cacheFile(OnnxTextEncoder encoder, TextDataset data) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((encoder.spec().sha256() + "|" + data.sha256() + "|" + encoder.tokenizer().maxLength())
                    .getBytes(StandardCharsets.UTF_8));
            String key = HexFormat.of().formatHex(md.digest()).substring(0, 32);
            return LoupeHome.cacheDir().resolve("embeddings").resolve(encoder.spec().name() + "-" + key + ".f32");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The cached embeddings, or null when absent or unreadable (a damaged cache entry is ignored and rewritten). */
    private static Encoded read(Path file, int n, int dim) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != n || in.readInt() != dim) {
                return null;
            }
            long tokens = in.readLong();
            float[][] v = new float[n][dim];
            for (float[] row : v) {
                for (int j = 0; j < dim; j++) {
                    row[j] = in.readFloat();
                }
            }
            return new Encoded(v, tokens, 0, true);
        } catch (IOException e) {
            return null;
        }
    }

    private static void write(Path file, float[][] v, long tokens) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".emb-", ".tmp");
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
                out.writeInt(v.length);
                out.writeInt(v.length == 0 ? 0 : v[0].length);
                out.writeLong(tokens);
                for (float[] row : v) {
                    for (float f : row) {
                        out.writeFloat(f);
                    }
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // the cache is an optimisation: a read-only or full disk must not fail the evaluation
            System.err.println("note: could not cache embeddings in " + file.getParent() + ": " + e.getMessage());
        }
    }
}
