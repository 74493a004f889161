package dev.loupe.bench;

import java.util.List;
import java.util.Map;

/** A tiny JSON writer for the benchmark's maps, lists, numbers and strings (NaN → null). */
final class Json {
    private Json() {
    }

    static String write(Object o) {
        StringBuilder sb = new StringBuilder();
        write(sb, o, "");
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object o, String indent) {
        if (o == null) {
            sb.append("null");
        } else if (o instanceof Map<?, ?> m) {
            sb.append("{");
            String in = indent + "  ";
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(first ? "\n" : ",\n").append(in);
                first = false;
                string(sb, e.getKey().toString());
                sb.append(": ");
                write(sb, e.getValue(), in);
            }
            sb.append(first ? "}" : "\n" + indent + "}");
        } else if (o instanceof List<?> l) {
            sb.append("[");
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "" : ", ");
                write(sb, l.get(i), indent);
            }
            sb.append("]");
        } else if (o instanceof Double d) {
            sb.append(d.isNaN() || d.isInfinite() ? "null" : Double.toString(d));
        } else if (o instanceof Number || o instanceof Boolean) {
            sb.append(o);
        } else {
            string(sb, o.toString());
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
