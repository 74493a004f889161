package dev.loupe.data.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Cleaning a user can see: empty texts and exact duplicate texts are removed from the evaluation set (the first
 * of each group of duplicates is kept) and over-long texts are kept; all three are counted, with example ids, in
 * a {@link CleaningReport}. Row order is preserved.
 */
public final class Cleaning {
    private Cleaning() {
    }

    /** The cleaned data set and what was done to get it. */
    public record Result(TextDataset dataset, CleaningReport report) {
    }

    public static Result clean(TextDataset data) {
        return clean(data, CleaningOptions.defaults());
    }

    public static Result clean(TextDataset data, CleaningOptions o) {
        int n = data.size();
        int[] keep = new int[n];
        int nk = 0;
        int empty = 0;
        int emptyRemoved = 0;
        int dups = 0;
        int dupsRemoved = 0;
        int conflicting = 0;
        int overLong = 0;
        List<String> emptyIds = new ArrayList<>();
        List<String> overIds = new ArrayList<>();
        List<CleaningReport.Duplicate> dupEx = new ArrayList<>();
        TreeMap<String, Integer> removedBy = new TreeMap<>();
        TreeMap<String, Integer> keptBy = new TreeMap<>();
        Map<String, Integer> first = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            String t = data.text(i);
            boolean remove = false;
            if (t.isBlank()) {
                empty++;
                if (emptyIds.size() < o.exampleIds()) {
                    emptyIds.add(data.id(i));
                }
                if (o.removeEmpty()) {
                    emptyRemoved++;
                    remove = true;
                }
            } else {
                Integer f = first.putIfAbsent(t, i);
                if (f != null) {
                    dups++;
                    boolean same = data.label(f).equals(data.label(i));
                    if (!same) {
                        conflicting++;
                    }
                    if (dupEx.size() < o.exampleIds()) {
                        dupEx.add(new CleaningReport.Duplicate(data.id(i), data.id(f), same));
                    }
                    if (o.removeDuplicates()) {
                        dupsRemoved++;
                        remove = true;
                    }
                }
            }
            if (remove) {
                removedBy.merge(data.label(i), 1, Integer::sum);
                continue;
            }
            keptBy.merge(data.label(i), 1, Integer::sum);
            if (t.length() > o.maxChars()) {
                overLong++;
                if (overIds.size() < o.exampleIds()) {
                    overIds.add(data.id(i));
                }
            }
            keep[nk++] = i;
        }
        TextDataset kept = nk == n ? data : data.select(java.util.Arrays.copyOf(keep, nk));
        CleaningReport r = new CleaningReport(data.name(), n, nk, empty, emptyRemoved, emptyIds, dups, dupsRemoved,
                dupEx, conflicting, o.maxChars(), overLong, overIds, removedBy, keptBy);
        return new Result(kept, r);
    }
}
