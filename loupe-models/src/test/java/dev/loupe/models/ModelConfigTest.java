package dev.loupe.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.api.InvalidInputException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Label mapping, max-length and option checks: no native engine involved. */
class ModelConfigTest {
    private static final Path WHERE = Path.of("config.json");

    private static JsonNode json(String s) throws Exception {
        return new ObjectMapper().readTree(s);
    }

    @Test
    void labelsFollowClassIndexNotKeyOrder() throws Exception {
        var cfg = json("{\"id2label\": {\"2\": \"c\", \"0\": \"a\", \"1\": \"b\"}}");
        assertEquals(List.of("a", "b", "c"), OnnxTextClassifier.labels(cfg, WHERE));
    }

    @Test
    void missingOrGappedId2labelIsRejected() throws Exception {
        var none = assertThrows(InvalidInputException.class, () -> OnnxTextClassifier.labels(json("{}"), WHERE));
        assertEquals("MODEL_CONFIG", none.code());
        assertTrue(none.getMessage().contains("id2label"), none.getMessage());
        var gap = assertThrows(InvalidInputException.class,
                () -> OnnxTextClassifier.labels(json("{\"id2label\": {\"0\": \"a\", \"2\": \"c\"}}"), WHERE));
        assertTrue(gap.getMessage().contains("'2'"), gap.getMessage());
        assertEquals(2, gap.exitCode());
    }

    @Test
    void maxLengthComesFromPositionEmbeddings() throws Exception {
        assertEquals(64, OnnxTextClassifier.modelMaxLength(json("{\"max_position_embeddings\": 64}")));
        assertEquals(512, OnnxTextClassifier.modelMaxLength(json("{}")));
        assertEquals(512, OnnxTextClassifier.modelMaxLength(
                json("{\"max_position_embeddings\": 514, \"model_type\": \"roberta\"}")));
    }

    @Test
    void optionsResolveAndCheckMaxLength() {
        assertEquals(512, ModelOptions.defaults().resolveMaxLength(512));
        assertEquals(128, ModelOptions.defaults().withMaxLength(128).resolveMaxLength(512));
        var tooLong = assertThrows(InvalidInputException.class,
                () -> ModelOptions.defaults().withMaxLength(1000).resolveMaxLength(512));
        assertTrue(tooLong.getMessage().contains("'max-length'") && tooLong.getMessage().contains("1000"));
        assertThrows(InvalidInputException.class, () -> new ModelOptions(-1, 0));
        assertEquals(3, ModelOptions.defaults().withThreads(3).threads());
    }

    @Test
    void bundledEncoderNamesAndErrors() {
        assertEquals(BundledEncoder.BGE_SMALL_Q, BundledEncoder.byName("bge-small-q"));
        var e = assertThrows(InvalidInputException.class, () -> BundledEncoder.byName("gpt-5"));
        assertTrue(e.getMessage().contains("minilm, minilm-q, bge-small-q, e5-small-q"), e.getMessage());
    }
}
