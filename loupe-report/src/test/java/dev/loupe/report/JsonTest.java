package dev.loupe.report;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class JsonTest {
    @Test
    void scriptJsonEscapesMarkupAndSeparatorsButKeepsTheValue() {
        String hostile = "</script><script>x=1</script>&<!-- \u2028\u2029";
        String s = Json.forScript(Map.of("t", hostile));
        for (String bad : List.of("<", ">", "&", "\u2028", "\u2029")) {
            assertFalse(s.contains(bad), bad);
        }
        assertEquals(hostile, Json.parse(s).get("t").asText());
    }

    @Test
    void nanIsNull() {
        assertNull(Json.num(Double.NaN));
        assertNull(Json.num(Double.POSITIVE_INFINITY));
        assertEquals("{\"a\":null}", Json.write(Json.obj("a", Json.num(Double.NaN))));
    }

    @Test
    void thinKeepsEndsAndBound() {
        assertArrayEquals(new int[] {0, 1, 2}, Json.thin(3, 10));
        int[] t = Json.thin(5000, 1000);
        assertEquals(1000, t.length);
        assertEquals(0, t[0]);
        assertEquals(4999, t[999]);
    }

    @Test
    void htmlEscape() {
        assertEquals("&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;", Page.html("<a href=\"x\" onclick='y'>&"));
    }
}
