package dev.loupe.explain;

import dev.loupe.api.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/** The explanation methods, by their command-line names. */
public enum Method {
    ATTENTION("attention"), OCCLUSION("occlusion"), SHAP("shap"), LIME("lime");

    private final String id;

    Method(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Parses names ({@code kernelshap} is an alias of {@code shap}); the error lists the known ones. */
    public static List<Method> parse(List<String> names) {
        LinkedHashSet<Method> out = new LinkedHashSet<>();
        for (String raw : names) {
            String n = raw.trim().toLowerCase(Locale.ROOT);
            if (n.equals("kernelshap")) {
                n = "shap";
            }
            Method hit = null;
            for (Method m : values()) {
                if (m.id.equals(n)) {
                    hit = m;
                }
            }
            if (hit == null) {
                throw new InvalidInputException("UNKNOWN_METHOD", "The 'method' parameter must be one of attention,"
                        + " occlusion, shap, lime (comma-separated). Got '" + raw + "' instead.");
            }
            out.add(hit);
        }
        if (out.isEmpty()) {
            throw new InvalidInputException("UNKNOWN_METHOD", "The 'method' parameter names no method: pass some of"
                    + " attention, occlusion, shap, lime.");
        }
        return new ArrayList<>(out);
    }
}
