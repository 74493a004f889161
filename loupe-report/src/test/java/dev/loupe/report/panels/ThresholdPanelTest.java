package dev.loupe.report.panels;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The threshold explorer keeps, through thinning, the sweep point where the run's own threshold puts it. */
class ThresholdPanelTest {
    @Test
    void theRunsThresholdPointSurvivesThinning() {
        List<Double> thresholds = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            thresholds.add(1 - i / 5000.0); // decreasing: 1, 0.9998, ...
        }
        int at = ThresholdPanel.atOrAbove(thresholds, 0.5);
        assertEquals(2500, at);
        assertEquals(-1, ThresholdPanel.atOrAbove(thresholds, 1.5));
        int[] thinned = dev.loupe.report.Json.thin(5000, 1000);
        assertEquals(-1, java.util.Arrays.binarySearch(thinned, at) >= 0 ? 0 : -1, "thinning alone drops it here");
        int[] kept = ThresholdPanel.keep(thinned, at);
        assertEquals(1001, kept.length);
        for (int i = 1; i < kept.length; i++) {
            assertEquals(true, kept[i] > kept[i - 1], "still increasing at " + i);
        }
        assertEquals(true, java.util.Arrays.binarySearch(kept, at) >= 0);
        assertArrayEquals(thinned, ThresholdPanel.keep(thinned, 0), "an index already kept changes nothing");
        assertArrayEquals(thinned, ThresholdPanel.keep(thinned, -1));
    }
}
