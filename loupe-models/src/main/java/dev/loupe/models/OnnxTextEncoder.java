package dev.loupe.models;

import dev.loupe.api.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A sentence encoder: an ONNX transformer whose {@code last_hidden_state} ({@code [batch, sequence, dim]}) is
 * mean-pooled over the attention mask and L2-normalised into one embedding per text (sentence-transformers'
 * {@code mean} pooling and {@code Normalize}). Used with a probe head for classification.
 */
public final class OnnxTextEncoder implements OnnxTextModel {
    public static final String LAST_HIDDEN_STATE = "last_hidden_state";
    /**
     * {@code -Dloupe.models.copyOutput=true}: copy the output to the heap and pool from there, as before pinned
     * outputs (kept for A/B measurements, bench/models/run.sh).
     */
    static final boolean COPY_OUTPUT = Boolean.getBoolean("loupe.models.copyOutput");

    private final TextTokenizer tokenizer;
    private final OnnxSession session;
    private final int dim;
    private final ModelSpec spec;

    private OnnxTextEncoder(String name, TextTokenizer tokenizer, OnnxSession session) {
        this.tokenizer = tokenizer;
        this.session = session;
        long[] shape = session.requireOutput(LAST_HIDDEN_STATE);
        if (shape.length != 3) {
            throw new InvalidInputException("MODEL_OUTPUTS", "The model " + session.source() + " has "
                    + LAST_HIDDEN_STATE + " of rank " + shape.length + "; an encoder's is [batch, sequence, hidden].");
        }
        this.dim = (int) shape[2];
        this.spec = new ModelSpec(name, session.source(), session.sha256(), session.inputNames(),
                new Field.Text(tokenizer.maxLength()), List.of(new Field.Embedding(dim)));
    }

    /** Opens a bundled encoder from the class path. */
    public static OnnxTextEncoder open(BundledEncoder encoder, ModelOptions options) {
        return open(encoder.shortName(), encoder.onnxBytes(), encoder.tokenizerBytes(), BundledEncoder.MAX_LENGTH,
                options, "classpath:" + encoder.resource() + ".onnx");
    }

    /** Opens an encoder directory holding {@code model.onnx} and {@code tokenizer.json} (max length 512). */
    public static OnnxTextEncoder open(Path dir, ModelOptions options) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException("MODEL_NOT_FOUND", "No model directory at " + dir + ".");
        }
        int maxLength = options.resolveMaxLength(BundledEncoder.MAX_LENGTH);
        OnnxSession session = OnnxSession.open(dir.resolve("model.onnx"), options.threads(), options.allowSpinning());
        TextTokenizer tok = null;
        try {
            tok = TextTokenizer.fromFile(dir.resolve("tokenizer.json"), maxLength);
            Path name = dir.toAbsolutePath().normalize().getFileName();
            return new OnnxTextEncoder(name == null ? dir.toString() : name.toString(), tok, session);
        } catch (RuntimeException e) {
            session.close();
            if (tok != null) {
                tok.close();
            }
            throw e;
        }
    }

    /** Opens an encoder from bytes; {@code source} names it in messages. */
    public static OnnxTextEncoder open(String name, byte[] onnx, byte[] tokenizerJson, int modelMaxLength,
                                       ModelOptions options, String source) {
        int maxLength = options.resolveMaxLength(modelMaxLength);
        OnnxSession session = OnnxSession.open(onnx, source, options.threads(), options.allowSpinning());
        TextTokenizer tok = null;
        try {
            tok = TextTokenizer.fromJson(tokenizerJson, maxLength, source.replace(".onnx", "-tokenizer.json"));
            return new OnnxTextEncoder(name, tok, session);
        } catch (RuntimeException e) {
            session.close();
            if (tok != null) {
                tok.close();
            }
            throw e;
        }
    }

    public int dim() {
        return dim;
    }

    @Override
    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public OnnxSession session() {
        return session;
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public synchronized ModelOutput predict(List<String> texts) {
        if (texts.isEmpty()) {
            return new ModelOutput(0, new int[0], 0, null, dim, new float[0]);
        }
        return run(tokenizer.encode(texts));
    }

    @Override
    public synchronized ModelOutput run(EncodedBatch batch) {
        float[] emb;
        if (COPY_OUTPUT || dim <= 0) {
            OnnxSession.FloatTensor hidden = session.run(batch, LAST_HIDDEN_STATE);
            emb = PostProcessing.meanPoolNormalize(hidden.data(), batch.size(), batch.seqLen(), dim,
                    batch.attentionMask());
        } else { // ONNX Runtime writes last_hidden_state into a reused direct buffer; pooled from there
            emb = PostProcessing.meanPoolNormalize(session.runPinned(batch, LAST_HIDDEN_STATE, dim), batch.size(),
                    batch.seqLen(), dim, batch.attentionMask());
        }
        return new ModelOutput(batch.size(), batch.lengths(), 0, null, dim, emb);
    }

    @Override
    public void close() {
        try {
            session.close();
        } finally {
            tokenizer.close();
        }
    }
}
