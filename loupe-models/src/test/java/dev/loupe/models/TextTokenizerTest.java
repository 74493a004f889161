package dev.loupe.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.api.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pre step alone (the Rust tokenizers library through DJL, no ONNX Runtime). The tiny tokenizer.json
 * hard-wires padding and truncation to 64: Loupe must override both.
 */
class TextTokenizerTest {
    private static final String TOKENIZER = "tiny/bert-3/tokenizer.json";
    private static TextTokenizer tok48;

    @BeforeAll
    static void open() {
        tok48 = TextTokenizer.fromFile(Golden.resource(TOKENIZER), 48);
    }

    @AfterAll
    static void close() {
        tok48.close();
    }

    @Test
    void idsEqualPythonTokenizers() {
        var golden = Golden.json("tiny/bert-3/golden.json");
        assertEquals(48, golden.path("max_length").asInt());
        List<String> texts = Golden.texts(golden);
        long[][] ids = tok48.ids(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(Golden.longs(golden.path("ids").get(i)), ids[i], "text " + i + ": " + texts.get(i));
        }
    }

    @Test
    void padsToTheLongestOfTheBatchOnly() {
        EncodedBatch b = tok48.encode(List.of("hello", "hello world money"));
        assertEquals(5, b.seqLen(), "[CLS] hello world money [SEP]");
        assertArrayEquals(new int[] {3, 5}, b.lengths());
        assertArrayEquals(new long[] {2, tokId("hello"), 3, 0, 0}, java.util.Arrays.copyOfRange(b.inputIds(), 0, 5));
        assertArrayEquals(new long[] {1, 1, 1, 0, 0}, java.util.Arrays.copyOfRange(b.attentionMask(), 0, 5));
        assertArrayEquals(new long[] {1, 1, 1, 1, 1}, java.util.Arrays.copyOfRange(b.attentionMask(), 5, 10));
    }

    private static long tokId(String word) {
        return tok48.ids(List.of(word))[0][1];
    }

    @Test
    void truncationKeepsSpecialTokens() {
        try (TextTokenizer t = TextTokenizer.fromFile(Golden.resource(TOKENIZER), 6)) {
            long[] ids = t.ids(List.of("one two three four five six seven eight"))[0];
            assertEquals(6, ids.length);
            assertEquals(2, ids[0], "[CLS]");
            assertEquals(3, ids[5], "[SEP]");
        }
    }

    @Test
    void overridesTheFilesHardWiredTruncation() {
        String longText = String.join(" ", Collections.nCopies(150, "money"));
        try (TextTokenizer t = TextTokenizer.fromFile(Golden.resource(TOKENIZER), 100)) {
            assertEquals(100, t.ids(List.of(longText))[0].length, "the file says 64, Loupe says 100");
            assertEquals(3, t.ids(List.of("money"))[0].length, "no padding to the file's 64");
        }
    }

    @Test
    void emptyBatchAndEmptyText() {
        assertEquals(0, tok48.encode(List.of()).size());
        assertArrayEquals(new long[] {2, 3}, tok48.ids(List.of(""))[0]);
    }

    @Test
    void invalidTokenizerJsonIsAnInputError() {
        var e = assertThrows(InvalidInputException.class,
                () -> TextTokenizer.fromJson("{not json".getBytes(StandardCharsets.UTF_8), 16, "bad.json"));
        assertEquals("TOKENIZER_INVALID", e.code());
        assertTrue(e.getMessage().contains("bad.json"));
    }

    @Test
    void parallelChunksGiveTheSameIdsAsOneByOne() {
        var golden = Golden.json("tiny/bert-3/golden.json");
        List<String> texts = new java.util.ArrayList<>();
        for (int r = 0; r < 5; r++) {
            texts.addAll(Golden.texts(golden)); // 150 texts: several chunks of at least MIN_CHUNK
        }
        EncodedBatch b = tok48.encode(texts);
        long[] ids = java.util.Arrays.copyOf(b.inputIds(), b.elements());
        int seqLen = b.seqLen();
        assertEquals(48, seqLen);
        for (int i = 0; i < texts.size(); i++) {
            long[] alone = tok48.ids(List.of(texts.get(i)))[0];
            assertArrayEquals(alone, java.util.Arrays.copyOfRange(ids, i * seqLen, i * seqLen + alone.length), "row " + i);
        }
    }
}
