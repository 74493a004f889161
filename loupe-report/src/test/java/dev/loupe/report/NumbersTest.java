package dev.loupe.report;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one rounding rule: {@link Numbers#fixed} (CLI) and {@code Loupe.fmt} (dashboard, report) agree digit for digit. */
class NumbersTest {
    @TempDir
    Path dir;

    static final double[] TRICKY = {0.00015, 1.00005, 0.12345, 2.675, 0.99995, 1.23455, -0.00001, -0.00015, 0.0, -0.0, 1e-9,
            0.5, 0.94999999, 12345.678951, -3.00005, Double.NaN};

    @Test
    void roundsTheExactValueHalfAwayFromZero() {
        assertEquals("0.0001", Numbers.fixed(0.00015, 4), "0.00015 is stored as 0.000149999…");
        assertEquals("1.0001", Numbers.fixed(1.00005, 4), "1.00005 is stored as 1.0000500000000000611…");
        assertEquals("0.0000", Numbers.fixed(-0.00001, 4), "a zero has no sign");
        assertEquals("-0.0002", Numbers.fixed(-0.00015000001, 4));
        assertEquals("\u2014", Numbers.fixed(Double.NaN, 4));
        assertEquals("\u221e", Numbers.fixed(Double.POSITIVE_INFINITY, 4));
        assertEquals("0.50", Numbers.fixed(0.5, 2));
    }

    @Test
    void theDashboardRoundsLikeTheCli() throws Exception {
        Assumptions.assumeTrue(FrontEndSmokeTest.onPath("node"), "node is not installed");
        List<Double> values = new ArrayList<>();
        for (double v : TRICKY) {
            values.add(v);
        }
        Random rnd = new Random(3);
        for (int i = 0; i < 2000; i++) { // halves at the 5th decimal, where the two rules could part
            values.add((rnd.nextInt(200_000) - 100_000 + 0.5) / 10_000.0);
        }
        StringBuilder js = new StringBuilder("global.window = global; global.addEventListener = function () {};\n");
        js.append(new String(Page.scripts(PanelRegistry.standard(), List.of()).get(1).bytes(), StandardCharsets.UTF_8)).append('\n');
        js.append("const vs = [");
        for (double v : values) {
            js.append(Double.isNaN(v) ? "NaN" : Double.toString(v)).append(',');
        }
        js.append("]; process.stdout.write(vs.map(function (v) { return Loupe.fmt(v); }).join('\\n'));\n");
        Path script = Files.writeString(dir.resolve("fmt.js"), js);
        Process p = new ProcessBuilder("node", script.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        String[] shown = out.split("\n");
        assertEquals(values.size(), shown.length, out);
        for (int i = 0; i < values.size(); i++) {
            assertEquals(Numbers.fixed(values.get(i), 4), shown[i], "value " + values.get(i));
        }
    }
}
