package dev.loupe.metrics;

import dev.loupe.api.PredictionBatch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@link EvaluationState} per value of a metadata column (a slice such as {@code source=hard-ham-1}), fed
 * from the same batches as the overall state. Slice ids are positions in {@link #sliceNames()}, assigned by
 * {@link #sliceId(String)} in order of first appearance; merging matches slices by name.
 * <p>
 * A slice often holds one class only (a data source of ham), where recall of the absent class, MCC and the
 * like are 0/0. The run's default {@code zero_division=0} (scikit-learn's "warn") would show them as 0 with a
 * [0, 0] interval, a number that looks measured; so slices evaluate with {@link #sliceConfig}: every 0/0 is
 * undefined (NaN, shown as "—", left out of macro averages), with the state's warning, unless the run chose 1.
 */
public final class SlicedEvaluation implements java.io.Serializable {
    private final EvaluationConfig config;
    private final String column;
    private final Map<String, Integer> ids = new LinkedHashMap<>();
    private final List<EvaluationState> states = new ArrayList<>();
    private boolean rankingApart;

    public SlicedEvaluation(EvaluationConfig config, String column) {
        this.config = sliceConfig(config);
        this.column = column;
    }

    /**
     * The configuration a slice of a run configured with {@code run} uses: the same, except that a 0/0 label score
     * or MCC is undefined (zero division NaN) unless the run asked for 1.
     */
    public static EvaluationConfig sliceConfig(EvaluationConfig run) {
        if (run.options().zeroDivision() != 0) {
            return run;
        }
        return new EvaluationConfig(run.numClasses(), run.positive(), run.bootstrap(), run.seed(), run.level(),
                run.calibrationBins(), run.histogramBins(), run.rankingBins(), run.options().withZeroDivision(Double.NaN));
    }

    public String column() {
        return column;
    }

    /** The id of a slice value, creating the slice on first use. */
    public int sliceId(String value) {
        return ids.computeIfAbsent(value, v -> {
            EvaluationState s = new EvaluationState(config);
            states.add(rankingApart ? s.feedRankingApart() : s);
            return states.size() - 1;
        });
    }

    /** Every slice's state, now and later, {@link EvaluationState#feedRankingApart feeds its ranking apart}. */
    public SlicedEvaluation feedRankingApart() {
        rankingApart = true;
        states.forEach(EvaluationState::feedRankingApart);
        return this;
    }

    public List<String> sliceNames() {
        return List.copyOf(ids.keySet());
    }

    /** Adds row {@code i} of {@code batch} to slice {@code sliceOf[i]} for every row. */
    public void update(PredictionBatch batch, int[] sliceOf) {
        int k = batch.numClasses();
        PredictionBatch[] parts = new PredictionBatch[states.size()];
        for (int i = 0; i < batch.size(); i++) {
            int s = sliceOf[i];
            if (parts[s] == null) {
                parts[s] = new PredictionBatch(k, 64, batch.isWeighted());
            }
            parts[s].add(batch.key(i), batch.label(i), batch.pred(i), batch.weight(i), batch.probs(), i * k);
        }
        for (int s = 0; s < parts.length; s++) {
            if (parts[s] != null) {
                states.get(s).update(parts[s]);
            }
        }
    }

    public SlicedEvaluation merge(SlicedEvaluation other) {
        for (Map.Entry<String, Integer> e : other.ids.entrySet()) {
            states.get(sliceId(e.getKey())).merge(other.states.get(e.getValue()));
        }
        return this;
    }

    /** Each slice's state by value, in order of first appearance (live: not a copy; slices without rows too). */
    public Map<String, EvaluationState> states() {
        Map<String, EvaluationState> out = new LinkedHashMap<>();
        ids.forEach((v, id) -> out.put(v, states.get(id)));
        return out;
    }

    /** Results per slice value, in order of first appearance (of {@link #sliceId}); slices without rows are left out. */
    public Map<String, EvaluationResult> results(List<String> classes) {
        Map<String, EvaluationResult> out = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : ids.entrySet()) {
            if (states.get(e.getValue()).rows() == 0) {
                continue;
            }
            out.put(e.getKey(), states.get(e.getValue()).result(classes));
        }
        return out;
    }
}
