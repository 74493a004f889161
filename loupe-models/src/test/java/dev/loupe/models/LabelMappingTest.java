package dev.loupe.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.PredictionBatch;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelMappingTest {

    @Test
    void mapsByNameAndByDefaultHuggingFaceNames() {
        assertArrayEquals(new int[] {1, 0, 1}, new LabelMapping(List.of("ham", "spam")).map(List.of("spam", "ham", "spam")));
        assertArrayEquals(new int[] {2, 0}, new LabelMapping(List.of("LABEL_0", "LABEL_1", "LABEL_2")).map(List.of("2", "0")));
    }

    @Test
    void unknownLabelsAreListedWithTheModelsLabels() {
        var e = assertThrows(InvalidInputException.class,
                () -> new LabelMapping(List.of("ham", "spam")).map(List.of("spam", "Spam", "junk", "junk")));
        assertEquals("LABEL_NOT_IN_MODEL", e.code());
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("[Spam, junk]") && e.getMessage().contains("[ham, spam]"), e.getMessage());
    }

    @Test
    void appendsModelOutputToAPredictionBatch() {
        ModelOutput out = new ModelOutput(2, new int[] {3, 4}, 2, new double[] {0.9, 0.1, 0.3, 0.7}, 0, null);
        PredictionBatch batch = new PredictionBatch(2, 4, false);
        LabelMapping.appendTo(batch, out, new int[] {9, 0, 1}, 1, 100);
        assertEquals(2, batch.size());
        assertEquals(100, batch.key(0));
        assertEquals(101, batch.key(1));
        assertEquals(0, batch.pred(0));
        assertEquals(1, batch.pred(1));
        assertEquals(1, batch.label(1));
        assertEquals(0.7, batch.prob(1, 1));
    }
}
