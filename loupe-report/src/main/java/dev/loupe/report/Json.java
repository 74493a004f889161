package dev.loupe.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.loupe.api.InternalException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON for view models: NaN becomes {@code null}; {@link #forScript} is safe inside an HTML {@code <script>}. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new InternalException("Cannot write view model as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * JSON text that can sit inside {@code <script type="application/json">} and inside HTML: {@code <}, {@code >},
     * {@code &}, U+2028 and U+2029 are written as {@code \u003c} etc. They can only occur inside JSON strings,
     * where the escape means the same character, so the value is unchanged.
     */
    public static String forScript(Object value) {
        return escapeForScript(write(value));
    }

    public static String escapeForScript(String json) {
        StringBuilder sb = new StringBuilder(json.length() + 64);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            switch (c) {
                case '<' -> sb.append("\\u003c");
                case '>' -> sb.append("\\u003e");
                case '&' -> sb.append("\\u0026");
                case '\u2028' -> sb.append("\\u2028");
                case '\u2029' -> sb.append("\\u2029");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A number for JSON: {@code null} when NaN or infinite (undefined numbers are null, never 0). */
    public static Double num(double v) {
        return Double.isFinite(v) ? v : null;
    }

    public static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InternalException("Stored JSON is not valid: " + e.getOriginalMessage(), e);
        }
    }

    /** An insertion-ordered map from alternating keys and values. */
    public static Map<String, Object> obj(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Numbers of a JSON array (null for JSON null or non-numbers); empty for a missing node. */
    public static List<Double> doubles(JsonNode array) {
        List<Double> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            for (JsonNode n : array) {
                out.add(n.isNumber() ? n.asDouble() : null);
            }
        }
        return out;
    }

    /** At most {@code max} evenly spaced indices of {@code n} (first and last kept). */
    public static int[] thin(int n, int max) {
        if (n <= max) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] idx = new int[max];
        for (int i = 0; i < max; i++) {
            idx[i] = (int) Math.round((double) i * (n - 1) / (max - 1));
        }
        return idx;
    }

    public static <T> List<T> pick(List<T> values, int[] idx) {
        List<T> out = new ArrayList<>(idx.length);
        for (int i : idx) {
            if (i < values.size()) {
                out.add(values.get(i));
            }
        }
        return out;
    }
}
