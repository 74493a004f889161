package dev.loupe.data.text;

import java.util.List;
import java.util.Map;

/**
 * What cleaning found and did — shown to the user, stored with the run. Nothing is dropped without being counted
 * here: {@code input = kept + emptyRemoved + duplicatesRemoved}.
 *
 * @param dataset           the data set's name
 * @param input             rows before cleaning
 * @param kept              rows after cleaning (the evaluation set)
 * @param empty             texts that are empty or only white space
 * @param emptyRemoved      of those, removed (all of them unless {@link CleaningOptions#removeEmpty()} is off)
 * @param emptyIds          up to {@link CleaningOptions#exampleIds()} of their ids
 * @param duplicates        rows whose text exactly equals an earlier row's text
 * @param duplicatesRemoved of those, removed (the first occurrence is always kept)
 * @param duplicateExamples up to N examples: which id repeats which earlier id's text
 * @param conflictingDuplicates duplicates whose label differs from the first occurrence's label (label noise)
 * @param maxChars          the over-long limit used
 * @param overLong          kept rows longer than {@code maxChars} characters (kept; the tokenizer truncates)
 * @param overLongIds       up to N of their ids
 * @param removedByLabel    removed rows per label (labels sorted)
 * @param keptByLabel       kept rows per label (labels sorted)
 */
public record CleaningReport(String dataset, int input, int kept,
                             int empty, int emptyRemoved, List<String> emptyIds,
                             int duplicates, int duplicatesRemoved, List<Duplicate> duplicateExamples,
                             int conflictingDuplicates,
                             int maxChars, int overLong, List<String> overLongIds,
                             Map<String, Integer> removedByLabel, Map<String, Integer> keptByLabel) {

    /** Row {@code id}'s text is exactly the text of the earlier row {@code firstId}. */
    public record Duplicate(String id, String firstId, boolean sameLabel) {
    }

    public CleaningReport {
        emptyIds = List.copyOf(emptyIds);
        duplicateExamples = List.copyOf(duplicateExamples);
        overLongIds = List.copyOf(overLongIds);
        removedByLabel = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(removedByLabel));
        keptByLabel = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(keptByLabel));
    }

    /** Rows removed from the evaluation set. */
    public int removed() {
        return input - kept;
    }

    /** A few plain lines for a terminal or a report. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(dataset).append(": ").append(input).append(" rows, ").append(kept).append(" kept for evaluation\n");
        sb.append("  empty texts:       ").append(empty).append(emptyRemoved == empty ? " (removed)" : " (kept)")
                .append(examples(emptyIds, empty)).append('\n');
        sb.append("  exact duplicates:  ").append(duplicates).append(duplicatesRemoved == duplicates ? " (removed, first kept)"
                : " (kept)");
        if (conflictingDuplicates > 0) {
            sb.append(", ").append(conflictingDuplicates).append(" with a different label than the first");
        }
        if (!duplicateExamples.isEmpty()) {
            sb.append(" e.g. ");
            for (int i = 0; i < Math.min(3, duplicateExamples.size()); i++) {
                Duplicate d = duplicateExamples.get(i);
                sb.append(i > 0 ? ", " : "").append(d.id()).append(" = ").append(d.firstId());
            }
        }
        sb.append('\n');
        sb.append("  over ").append(maxChars).append(" chars: ").append(overLong).append(" (kept; truncated by the tokenizer)")
                .append(examples(overLongIds, overLong)).append('\n');
        return sb.toString();
    }

    private static String examples(List<String> ids, int count) {
        if (ids.isEmpty()) {
            return "";
        }
        return " e.g. " + String.join(", ", ids.subList(0, Math.min(3, ids.size()))) + (count > 3 ? ", …" : "");
    }
}
