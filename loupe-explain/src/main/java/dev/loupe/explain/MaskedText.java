package dev.loupe.explain;

import dev.loupe.api.InvalidInputException;
import dev.loupe.models.EncodedBatch;
import dev.loupe.models.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * One text as a {@link CoalitionModel}: the text is tokenised once; a removed word has every one of its tokens
 * replaced by the tokenizer's mask token (its unknown token where there is none), so every perturbation has the
 * original length and the coalitions of one text run as unpadded batches of {@code batchSize}. Words cut off by
 * truncation (no tokens) are not units. Results are memoised per coalition (an explainer asking twice for "all
 * words" runs the model once).
 */
public final class MaskedText implements CoalitionModel {
    private final ProbabilityModel model;
    private final String text;
    private final List<Unit> units;
    private final int truncatedWords;
    private final TextTokenizer.Tokens tokens;
    /** Unit index of each token, -1 for tokens that belong to no unit (special tokens). */
    private final int[] unitOf;
    private final long maskId;
    private final int batchSize;
    private final Map<String, double[]> memo = new HashMap<>();
    private IntConsumer progress = n -> { };
    private long modelRows;

    public MaskedText(ProbabilityModel model, String text, int batchSize) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("EMPTY_TEXT", "The text to explain is empty: pass the text with --text"
                    + " (or a non-empty --text-col value).");
        }
        if (batchSize < 1) {
            throw InvalidInputException.parameter("batch-size", "at least 1", batchSize);
        }
        this.model = model;
        this.text = text;
        this.batchSize = batchSize;
        TextTokenizer tok = model.tokenizer();
        this.maskId = tok.maskId();
        if (maskId < 0) {
            throw new InvalidInputException("NO_MASK_TOKEN", "The tokenizer " + tok.source() + " has neither a mask"
                    + " nor an unknown token, so words cannot be removed; add [MASK] or [UNK] to its vocabulary.");
        }
        this.tokens = tok.tokens(text);
        List<Unit> words = Words.split(text);
        int[] owner = new int[tokens.size()];
        Arrays.fill(owner, -1);
        List<Unit> kept = new ArrayList<>();
        int w = 0;
        for (int t = 0; t < tokens.size(); t++) {
            int s = tokens.start()[t];
            if (s < 0) {
                continue;
            }
            while (w < words.size() && words.get(w).end() <= s) {
                w++;
            }
            if (w < words.size() && words.get(w).start() < tokens.end()[t]) {
                Unit u = words.get(w);
                if (kept.isEmpty() || kept.get(kept.size() - 1) != u) {
                    kept.add(u);
                }
                owner[t] = kept.size() - 1;
            }
        }
        this.unitOf = owner;
        this.units = List.copyOf(kept);
        this.truncatedWords = words.size() - kept.size();
        if (units.isEmpty()) {
            throw new InvalidInputException("EMPTY_TEXT", "The text to explain has no words the model sees"
                    + " (only whitespace or nothing left after tokenisation).");
        }
    }

    /** Called with the number of rows after each model batch (progress on long work). */
    public MaskedText onProgress(IntConsumer rows) {
        this.progress = rows;
        return this;
    }

    public String text() {
        return text;
    }

    public List<Unit> units() {
        return units;
    }

    /** Words past the model's max length (no tokens), left out of the units. */
    public int truncatedWords() {
        return truncatedWords;
    }

    public TextTokenizer.Tokens tokens() {
        return tokens;
    }

    /** The unit of each token, -1 for tokens of no unit (special tokens); a copy. */
    public int[] unitOfTokens() {
        return unitOf.clone();
    }

    public List<String> labels() {
        return model.labels();
    }

    /** Rows the model actually ran (after memoisation). */
    public long modelRows() {
        return modelRows;
    }

    @Override
    public int size() {
        return units.size();
    }

    @Override
    public int numClasses() {
        return model.labels().size();
    }

    @Override
    public double[][] probabilities(boolean[][] keep) {
        double[][] out = new double[keep.length][];
        List<Integer> todo = new ArrayList<>();
        Map<String, Integer> firstOf = new HashMap<>();
        for (int i = 0; i < keep.length; i++) {
            if (keep[i].length != units.size()) {
                throw new IllegalArgumentException("coalition of " + keep[i].length + " for " + units.size() + " units");
            }
            String key = key(keep[i]);
            double[] hit = memo.get(key);
            if (hit != null) {
                out[i] = hit;
            } else if (firstOf.putIfAbsent(key, i) == null) {
                todo.add(i);
            }
        }
        int len = tokens.size();
        for (int from = 0; from < todo.size(); from += batchSize) {
            int n = Math.min(batchSize, todo.size() - from);
            long[] ids = new long[n * len];
            long[] mask = new long[n * len];
            long[] types = new long[n * len];
            int[] lengths = new int[n];
            for (int r = 0; r < n; r++) {
                boolean[] k = keep[todo.get(from + r)];
                for (int t = 0; t < len; t++) {
                    int u = unitOf[t];
                    ids[r * len + t] = u >= 0 && !k[u] ? maskId : tokens.ids()[t];
                    types[r * len + t] = tokens.typeIds()[t];
                    mask[r * len + t] = 1;
                }
                lengths[r] = len;
            }
            double[][] p = model.probabilities(new EncodedBatch(n, len, ids, mask, types, lengths));
            for (int r = 0; r < n; r++) {
                int i = todo.get(from + r);
                out[i] = p[r];
                memo.put(key(keep[i]), p[r]);
            }
            modelRows += n;
            progress.accept(n);
        }
        for (int i = 0; i < keep.length; i++) {
            if (out[i] == null) {
                out[i] = memo.get(key(keep[i]));
            }
        }
        return out;
    }

    private static String key(boolean[] k) {
        char[] c = new char[k.length];
        for (int i = 0; i < k.length; i++) {
            c[i] = k[i] ? '1' : '0';
        }
        return new String(c);
    }
}
