package dev.loupe.report.panels;

import dev.loupe.api.InternalException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The fast readers of stored per-example JSON agree with Jackson's on every form the store holds. */
class SamplesParseTest {
    static final List<String> CLASSES = List.of("ham", "spam");

    @Test
    void probabilityArrays() {
        assertEquals(Map.of("ham", 0.25, "spam", 0.75), SamplesPanel.probabilities("[0.25,0.75]", CLASSES));
        assertEquals(Map.of("ham", 1e-9, "spam", 1.0), SamplesPanel.probabilities(" [ 1.0E-9 , 1 ] ", CLASSES));
        Map<String, Double> withNull = new LinkedHashMap<>();
        withNull.put("ham", null);
        withNull.put("spam", 0.5);
        withNull.put("2", 0.5);
        assertEquals(withNull, SamplesPanel.probabilities("[null,0.5,0.5]", CLASSES), "extra columns are named by index");
        Map<String, Double> nan = new LinkedHashMap<>();
        nan.put("ham", null);
        nan.put("spam", 1.0);
        assertEquals(nan, SamplesPanel.probabilities("[NaN,1.0]", CLASSES), "undefined numbers are null, never 0");
        assertEquals(Map.of(), SamplesPanel.probabilities("[]", CLASSES));
        assertEquals(List.of("spam", "ham"), List.copyOf(SamplesPanel.probabilities("{\"spam\":0.9,\"ham\":0.1}", CLASSES).keySet()));
        assertThrows(InternalException.class, () -> SamplesPanel.probabilities("[0.1,oops]", CLASSES));
    }

    @Test
    void metadataObjects() {
        Map<String, Object> m = SamplesPanel.metadata("{\"source\":\"hard-ham-1\",\"n\":3,\"x\":null,\"tags\":[\"a\",1],\"o\":{\"k\":true}}");
        assertEquals(Arrays.asList("hard-ham-1", "3", "null", "[\"a\",1]", "{\"k\":true}"), List.copyOf(m.values()));
        assertEquals(Map.of(), SamplesPanel.metadata("{}"));
        assertThrows(InternalException.class, () -> SamplesPanel.metadata("[1]"));
        assertThrows(InternalException.class, () -> SamplesPanel.metadata("{\"a\":"));
    }
}
