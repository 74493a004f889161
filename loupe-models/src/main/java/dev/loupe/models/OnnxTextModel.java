package dev.loupe.models;

/**
 * An adapter built from the three parts (tokenizer, ONNX session, post-processing), exposing them so that
 * tools such as {@link EfficiencyProfiler} can time the parts apart.
 */
public interface OnnxTextModel extends ModelAdapter {
    TextTokenizer tokenizer();

    OnnxSession session();

    /** Run + post on an already tokenised batch ({@link #predict} is {@code run(tokenizer().encode(texts))}). */
    ModelOutput run(EncodedBatch batch);
}
