package dev.loupe.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.api.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad model directories give exit-code-2 errors that say what is wrong and what was found. */
@Tag("native")
class ModelErrorsTest {
    @TempDir
    Path tmp;

    private static InvalidInputException open(Path dir) {
        return assertThrows(InvalidInputException.class, () -> OnnxTextClassifier.open(dir, ModelOptions.defaults()));
    }

    private Path copyOfTiny(String... files) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("model"));
        for (String f : files) {
            Files.copy(Golden.resource("tiny/bert-3/" + f), dir.resolve(f));
        }
        return dir;
    }

    @Test
    void missingDirectory() {
        var e = open(tmp.resolve("nope"));
        assertEquals("MODEL_NOT_FOUND", e.code());
        assertEquals(2, e.exitCode());
    }

    @Test
    void missingFilesAreListed() throws IOException {
        var e = open(copyOfTiny("config.json"));
        assertEquals("MODEL_FILE_MISSING", e.code());
        assertTrue(e.getMessage().contains("model.onnx, tokenizer.json"), e.getMessage());
    }

    @Test
    void corruptOnnxFile() throws IOException {
        Path dir = copyOfTiny("config.json", "tokenizer.json");
        byte[] good = Files.readAllBytes(Golden.resource("tiny/bert-3/model.onnx"));
        Files.write(dir.resolve("model.onnx"), java.util.Arrays.copyOf(good, good.length / 3));
        var e = open(dir);
        assertEquals("MODEL_CORRUPT", e.code());
        assertTrue(e.getMessage().contains("model.onnx"), e.getMessage());
    }

    @Test
    void graphWithoutTextInputsListsWhatItHas() throws IOException {
        Path dir = copyOfTiny("config.json", "tokenizer.json");
        Files.copy(Golden.resource("tiny/bad-inputs/model.onnx"), dir.resolve("model.onnx"));
        var e = open(dir);
        assertEquals("MODEL_INPUTS", e.code());
        assertTrue(e.getMessage().contains("[pixel_values]"), e.getMessage());
        assertTrue(e.getMessage().contains("input_ids and attention_mask"), e.getMessage());
    }

    @Test
    void labelCountMustMatchLogits() throws IOException {
        Path dir = copyOfTiny("model.onnx", "tokenizer.json");
        Files.writeString(dir.resolve("config.json"), "{\"id2label\": {\"0\": \"a\", \"1\": \"b\"}}");
        var e = open(dir);
        assertEquals("MODEL_LABELS", e.code());
        assertTrue(e.getMessage().contains("3 logits") && e.getMessage().contains("[a, b]"), e.getMessage());
    }

    @Test
    void maxLengthBeyondPositionEmbeddings() {
        var e = assertThrows(InvalidInputException.class, () -> OnnxTextClassifier.open(
                Golden.resource("tiny/bert-3"), ModelOptions.defaults().withMaxLength(65)));
        assertTrue(e.getMessage().contains("at most 64"), e.getMessage());
    }

    @Test
    void encoderWithoutLastHiddenStateListsTheOutputs() {
        var e = assertThrows(InvalidInputException.class,
                () -> OnnxTextEncoder.open(Golden.resource("tiny/bert-3"), ModelOptions.defaults()));
        assertEquals("MODEL_OUTPUTS", e.code());
        assertTrue(e.getMessage().contains("[logits]") && e.getMessage().contains("last_hidden_state"), e.getMessage());
    }

    @Test
    void unknownModelName() {
        var e = assertThrows(InvalidInputException.class, () -> Models.open("no-such-model", ModelOptions.defaults()));
        assertEquals("MODEL_NOT_FOUND", e.code());
        assertTrue(e.getMessage().contains("minilm, minilm-q, bge-small-q, e5-small-q"), e.getMessage());
    }
}
