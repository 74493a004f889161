package dev.loupe.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What every {@link ModelAdapter} promises, written once (GUIDE example 11). */
@Tag("native")
class ModelAdapterContractTest {
    private static final List<String> TEXTS = List.of("free money now", "", "Meeting at 3pm 😀 日本",
            String.join(" ", Collections.nCopies(400, "word")));

    static Stream<Arguments> adapters() {
        ModelOptions opts = ModelOptions.defaults().withThreads(2);
        return Stream.of(
                Arguments.of(Named.of("tiny bert-3", (Supplier<ModelAdapter>) () ->
                        Models.open(Golden.resource("tiny/bert-3").toString(), opts))),
                Arguments.of(Named.of("tiny distilbert-2", (Supplier<ModelAdapter>) () ->
                        Models.open(Golden.resource("tiny/distilbert-2").toString(), opts))),
                Arguments.of(Named.of("minilm-q", (Supplier<ModelAdapter>) () ->
                        Models.open("minilm-q", opts.withMaxLength(64)))));
    }

    @ParameterizedTest
    @MethodSource("adapters")
    void outputMatchesSpec(Supplier<ModelAdapter> open) {
        try (ModelAdapter model = open.get()) {
            ModelSpec spec = model.spec();
            ModelOutput out = model.predict(TEXTS);
            assertEquals(TEXTS.size(), out.size());
            assertEquals(TEXTS.size(), out.tokenCounts().length);
            for (int c : out.tokenCounts()) {
                assertTrue(c >= 2 && c <= spec.input().maxLength(), "token count " + c);
            }
            assertEquals(spec.input().maxLength(), out.tokenCounts()[3], "the long text is truncated to max length");
            assertTrue(spec.graphInputs().containsAll(List.of("input_ids", "attention_mask")));
            assertEquals(64, spec.sha256().length());
            spec.probabilities().ifPresentOrElse(p -> {
                assertEquals(p.labels().size(), out.numLabels());
                assertNotNull(out.probabilities());
                for (int i = 0; i < out.size(); i++) {
                    double sum = 0;
                    for (double v : out.probabilitiesOf(i)) {
                        assertTrue(v >= 0 && v <= 1);
                        sum += v;
                    }
                    assertEquals(1.0, sum, 1e-9);
                }
            }, () -> assertNull(out.probabilities()));
            spec.embedding().ifPresentOrElse(e -> {
                assertEquals(e.dim(), out.embeddingDim());
                assertEquals(out.size() * e.dim(), out.embeddings().length);
            }, () -> assertNull(out.embeddings()));
        }
    }

    @ParameterizedTest
    @MethodSource("adapters")
    void deterministicAndEmptyBatch(Supplier<ModelAdapter> open) {
        try (ModelAdapter model = open.get()) {
            ModelOutput a = model.predict(TEXTS);
            ModelOutput b = model.predict(TEXTS);
            assertArrayEquals(a.probabilities(), b.probabilities());
            assertArrayEquals(a.embeddings(), b.embeddings());
            ModelOutput empty = model.predict(List.of());
            assertEquals(0, empty.size());
            assertEquals(0, empty.tokenCounts().length);
        }
    }
}
