package dev.loupe.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.api.MetricId;
import dev.loupe.api.MetricValue;
import dev.loupe.api.PredictionBatch;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link GroupFairness} against Fairlearn's gaps and per-group rates (tools/fairness/make_fairness_golden.py), to
 * 1e-9; and its bootstrap intervals against the gaps of each replicate recomputed from the rows' own Poisson draws.
 */
class FairnessGoldenTest {
    static JsonNode golden() throws IOException {
        try (InputStream in = FairnessGoldenTest.class.getResourceAsStream("/golden/fairness.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    /** The case's rows fed into one state per group (positive class 1; probability 0.9 or 0.1 of the prediction). */
    static SlicedEvaluation groups(JsonNode c, boolean weighted, EvaluationConfig cfg) {
        SlicedEvaluation groups = new SlicedEvaluation(cfg, "group");
        int n = c.get("y_true").size();
        PredictionBatch b = new PredictionBatch(2, n, weighted);
        int[] sliceOf = new int[n];
        for (int i = 0; i < n; i++) {
            int p = c.get("y_pred").get(i).asInt();
            double[] probs = p == 1 ? new double[] {0.1, 0.9} : new double[] {0.9, 0.1};
            b.add(i, c.get("y_true").get(i).asInt(), p, weighted ? c.get("weight").get(i).asDouble() : 1.0, probs, 0);
            sliceOf[i] = groups.sliceId(c.get("group").get(i).asText());
        }
        groups.update(b, sliceOf);
        return groups;
    }

    @Test
    void gapsAndRatesEqualFairlearns() throws IOException {
        int checked = 0;
        for (JsonNode c : golden().get("cases")) {
            for (String variant : List.of("unweighted", "weighted")) {
                JsonNode want = c.get(variant);
                if (want == null) {
                    continue;
                }
                String where = c.get("name").asText() + " " + variant;
                GroupFairness f = GroupFairness.of(groups(c, variant.equals("weighted"), EvaluationConfig.defaults(2, 1)
                        .withBootstrap(0, 0)).states(), 1, 0.95);
                for (String gap : GroupFairness.GAP_NAMES) {
                    JsonNode w = want.get("gaps").get(gap);
                    double got = f.gaps().get(MetricId.of(gap)).value();
                    if (w.isNull()) {
                        assertTrue(Double.isNaN(got), where + " " + gap + " undefined, got " + got);
                    } else {
                        assertEquals(w.asDouble(), got, 1e-9, where + " " + gap);
                    }
                    checked++;
                }
                assertEquals(want.get("by_group").size(), f.groups().size(), where);
                for (GroupFairness.Group g : f.groups()) {
                    JsonNode w = want.get("by_group").get(g.name());
                    assertEquals(w.get("selection_rate").asDouble(), g.selectionRate(), 1e-9, where + " " + g.name());
                    assertEquals(w.get("tpr").asDouble(), g.truePositiveRate(), 1e-9, where + " " + g.name());
                    assertEquals(w.get("fpr").asDouble(), g.falsePositiveRate(), 1e-9, where + " " + g.name());
                }
            }
        }
        assertEquals(6 * 5, checked, "every case and variant compared");
    }

    @Test
    void aGroupWithOneRowWarnsAndStillGivesGaps() throws IOException {
        JsonNode c = golden().get("cases").get(1);
        GroupFairness f = GroupFairness.of(groups(c, false, EvaluationConfig.defaults(2, 1).withBootstrap(50, 1)).states(), 1, 0.95);
        assertTrue(f.warnings().stream().anyMatch(w -> w.contains("'solo' has only 1 row")), f.warnings().toString());
        assertEquals(0.5, f.gaps().get(MetricId.of("demographic_parity_difference")).value(), 1e-12);
    }

    @Test
    void intervalsArePercentilesOfTheGapsOfEachReplicate() throws IOException {
        JsonNode c = golden().get("cases").get(0);
        EvaluationConfig cfg = EvaluationConfig.defaults(2, 1).withBootstrap(200, 7);
        SlicedEvaluation groups = groups(c, true, cfg);
        GroupFairness f = GroupFairness.of(groups.states(), 1, 0.95);
        // replicate b of the whole data, recomputed row by row from each group's replicate confusions, must equal
        // the replicate counts of a state fed all rows: the groups' resamples are one resample of the data
        EvaluationState all = new EvaluationState(SlicedEvaluation.sliceConfig(cfg)); // the groups are slices
        for (EvaluationState s : groups.states().values()) {
            all.merge(s);
        }
        double[][] whole = all.replicateConfusions();
        double[][] sum = new double[200][4];
        for (EvaluationState s : groups.states().values()) {
            double[][] r = s.replicateConfusions();
            for (int b = 0; b < 200; b++) {
                for (int j = 0; j < 4; j++) {
                    sum[b][j] += r[b][j];
                }
            }
        }
        for (int b = 0; b < 200; b++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(whole[b][j], sum[b][j], 1e-9);
            }
        }
        List<double[]> dp = new ArrayList<>();
        double[] dpd = new double[200];
        for (int b = 0; b < 200; b++) {
            dp.clear();
            for (EvaluationState s : groups.states().values()) {
                dp.add(GroupFairness.rates(s.replicateConfusions()[b], 1));
            }
            dpd[b] = GroupFairness.gaps(dp)[0];
        }
        double[] ci = Percentiles.interval(dpd, 0.95);
        MetricValue v = f.gaps().get(MetricId.of("demographic_parity_difference"));
        assertEquals(ci[0], v.ciLow(), 0);
        assertEquals(ci[1], v.ciHigh(), 0);
        assertTrue(v.ciLow() < v.value() && v.value() < v.ciHigh(), v.toString());
        assertFalse(MetricId.of("demographic_parity_difference").higherIsBetter());
        assertTrue(MetricId.of("demographic_parity_ratio").higherIsBetter());
        Map<MetricId, MetricValue> gaps = f.gaps();
        assertEquals(5, gaps.size());
    }
}
