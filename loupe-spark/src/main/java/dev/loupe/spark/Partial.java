package dev.loupe.spark;

import dev.loupe.metrics.EvaluationConfig;
import dev.loupe.metrics.EvaluationState;
import dev.loupe.metrics.SlicedEvaluation;

import java.io.Serializable;
import java.util.List;

/**
 * What one partition (then a merge of several) found: the evaluation's mergeable state, one sliced state per
 * {@code sliceBy} column, and the rows that could not be evaluated (counted; the one with the smallest position is
 * described). What {@code treeAggregate} ships from executors to the driver. In an exact binary evaluation without
 * intervals ({@link #collapsesTies}) the states' ranking parts stay empty and {@link ScoreTies} (overall and per slice)
 * hold the scores instead, one entry per distinct score: {@link #finish} hands them to the ranking states on the driver.
 */
final class Partial implements Serializable {
    final EvaluationState state;
    final SlicedEvaluation[] slices;
    long badRows;
    long firstBadRow = Long.MAX_VALUE;
    String firstBad;
    /**
     * The labels other than the positive one met in a score column without --negative-label (the smallest
     * {@link Plan#MAX_OTHERS}, so that merges in any order keep the same), from which the driver names the negative class.
     */
    final java.util.TreeSet<String> others = new java.util.TreeSet<>();
    /** The overall scores and, per slice column and slice id, the slice's; null unless {@link #collapsesTies}. */
    final ScoreTies ties;
    final ScoreTies[][] sliceTies;

    Partial(EvaluationConfig config, List<String> sliceColumns, List<List<String>> sliceValues) {
        boolean collapse = collapsesTies(config);
        state = new EvaluationState(config);
        slices = new SlicedEvaluation[sliceColumns.size()];
        ties = collapse ? new ScoreTies() : null;
        sliceTies = collapse ? new ScoreTies[slices.length][] : null;
        if (collapse) {
            state.feedRankingApart();
        }
        for (int d = 0; d < slices.length; d++) {
            slices[d] = new SlicedEvaluation(config, sliceColumns.get(d));
            if (collapse) {
                slices[d].feedRankingApart();
                sliceTies[d] = new ScoreTies[sliceValues.get(d).size()];
                for (int v = 0; v < sliceTies[d].length; v++) {
                    sliceTies[d][v] = new ScoreTies();
                }
            }
            for (String v : sliceValues.get(d)) {
                slices[d].sliceId(v); // ids in the driver's order: the projected slice columns hold these ids
            }
        }
    }

    /**
     * Whether the ranking metrics travel as {@link ScoreTies} rather than row by row: exact curves (no {@code bins}),
     * two classes, no intervals (the bootstrap draws a weight per row, keyed by its position, so it needs the rows;
     * the one-vs-one AUCs of three or more classes need them unweighted).
     */
    static boolean collapsesTies(EvaluationConfig config) {
        return config.rankingBins() == 0 && config.numClasses() == 2 && config.bootstrap() == 0;
    }

    /** A row's score for the ranking metrics (the caller skips weight 0, as they do). */
    void rank(double score, int label, int pred, double w, int[][] sliceOf, int i) {
        ties.add(score, label, pred, w);
        for (int d = 0; d < sliceTies.length; d++) {
            sliceTies[d][sliceOf[d][i]].add(score, label, pred, w);
        }
    }

    /** On the driver, once every partition is merged: the collected scores into the ranking states. */
    void finish() {
        if (ties == null) {
            return;
        }
        ties.feed(state);
        for (int d = 0; d < slices.length; d++) {
            List<EvaluationState> states = List.copyOf(slices[d].states().values());
            for (int v = 0; v < sliceTies[d].length; v++) {
                sliceTies[d][v].feed(states.get(v));
            }
        }
    }

    /** Counts a row that cannot be evaluated; keeps the description of the first (by position). */
    void bad(long row, String what) {
        badRows++;
        if (row < firstBadRow) {
            firstBadRow = row;
            firstBad = what;
        }
    }

    /** Notes a label taken for the negative class. */
    void other(String label) {
        if (others.add(label) && others.size() > Plan.MAX_OTHERS) {
            others.pollLast();
        }
    }

    Partial merge(Partial other) {
        other.others.forEach(this::other);
        if (other.badRows > 0) {
            badRows += other.badRows;
            if (other.firstBadRow < firstBadRow) {
                firstBadRow = other.firstBadRow;
                firstBad = other.firstBad;
            }
        }
        if (badRows == 0) { // once a row is bad the evaluation fails: merging the states would be wasted work
            state.merge(other.state);
            for (int d = 0; d < slices.length; d++) {
                slices[d].merge(other.slices[d]);
            }
            if (ties != null) {
                ties.merge(other.ties);
                for (int d = 0; d < sliceTies.length; d++) {
                    for (int v = 0; v < sliceTies[d].length; v++) {
                        sliceTies[d][v].merge(other.sliceTies[d][v]);
                    }
                }
            }
        }
        return this;
    }
}
