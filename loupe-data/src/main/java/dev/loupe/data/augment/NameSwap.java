package dev.loupe.data.augment;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counterfactual texts for fairness: every first name of one gender in a text is replaced by a name of the other.
 * Names on both lists (Abbe, Jean, ...) are ambiguous and left alone. The i-th female name (in the list's order,
 * ambiguous names removed) and the i-th male name swap with each other, the longer list wrapping around, so the
 * swap is deterministic and every name has a partner. A name matches a whole word with the list's capitalisation
 * ({@code Anna}, not {@code anna} or {@code Annabelle}); capitalised common words that are also names (May, Will,
 * Bill) are swapped too, which the report's examples make visible.
 */
public final class NameSwap {
    private static final Pattern WORD = Pattern.compile("\\p{L}+(?:-\\p{L}+)*");
    private final Map<String, String> partner = new HashMap<>();

    public NameSwap(List<String> female, List<String> male) {
        Set<String> f = new HashSet<>(female);
        Set<String> both = new HashSet<>(male);
        both.retainAll(f);
        List<String> fs = female.stream().filter(x -> !both.contains(x)).distinct().toList();
        List<String> ms = male.stream().filter(x -> !both.contains(x)).distinct().toList();
        if (fs.isEmpty() || ms.isEmpty()) {
            throw new IllegalArgumentException("both lists need names that are not on the other");
        }
        for (int i = 0; i < fs.size(); i++) {
            partner.put(fs.get(i), ms.get(i % ms.size()));
        }
        for (int i = 0; i < ms.size(); i++) {
            partner.putIfAbsent(ms.get(i), fs.get(i % fs.size()));
        }
    }

    /** The name a name swaps with, or null when it is not a (single-gender) name. */
    public String partnerOf(String name) {
        return partner.get(name);
    }

    /** The text with every name swapped; the same text (the same object) when it holds none. */
    public String apply(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = WORD.matcher(text);
        StringBuilder sb = null;
        int last = 0;
        while (m.find()) {
            String p = partner.get(m.group());
            if (p != null) {
                if (sb == null) {
                    sb = new StringBuilder(text.length() + 16);
                }
                sb.append(text, last, m.start()).append(p);
                last = m.end();
            }
        }
        return sb == null ? text : sb.append(text, last, text.length()).toString();
    }
}
