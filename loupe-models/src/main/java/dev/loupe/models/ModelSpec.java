package dev.loupe.models;

import java.util.List;
import java.util.Optional;

/**
 * What a model takes and gives.
 *
 * @param name        a short name ({@code minilm}, or the model directory's name)
 * @param source      where it was loaded from (a path or a class-path resource)
 * @param sha256      SHA-256 of the ONNX file's bytes, hex (provenance)
 * @param graphInputs the ONNX graph's input names, in graph order
 * @param input       the text input and its max length
 * @param outputs     what {@link ModelAdapter#predict} fills in
 */
public record ModelSpec(String name, String source, String sha256, List<String> graphInputs, Field.Text input,
                        List<Field> outputs) {
    public ModelSpec {
        graphInputs = List.copyOf(graphInputs);
        outputs = List.copyOf(outputs);
    }

    public Optional<Field.Probabilities> probabilities() {
        return outputs.stream().filter(Field.Probabilities.class::isInstance).map(Field.Probabilities.class::cast)
                .findFirst();
    }

    public Optional<Field.Embedding> embedding() {
        return outputs.stream().filter(Field.Embedding.class::isInstance).map(Field.Embedding.class::cast)
                .findFirst();
    }
}
