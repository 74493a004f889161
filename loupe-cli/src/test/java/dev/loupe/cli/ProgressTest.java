package dev.loupe.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {
    @Test
    void onATerminalTheBarShowsPercentAndEtaThenEachStageWithItsRunningTime() throws Exception {
        StringWriter out = new StringWriter();
        try (Progress p = new Progress(new PrintWriter(out), "evaluating f.csv", 1_000, false, true)) {
            Thread.sleep(120);
            p.update(250, 10_000);
            p.stage("bootstrap intervals");
            Thread.sleep(600); // the ticker redraws the stage while nothing else reports
            p.stage("recording the run in the store");
        }
        String s = out.toString();
        assertTrue(s.contains("25%") && s.contains("ETA 0:0"), s);
        assertTrue(s.contains("evaluating f.csv: bootstrap intervals… 0.0 s"), s);
        assertTrue(s.matches("(?s).*bootstrap intervals… 0\\.[2-9] s.*"), "redrawn with its running time: " + s);
        assertTrue(s.contains("recording the run in the store…"), s);
        assertTrue(s.endsWith("\r"), "the line is cleared at the end");
    }

    @Test
    void quietOrNotATerminalPrintsNoStages() {
        for (boolean quietOnATerminal : new boolean[] {false, true}) { // quiet on a terminal, or not quiet but no terminal
            StringWriter out = new StringWriter();
            try (Progress p = new Progress(new PrintWriter(out), "x", 10, quietOnATerminal, quietOnATerminal)) {
                p.stage("bootstrap intervals");
            }
            assertEquals("", out.toString());
        }
    }

    @Test
    void etaClock() {
        assertEquals("0:07", Progress.clock(7.4));
        assertEquals("2:05", Progress.clock(125));
        assertEquals("1:00:01", Progress.clock(3601));
    }
}
