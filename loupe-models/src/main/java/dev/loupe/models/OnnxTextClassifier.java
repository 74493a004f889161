package dev.loupe.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.api.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Hugging Face sequence classifier exported to ONNX in the layout {@code optimum-cli export onnx --task
 * text-classification} writes: a directory with {@code model.onnx}, {@code tokenizer.json} and
 * {@code config.json} ({@code id2label}). Inputs are found from the graph ({@code token_type_ids} only when the
 * graph has it); the {@code logits} output goes through a softmax.
 */
public final class OnnxTextClassifier implements OnnxTextModel {
    public static final String LOGITS = "logits";

    private final TextTokenizer tokenizer;
    private final OnnxSession session;
    private final List<String> labels;
    private final ModelSpec spec;

    private OnnxTextClassifier(TextTokenizer tokenizer, OnnxSession session, List<String> labels, String name) {
        this.tokenizer = tokenizer;
        this.session = session;
        this.labels = List.copyOf(labels);
        this.spec = new ModelSpec(name, session.source(), session.sha256(), session.inputNames(),
                new Field.Text(tokenizer.maxLength()), List.of(new Field.Probabilities(labels)));
    }

    /** Opens a model directory. */
    public static OnnxTextClassifier open(Path dir, ModelOptions options) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException("MODEL_NOT_FOUND", "No model directory at " + dir
                    + ": pass a directory with model.onnx, tokenizer.json and config.json.");
        }
        Path onnx = dir.resolve("model.onnx");
        Path tok = dir.resolve("tokenizer.json");
        Path config = dir.resolve("config.json");
        List<String> missing = new ArrayList<>();
        for (Path p : List.of(onnx, tok, config)) {
            if (!Files.isRegularFile(p)) {
                missing.add(p.getFileName().toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidInputException("MODEL_FILE_MISSING", "The model directory " + dir + " lacks "
                    + String.join(", ", missing) + ": it needs model.onnx, tokenizer.json and config.json (the"
                    + " layout 'optimum-cli export onnx --task text-classification' writes).");
        }
        JsonNode cfg = readConfig(config);
        List<String> labels = labels(cfg, config);
        int maxLength = options.resolveMaxLength(modelMaxLength(cfg));
        OnnxSession session = OnnxSession.open(onnx, options.threads(), options.allowSpinning());
        try {
            long[] shape = session.requireOutput(LOGITS);
            long k = shape.length == 0 ? -1 : shape[shape.length - 1];
            if (k > 0 && k != labels.size()) {
                throw new InvalidInputException("MODEL_LABELS", "The model " + onnx + " gives " + k
                        + " logits but " + config + " names " + labels.size() + " labels " + labels + ".");
            }
            TextTokenizer tokenizer = TextTokenizer.fromFile(tok, maxLength);
            Path name = dir.toAbsolutePath().normalize().getFileName();
            return new OnnxTextClassifier(tokenizer, session, labels, name == null ? dir.toString() : name.toString());
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    static JsonNode readConfig(Path config) {
        try {
            return new ObjectMapper().readTree(config.toFile());
        } catch (IOException e) {
            throw new InvalidInputException("MODEL_CONFIG", "Cannot read " + config + " as JSON: " + e.getMessage(), e);
        }
    }

    /** Labels in class-index order from {@code id2label}; every index 0..K-1 must be present. */
    static List<String> labels(JsonNode cfg, Path where) {
        JsonNode map = cfg.path("id2label");
        if (!map.isObject() || map.isEmpty()) {
            throw new InvalidInputException("MODEL_CONFIG", where + " has no id2label: Loupe needs the class names"
                    + " in class-index order, e.g. \"id2label\": {\"0\": \"ham\", \"1\": \"spam\"}.");
        }
        String[] out = new String[map.size()];
        for (var e : map.properties()) {
            int id;
            try {
                id = Integer.parseInt(e.getKey().trim());
            } catch (NumberFormatException ex) {
                id = -1;
            }
            if (id < 0 || id >= out.length || out[id] != null) {
                throw new InvalidInputException("MODEL_CONFIG", where + ": id2label must map the ids 0.." + (out.length - 1)
                        + " once each. Got the key '" + e.getKey() + "' instead.");
            }
            out[id] = e.getValue().asText();
        }
        return List.of(out);
    }

    /** Position-embedding limit: {@code max_position_embeddings} (less RoBERTa's 2 offset positions), else 512. */
    static int modelMaxLength(JsonNode cfg) {
        int max = cfg.path("max_position_embeddings").asInt(512);
        String type = cfg.path("model_type").asText("");
        if (type.contains("roberta") || type.equals("camembert")) {
            max -= 2;
        }
        return max;
    }

    public List<String> labels() {
        return labels;
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
        int k = labels.size();
        if (texts.isEmpty()) {
            return new ModelOutput(0, new int[0], k, new double[0], 0, null);
        }
        return run(tokenizer.encode(texts));
    }

    @Override
    public synchronized ModelOutput run(EncodedBatch batch) {
        int k = labels.size();
        OnnxSession.FloatTensor logits = session.run(batch, LOGITS);
        if (logits.data().length != batch.size() * k) {
            throw new InvalidInputException("MODEL_OUTPUTS", "The model " + session.source() + " gave logits of shape "
                    + java.util.Arrays.toString(logits.shape()) + " for " + batch.size() + " texts and " + k + " labels.");
        }
        return new ModelOutput(batch.size(), batch.lengths(), k, PostProcessing.softmax(logits.data(), batch.size(), k),
                0, null);
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
