package dev.loupe.cli;

import dev.loupe.api.PredictionBatch;
import dev.loupe.data.augment.Perturbation;
import dev.loupe.data.text.Splits;
import dev.loupe.data.text.TextDataset;
import dev.loupe.metrics.EvaluationConfig;
import dev.loupe.metrics.EvaluationResult;
import dev.loupe.metrics.EvaluationState;
import dev.loupe.metrics.SlicedEvaluation;
import dev.loupe.models.OnnxTextEncoder;
import dev.loupe.models.probe.LogisticProbe;
import dev.loupe.models.probe.ProbeConfig;
import dev.loupe.models.probe.TrainingCurves;

import java.util.List;
import java.util.Map;

/**
 * A pre-trained encoder with a logistic probe trained on its frozen embeddings: encode the train, validation
 * and test splits, train the probe (early stopping on validation loss), score the test split and evaluate it,
 * overall and per value of a metadata column.
 *
 * @param model      the encoder's short name
 * @param classes    class names, in probe order
 * @param test       the test split
 * @param probs      per test row, the probe's class probabilities
 * @param embeddings per test row, the embedding
 * @param probe      the trained probe (kept with the run: {@link ProbeArtifact})
 */
record ProbeRun(String model, String modelSha256, List<String> classes, TextDataset test, double[][] probs,
                float[][] embeddings, EvaluationResult result, Map<String, EvaluationResult> slices, String sliceColumn,
                TrainingCurves curves, Embeddings.Encoded encodedTest, double encodeSeconds, long encodeTokens,
                int encodedTexts, LogisticProbe probe) {

    static ProbeRun run(OnnxTextEncoder encoder, Splits.Split split, List<String> classes,
                        EvaluationConfig evalConfig, ProbeConfig probeConfig, String sliceColumn, int batchSize,
                        Progress progress) {
        return run(encoder, split, classes, evalConfig, probeConfig, sliceColumn, batchSize, progress, Augment.NONE);
    }

    /**
     * Data augmentation of the probe's training split: one perturbed copy of every training text per perturbation
     * (seeded by {@code seed} and the row's position, {@link Perturbation#apply}), labels kept; validation and test
     * stay clean. The curves then follow the loss of the clean rows and of the copies apart.
     */
    record Augment(List<Perturbation> perturbations, long seed) {
        static final Augment NONE = new Augment(List.of(), 0);

        static Augment parse(String spec, String option, long seed) {
            return spec == null || spec.isBlank() ? NONE : new Augment(Perturbation.parseList(spec, option), seed);
        }

        String spec() {
            return perturbations.stream().map(Perturbation::name).collect(java.util.stream.Collectors.joining(","));
        }
    }

    static ProbeRun run(OnnxTextEncoder encoder, Splits.Split split, List<String> classes,
                        EvaluationConfig evalConfig, ProbeConfig probeConfig, String sliceColumn, int batchSize,
                        Progress progress, Augment augment) {
        long done = 0;
        Embeddings.Encoded train = Embeddings.encode(encoder, split.train(), batchSize, progress, done);
        done += split.train().size();
        Embeddings.Encoded val = Embeddings.encode(encoder, split.validation(), batchSize, progress, done);
        done += split.validation().size();
        Embeddings.Encoded test = Embeddings.encode(encoder, split.test(), batchSize, progress, done);
        done += split.test().size();

        float[][] x = train.vectors();
        int[] yTrain = labels(split.train(), classes);
        java.util.Map<String, int[]> parts = java.util.Map.of();
        if (!augment.perturbations().isEmpty()) {
            int n = x.length, copies = augment.perturbations().size();
            float[][] ax = java.util.Arrays.copyOf(x, n * (1 + copies));
            int[] ay = java.util.Arrays.copyOf(yTrain, n * (1 + copies));
            for (int c = 0; c < copies; c++) {
                TextDataset copy = perturbed(split.train(), augment.perturbations().get(c), augment.seed());
                float[][] v = Embeddings.encode(encoder, copy, batchSize, progress, done).vectors();
                done += n;
                System.arraycopy(v, 0, ax, n * (1 + c), n);
                System.arraycopy(yTrain, 0, ay, n * (1 + c), n);
            }
            parts = new java.util.LinkedHashMap<>();
            parts.put("train_clean/loss", java.util.stream.IntStream.range(0, n).toArray());
            parts.put("train_augmented/loss", java.util.stream.IntStream.range(n, ax.length).toArray());
            x = ax;
            yTrain = ay;
        }
        LogisticProbe.Trained trained = LogisticProbe.train(x, yTrain,
                val.vectors(), labels(split.validation(), classes), classes.size(), probeConfig, parts);

        TextDataset t = split.test();
        int k = classes.size();
        int[] y = labels(t, classes);
        double[][] probs = new double[t.size()][];
        PredictionBatch batch = new PredictionBatch(k, t.size(), false);
        SlicedEvaluation sliced = new SlicedEvaluation(evalConfig, sliceColumn);
        int[] sliceOf = new int[t.size()];
        for (int i = 0; i < t.size(); i++) {
            probs[i] = trained.probe().predictProba(test.vectors()[i]);
            batch.add(i, y[i], PredictionBatch.argMax(probs[i], 0, k), 1.0, probs[i], 0);
            String v = sliceColumn == null ? null : t.metadata(sliceColumn, i);
            sliceOf[i] = sliced.sliceId(v == null ? "(none)" : v);
        }
        EvaluationState state = new EvaluationState(evalConfig);
        state.update(batch);
        Map<String, EvaluationResult> slices = Map.of();
        if (sliceColumn != null) {
            sliced.update(batch, sliceOf);
            slices = sliced.results(classes);
        }
        double secs = train.seconds() + val.seconds() + test.seconds();
        long tokens = (train.cached() ? 0 : train.tokens()) + (val.cached() ? 0 : val.tokens()) + (test.cached() ? 0 : test.tokens());
        int texts = train.cached() ? 0 : split.train().size();
        texts += val.cached() ? 0 : split.validation().size();
        texts += test.cached() ? 0 : t.size();
        return new ProbeRun(encoder.spec().name(), encoder.spec().sha256(), classes, t, probs, test.vectors(),
                state.result(classes), slices, sliceColumn, trained.curves(), test, secs, tokens, texts, trained.probe());
    }

    /** A copy of {@code d} with every text perturbed (the row's position is its key), labels and ids kept. */
    static TextDataset perturbed(TextDataset d, Perturbation p, long seed) {
        List<String> texts = new java.util.ArrayList<>(d.size());
        for (int i = 0; i < d.size(); i++) {
            texts.add(p.apply(d.text(i), seed, i));
        }
        return new TextDataset(d.name() + "/" + p.name(), d.ids(), texts, d.labels(), java.util.Map.of());
    }

    static int[] labels(TextDataset d, List<String> classes) {
        int[] y = new int[d.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = classes.indexOf(d.label(i));
        }
        return y;
    }

    /** Texts per second of encoding, NaN when every split came from the cache. */
    double textsPerSecond() {
        return encodeSeconds == 0 ? Double.NaN : encodedTexts / encodeSeconds;
    }

    double tokensPerSecond() {
        return encodeSeconds == 0 ? Double.NaN : encodeTokens / encodeSeconds;
    }
}
