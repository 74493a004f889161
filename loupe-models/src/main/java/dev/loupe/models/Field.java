package dev.loupe.models;

import java.util.List;

/** A typed input or output of a model (LIT's specs): what a component may ask of an adapter. */
public sealed interface Field permits Field.Text, Field.Probabilities, Field.Embedding, Field.Attention {

    /** A text input, tokenised to at most {@code maxLength} tokens including special tokens. */
    record Text(int maxLength) implements Field {}

    /** Class probabilities; {@code labels.get(k)} names column {@code k}. */
    record Probabilities(List<String> labels) implements Field {
        public Probabilities {
            labels = List.copyOf(labels);
        }
    }

    /** An L2-normalised sentence embedding of {@code dim} components. */
    record Embedding(int dim) implements Field {}

    /** Attention weights (not produced yet: a later issue). */
    record Attention(int layers, int heads) implements Field {}
}
