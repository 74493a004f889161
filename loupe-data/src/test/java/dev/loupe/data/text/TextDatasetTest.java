package dev.loupe.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.api.InvalidInputException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextDatasetTest {
    private static TextDataset abc() {
        return new TextDataset("abc", List.of("a", "b", "c"), Arrays.asList("x", null, "z"), List.of("1", "0", "1"),
                Map.of("src", Arrays.asList("web", null, "mail")));
    }

    @Test
    void columnsAndSubsets() {
        TextDataset d = abc();
        assertEquals("", d.text(1), "a null text is an empty text");
        TextDataset s = d.select(new int[] {2, 0});
        assertEquals(List.of("c", "a"), s.ids());
        assertEquals(List.of("z", "x"), s.texts());
        assertEquals(List.of("mail", "web"), s.metadataColumn("src"));
        assertEquals(Map.of("0", 1, "1", 2), d.labelCounts());
        assertEquals(Map.of("(none)", 1, "mail", 1, "web", 1), d.countsBy("src"));
        assertEquals(Map.of(), d.metadataOf(1));
        assertTrue(d.toString().contains("3 rows"), d.toString());
    }

    @Test
    void hashIdentifiesContentAndOrder() {
        assertEquals(abc().sha256(), abc().sha256());
        assertEquals(64, abc().sha256().length());
        assertNotEquals(abc().sha256(), abc().select(new int[] {1, 0, 2}).sha256());
        TextDataset other = new TextDataset("abc", List.of("a", "b", "c"), List.of("x", "", "z"), List.of("1", "0", "0"),
                Map.of("src", Arrays.asList("web", null, "mail")));
        assertNotEquals(abc().sha256(), other.sha256());
    }

    @Test
    void errors() {
        assertEquals("DUPLICATE_ID", assertThrows(InvalidInputException.class, () -> new TextDataset("d",
                List.of("a", "a"), List.of("x", "y"), List.of("1", "0"), Map.of())).code());
        assertEquals("SIZE_MISMATCH", assertThrows(InvalidInputException.class, () -> new TextDataset("d",
                List.of("a"), List.of("x", "y"), List.of("1", "0"), Map.of())).code());
        assertEquals("MISSING_VALUE", assertThrows(InvalidInputException.class, () -> new TextDataset("d",
                List.of("a"), List.of("x"), List.of(""), Map.of())).code());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> abc().metadataColumn("lang"));
        assertEquals("MISSING_METADATA_COLUMN", e.code());
        assertEquals("abc has no metadata column 'lang'. Its metadata columns: src.", e.getMessage());
        assertEquals("BAD_PARAMETER", assertThrows(InvalidInputException.class, () -> abc().select(new int[] {3})).code());
        assertEquals("BAD_PARAMETER", assertThrows(InvalidInputException.class, () -> abc().select(new int[] {0, 0})).code());
    }
}
