package dev.loupe.explain;

import dev.loupe.api.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Explains one text with a {@link ProbabilityModel}: the probabilities of the whole text and one
 * {@link Explanation} per word-attribution method, for the class asked for or the predicted one.
 */
public final class TextExplainer {
    /** Settings: coalition budget of KernelSHAP and LIME, seed, texts per model call. */
    public record Options(int samples, long seed, int batchSize) {
        public static Options defaults() {
            return new Options(2000, 0, 64);
        }
    }

    /**
     * The explanations of one text.
     *
     * @param probabilities  the whole text's class probabilities
     * @param predicted      index of the most probable class
     * @param truncatedWords words past the model's max length (not explained)
     */
    public record Result(String text, List<String> labels, double[] probabilities, int predicted, int target,
                         List<Unit> units, int truncatedWords, List<Explanation> explanations, Attention.Maps attention,
                         Map<String, Faithfulness.Measures> faithfulness) {
    }

    private final ProbabilityModel model;
    private final Options options;
    private final Attention attention;

    /** {@code attention}: the model's patched session for {@link Method#ATTENTION}, or null when not asked for. */
    public TextExplainer(ProbabilityModel model, Options options, Attention attention) {
        this.model = model;
        this.options = options;
        this.attention = attention;
    }

    public TextExplainer(ProbabilityModel model, Options options) {
        this(model, options, null);
    }

    public Options options() {
        return options;
    }

    /** The index of {@code label} among the model's classes; the error lists them. */
    public int classIndex(String label) {
        int k = model.labels().indexOf(label);
        if (k < 0) {
            throw new InvalidInputException("LABEL_NOT_IN_MODEL", "The 'class' parameter must be one of the model's"
                    + " classes " + model.labels() + ". Got '" + label + "' instead.");
        }
        return k;
    }

    /**
     * Explains {@code text} with the word-attribution methods among {@code methods} (attention is not one of them and
     * is skipped here); {@code target} is a class index or -1 for the predicted class. {@code progress} hears the
     * number of model rows after each batch.
     */
    public Result explain(String text, List<Method> methods, int target, IntConsumer progress) {
        return explain(text, methods, target, progress, false);
    }

    /** As above; with {@code faithfulness}, each explanation's {@link Faithfulness} measures on this text too. */
    public Result explain(String text, List<Method> methods, int target, IntConsumer progress, boolean faithfulness) {
        MaskedText f = new MaskedText(model, text, options.batchSize()).onProgress(progress);
        double[] probs = f.probabilities(new boolean[][] {f.all()})[0];
        int predicted = 0;
        for (int k = 1; k < probs.length; k++) {
            if (probs[k] > probs[predicted]) {
                predicted = k;
            }
        }
        int t = target < 0 ? predicted : target;
        String label = model.labels().get(t);
        List<Explanation> out = new ArrayList<>();
        Attention.Maps maps = null;
        for (Method m : methods) {
            switch (m) {
                case OCCLUSION -> out.add(Occlusion.explain(f, f.units(), t, label));
                case SHAP -> out.add(KernelShap.explain(f, f.units(), t, label, options.samples(), options.seed()));
                case LIME -> out.add(Lime.explain(f, f.units(), t, label, options.samples(), options.seed()));
                case ATTENTION -> {
                    if (attention == null) {
                        throw new IllegalStateException("attention asked for without the model's attention session");
                    }
                    maps = attention.of(model.tokenizer(), text);
                    out.add(attentionScores(maps, f, t, label, probs[t]));
                }
            }
        }
        Map<String, Faithfulness.Measures> faith = new LinkedHashMap<>();
        if (faithfulness) {
            for (Explanation e : out) {
                faith.put(e.method(), Faithfulness.measure(f, t, e.scores(), options.seed()));
            }
        }
        return new Result(text, model.labels(), probs, predicted, t, f.units(), f.truncatedWords(), out, maps, faith);
    }

    /**
     * Attention as a word score: the rollout's row of the first token, summed over each word's tokens. It is the
     * same for every class (attention does not depend on the explained class).
     */
    static Explanation attentionScores(Attention.Maps maps, MaskedText f, int target, String label, double value) {
        double[] row = Attention.rollout(maps.maps())[0];
        int[] unitOf = f.unitOfTokens();
        double[] scores = new double[f.size()];
        for (int tok = 0; tok < unitOf.length && tok < row.length; tok++) {
            if (unitOf[tok] >= 0) {
                scores[unitOf[tok]] += row[tok];
            }
        }
        return new Explanation("attention", f.units(), target, label, scores, value, Double.NaN, 1,
                "attention rollout from the first token over " + maps.layers() + " layers × " + maps.heads()
                        + " heads, summed per word (the same for every class)");
    }

    /** Model rows one text costs with these methods (for a progress bar): an upper bound. */
    public static long plannedRows(int words, List<Method> methods, Options o) {
        long n = 2;
        for (Method m : methods) {
            n += switch (m) {
                case OCCLUSION -> words;
                case SHAP -> words <= 30 && (1L << words) <= o.samples() ? (1L << words) : o.samples();
                case LIME -> o.samples();
                case ATTENTION -> 0;
            };
        }
        return n;
    }
}
