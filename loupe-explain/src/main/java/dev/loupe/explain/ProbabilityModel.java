package dev.loupe.explain;

import dev.loupe.models.EncodedBatch;
import dev.loupe.models.ModelOutput;
import dev.loupe.models.OnnxTextClassifier;
import dev.loupe.models.OnnxTextEncoder;
import dev.loupe.models.TextTokenizer;
import dev.loupe.models.probe.LogisticProbe;
import dev.loupe.api.InvalidInputException;
import java.util.List;

/**
 * What an explainer runs: a tokenizer and class probabilities of already tokenised batches. Either an ONNX
 * classifier (softmax of its logits) or a bundled encoder with a logistic probe on its pooled embeddings.
 */
public interface ProbabilityModel {
    List<String> labels();

    TextTokenizer tokenizer();

    /** Class probabilities, {@code [batch.size()][labels().size()]}. */
    double[][] probabilities(EncodedBatch batch);

    /** A Hugging Face sequence classifier. */
    static ProbabilityModel classifier(OnnxTextClassifier model) {
        return new ProbabilityModel() {
            @Override
            public List<String> labels() {
                return model.labels();
            }

            @Override
            public TextTokenizer tokenizer() {
                return model.tokenizer();
            }

            @Override
            public double[][] probabilities(EncodedBatch batch) {
                ModelOutput out = model.run(batch);
                double[][] p = new double[out.size()][];
                for (int i = 0; i < p.length; i++) {
                    p[i] = out.probabilitiesOf(i);
                }
                return p;
            }
        };
    }

    /** An encoder and a probe trained on its embeddings; {@code labels} in the probe's class order. */
    static ProbabilityModel probe(OnnxTextEncoder encoder, LogisticProbe probe, List<String> labels) {
        if (probe.dimension() != encoder.dim()) {
            throw new InvalidInputException("PROBE_MISMATCH", "The probe takes " + probe.dimension()
                    + "-dimensional embeddings but the encoder " + encoder.spec().name() + " gives " + encoder.dim()
                    + ": explain with the encoder the probe was trained on.");
        }
        if (probe.numClasses() != labels.size()) {
            throw new InvalidInputException("PROBE_MISMATCH", "The probe has " + probe.numClasses()
                    + " classes but " + labels.size() + " labels " + labels + ".");
        }
        List<String> names = List.copyOf(labels);
        return new ProbabilityModel() {
            @Override
            public List<String> labels() {
                return names;
            }

            @Override
            public TextTokenizer tokenizer() {
                return encoder.tokenizer();
            }

            @Override
            public double[][] probabilities(EncodedBatch batch) {
                ModelOutput out = encoder.run(batch);
                double[][] p = new double[out.size()][];
                for (int i = 0; i < p.length; i++) {
                    p[i] = probe.predictProba(out.embeddingOf(i));
                }
                return p;
            }
        };
    }
}
