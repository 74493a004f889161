package dev.loupe.explain;

import dev.loupe.api.InvalidInputException;
import dev.loupe.models.EncodedBatch;
import dev.loupe.models.OnnxSession;
import dev.loupe.models.TextTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Attention maps of any text model Loupe runs: the model's graph patched by {@link AttentionGraph} (once per model
 * and process: sessions are cached by the model's SHA-256), run on tokenised texts; per text the maps
 * {@code [layer][head][query][key]} over its tokens (padding cut off), with the token strings and their character
 * offsets. Derived views: {@link #rollout} and {@link #fromFirstToken}.
 */
public final class Attention {
    private static final Map<String, Attention> CACHE = new ConcurrentHashMap<>();

    /**
     * One text's attention.
     *
     * @param maps   {@code [layer][head][query][key]}, each row a probability distribution over the keys
     */
    public record Maps(String[] tokens, int[] start, int[] end, float[][][][] maps) {
        public int layers() {
            return maps.length;
        }

        public int heads() {
            return maps.length == 0 ? 0 : maps[0].length;
        }
    }

    private final OnnxSession session;
    private final List<String> outputs;

    private Attention(OnnxSession session, List<String> outputs) {
        this.session = session;
        this.outputs = outputs;
    }

    /** The patched session of a model (its ONNX bytes), made on first use and kept for the process. */
    public static Attention of(byte[] onnx, String source, String sha256, int threads) {
        return CACHE.computeIfAbsent(sha256 + "/" + threads, k -> {
            AttentionGraph.Patched p = AttentionGraph.patch(onnx, source);
            return new Attention(OnnxSession.open(p.model(), source + " (attention outputs added)", threads), p.attentionOutputs());
        });
    }

    /** Names of the attention outputs, one per layer. */
    public List<String> outputs() {
        return outputs;
    }

    public OnnxSession session() {
        return session;
    }

    /** The maps of one tokenised batch, padding removed; {@code raw} also gets the run's tensors when not null. */
    public List<float[][][][]> run(EncodedBatch batch, Map<String, OnnxSession.FloatTensor> raw) {
        Map<String, OnnxSession.FloatTensor> t = session.runAll(batch, outputs);
        if (raw != null) {
            raw.putAll(t);
        }
        List<float[][][][]> out = new ArrayList<>();
        for (int b = 0; b < batch.size(); b++) {
            int len = batch.lengths()[b];
            float[][][][] maps = new float[outputs.size()][][][];
            for (int l = 0; l < outputs.size(); l++) {
                OnnxSession.FloatTensor a = t.get(outputs.get(l));
                long[] s = a.shape();
                if (s.length != 4 || s[0] != batch.size() || s[2] != batch.seqLen() || s[3] != batch.seqLen()) {
                    throw new InvalidInputException("NO_ATTENTION", "The softmax " + outputs.get(l) + " of "
                            + session.source() + " has shape " + java.util.Arrays.toString(s) + ", not [batch, heads, "
                            + batch.seqLen() + ", " + batch.seqLen() + "]: it is not a self-attention map.");
                }
                int heads = (int) s[1];
                int n = batch.seqLen();
                maps[l] = new float[heads][len][len];
                for (int h = 0; h < heads; h++) {
                    for (int q = 0; q < len; q++) {
                        System.arraycopy(a.data(), ((b * heads + h) * n + q) * n, maps[l][h][q], 0, len);
                    }
                }
            }
            out.add(maps);
        }
        return out;
    }

    /** The maps of one text with its tokens and offsets. */
    public Maps of(TextTokenizer tokenizer, String text) {
        TextTokenizer.Tokens tk = tokenizer.tokens(text);
        int n = tk.size();
        long[] mask = new long[n];
        java.util.Arrays.fill(mask, 1);
        EncodedBatch b = new EncodedBatch(1, n, tk.ids(), mask, tk.typeIds(), new int[] {n});
        return new Maps(tk.tokens(), tk.start(), tk.end(), run(b, null).get(0));
    }

    /**
     * Attention rollout (Abnar &amp; Zuidema, 2020): per layer the heads' mean plus the identity (the residual), rows
     * renormalised, multiplied from the first layer up; {@code [query][key]}.
     */
    public static double[][] rollout(float[][][][] maps) {
        int n = maps.length == 0 ? 0 : maps[0][0].length;
        double[][] r = identity(n);
        for (float[][][] layer : maps) {
            double[][] a = new double[n][n];
            for (float[][] head : layer) {
                for (int q = 0; q < n; q++) {
                    for (int k = 0; k < n; k++) {
                        a[q][k] += head[q][k] / layer.length;
                    }
                }
            }
            for (int q = 0; q < n; q++) {
                double sum = 0;
                for (int k = 0; k < n; k++) {
                    a[q][k] = 0.5 * a[q][k] + (q == k ? 0.5 : 0);
                    sum += a[q][k];
                }
                for (int k = 0; k < n; k++) {
                    a[q][k] /= sum;
                }
            }
            double[][] next = new double[n][n];
            for (int q = 0; q < n; q++) {
                for (int m = 0; m < n; m++) {
                    double v = a[q][m];
                    if (v != 0) {
                        for (int k = 0; k < n; k++) {
                            next[q][k] += v * r[m][k];
                        }
                    }
                }
            }
            r = next;
        }
        return r;
    }

    /** Per layer, the heads' mean attention from the first token ({@code [CLS]}) to every token: {@code [layer][key]}. */
    public static double[][] fromFirstToken(float[][][][] maps) {
        double[][] out = new double[maps.length][];
        for (int l = 0; l < maps.length; l++) {
            int n = maps[l][0].length;
            out[l] = new double[n];
            for (float[][] head : maps[l]) {
                for (int k = 0; k < n; k++) {
                    out[l][k] += head[0][k] / maps[l].length;
                }
            }
        }
        return out;
    }

    private static double[][] identity(int n) {
        double[][] r = new double[n][n];
        for (int i = 0; i < n; i++) {
            r[i][i] = 1;
        }
        return r;
    }
}
