package dev.loupe.models;

import dev.loupe.api.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens what a user names with {@code --model}: a bundled encoder's short name or a model directory. */
public final class Models {
    private Models() {}

    /**
     * A short name ({@code minilm}, {@code minilm-q}, {@code bge-small-q}, {@code e5-small-q}) opens a bundled
     * encoder; a directory with {@code config.json} opens a classifier, one without opens an encoder.
     */
    public static ModelAdapter open(String model, ModelOptions options) {
        if (BundledEncoder.isShortName(model)) {
            return OnnxTextEncoder.open(BundledEncoder.byName(model), options);
        }
        Path dir = Path.of(model);
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException("MODEL_NOT_FOUND", "No model '" + model + "': pass a model directory"
                    + " (model.onnx, tokenizer.json, config.json) or one of minilm, minilm-q, bge-small-q, e5-small-q.");
        }
        return Files.isRegularFile(dir.resolve("config.json")) ? OnnxTextClassifier.open(dir, options)
                : OnnxTextEncoder.open(dir, options);
    }
}
