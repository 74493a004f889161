package dev.loupe.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SvgPlotTest {
    @TempDir
    static Path dir;
    static Fixtures.Store fx;
    static RunData run;

    @BeforeAll
    static void setUp() {
        fx = Fixtures.create(dir);
        run = RunData.load(fx.store(), fx.fullRun());
    }

    @AfterAll
    static void tearDown() {
        fx.store().close();
    }

    static Document parse(String svg) throws Exception {
        var f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"roc", "pr", "det", "confusion", "calibration", "scores", "curves"})
    void wellFormedSvgWithEscapedText(String chart) throws Exception {
        String svg = SvgPlot.render(chart, run, PanelRegistry.standard());
        Document doc = parse(svg);
        assertEquals("svg", doc.getDocumentElement().getTagName());
        assertFalse(svg.contains("<i>"), "the run name is escaped");
        assertTrue(svg.contains("&lt;i&gt;x&lt;/i&gt;"));
    }

    @Test
    void rocHasTheCurveAndLegend() throws Exception {
        String svg = SvgPlot.render("roc", run, PanelRegistry.standard());
        assertTrue(svg.contains("spam — AUC 0.9700 [0.9600, 0.9800]"));
        Document doc = parse(svg);
        // chance diagonal + one curve of at most 1000 points
        assertEquals(2, doc.getElementsByTagName("polyline").getLength());
        String pts = doc.getElementsByTagName("polyline").item(1).getAttributes().getNamedItem("points").getNodeValue();
        assertEquals(RunData.MAX_POINTS, pts.split(" ").length);
        assertTrue(pts.startsWith("64.00,402.00"), "(0,0) at the plot's lower left (the legend is below it): " + pts.substring(0, 20));
    }

    @Test
    void confusionCellsAndCounts() throws Exception {
        String svg = SvgPlot.render("confusion", run, PanelRegistry.standard());
        assertTrue(svg.contains(">30</text>") && svg.contains(">10</text>") && svg.contains(">20</text>"));
        assertEquals(4 + 1, parse(svg).getElementsByTagName("rect").getLength(), "background + 4 cells");
        assertEquals("#ffffff", SvgPlot.mix(0));
        assertEquals("#0072b2", SvgPlot.mix(1));
    }

    @Test
    void unknownOrInactiveChart() {
        assertThrows(dev.loupe.api.InvalidInputException.class, () -> SvgPlot.render("pie", run, PanelRegistry.standard()));
        RunData bare = RunData.load(fx.store(), fx.bareRun());
        var e = assertThrows(dev.loupe.api.NotFoundException.class, () -> SvgPlot.render("roc", bare, PanelRegistry.standard()));
        assertTrue(e.getMessage().contains("ROC"));
    }

    @Test
    void scoresBarsAndTrainingCurvePoints() throws Exception {
        Document scores = parse(SvgPlot.render("scores", run, PanelRegistry.standard()));
        assertEquals(1 + 1 + 2 * 4 + 2, scores.getElementsByTagName("rect").getLength(), "background + frame + 2 classes x 4 bins + 2 legend keys");
        JsonNode series = Json.parse(Json.write(PanelRegistry.standard().panel("curves").viewModel(run))).get("series");
        Document curves = parse(SvgPlot.render("curves", run, PanelRegistry.standard()));
        // one small chart per series, titled by its name (a loss and an accuracy never share an axis)
        assertEquals(series.size(), curves.getElementsByTagName("polyline").getLength());
        assertEquals(series.size() + 1, curves.getElementsByTagName("rect").getLength(), "background + one frame per chart");
        String svgText = curves.getDocumentElement().getTextContent();
        series.forEach(s -> assertTrue(svgText.contains(s.get("name").asText()), s.get("name").asText()));
        String pts = curves.getElementsByTagName("polyline").item(0).getAttributes().getNamedItem("points").getNodeValue();
        assertEquals(50, pts.split(" ").length);
        Document det = parse(SvgPlot.render("det", run, PanelRegistry.standard()));
        assertEquals(1, det.getElementsByTagName("polyline").getLength());
        // the plot draws the probit ticks the panel states (DetPanel.TICKS), on both axes
        List<String> texts = new java.util.ArrayList<>();
        var nodes = det.getElementsByTagName("text");
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        for (String tick : List.of("0.1%", "1%", "5%", "20%", "50%", "80%", "95%", "99%", "99.9%")) {
            assertEquals(2, texts.stream().filter(tick::equals).count(), tick + " on both axes: " + texts);
        }
    }

    @Test
    void axesTickAt125StepsAndLegendsStayOffTheData() throws Exception {
        assertEquals("[0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]", java.util.Arrays.toString(SvgPlot.niceTicks(0, 1, 5)));
        assertEquals(List.of("0", "10", "20", "30", "40", "50"), List.of(SvgPlot.tickLabels(SvgPlot.niceTicks(1, 50, 5))));
        assertEquals(List.of("0", "2,000", "4,000", "6,000", "8,000", "10,000", "12,000"),
                List.of(SvgPlot.tickLabels(SvgPlot.niceTicks(0, 11_800, 5))));
        assertEquals(List.of("0.18", "0.20", "0.22", "0.24"), List.of(SvgPlot.tickLabels(SvgPlot.niceTicks(0.181, 0.239, 3))));
        for (double[] range : new double[][]{{0, 1}, {1, 50}, {0.181, 0.239}, {-3, 1234}, {0, 0.0007}}) {
            double[] t = SvgPlot.niceTicks(range[0], range[1], 5);
            double step = t[1] - t[0];
            double mant = step / Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
            assertTrue(Math.abs(mant - 1) < 1e-9 || Math.abs(mant - 2) < 1e-9 || Math.abs(mant - 5) < 1e-9, "1-2-5 step " + step);
            assertTrue(t[0] <= range[0] && t[t.length - 1] >= range[1], "covers the data");
        }
        // every legend entry sits below the plot area (its frame is the second rect)
        for (String chart : List.of("roc", "pr", "det", "scores", "calibration")) { // training curves: a title per chart instead
            Document d = parse(SvgPlot.render(chart, run, PanelRegistry.standard()));
            var frame = (org.w3c.dom.Element) d.getElementsByTagName("rect").item(1);
            double plotBottom = Double.parseDouble(frame.getAttribute("y")) + Double.parseDouble(frame.getAttribute("height"));
            var rects = d.getElementsByTagName("rect");
            int keys = 0;
            for (int i = 2; i < rects.getLength(); i++) {
                var r = (org.w3c.dom.Element) rects.item(i);
                if (r.getAttribute("width").equals("12.00") && r.getAttribute("height").equals("10.00")) {
                    keys++;
                    assertTrue(Double.parseDouble(r.getAttribute("y")) > plotBottom + 20, chart + ": legend key at y " + r.getAttribute("y") + " inside the plot (bottom " + plotBottom + ")");
                }
            }
            assertTrue(keys >= 1, chart + " has a legend");
        }
    }

    static java.awt.image.BufferedImage decode(byte[] png) throws Exception {
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new ByteArrayInputStream(png));
        assertTrue(img != null, "the PNG decodes");
        return img;
    }

    @Test
    void pngOfTheRocCurve() throws Exception {
        byte[] png = SvgPlot.png("roc", run, PanelRegistry.standard());
        assertEquals(0x89, png[0] & 0xff);
        assertEquals("PNG", new String(png, 1, 3, StandardCharsets.US_ASCII));
        java.awt.image.BufferedImage img = decode(png);
        int s = PngCanvas.SCALE;
        assertEquals(SvgPlot.W * s, img.getWidth());
        assertEquals(SvgPlot.H * s, img.getHeight());
        assertEquals(0xffffff, img.getRGB(1, 1) & 0xffffff, "white background");
        assertEquals(0xffffff, img.getRGB(img.getWidth() - 2, img.getHeight() - 2) & 0xffffff);
        // the curve (first palette colour) inside the plot area, not only in the legend key
        int blue = 0;
        for (int y = SvgPlot.T * s + 2; y < (SvgPlot.H - SvgPlot.B) * s - 2; y++) {
            for (int x = SvgPlot.L * s + 2; x < (SvgPlot.W - SvgPlot.R - 260) * s; x++) {
                if ((img.getRGB(x, y) & 0xffffff) == 0x0072B2) {
                    blue++;
                }
            }
        }
        assertTrue(blue > 200, "pixels of #0072B2 in the plot area: " + blue);
        // (0, 0) of the curve sits at the plot's lower left, as in the SVG (64.00,402.00)
        int near = 0;
        for (int dy = -4; dy <= 0; dy++) {
            for (int dx = 0; dx <= 4; dx++) {
                near += (img.getRGB(64 * s + dx, 402 * s + dy) & 0xffffff) == 0x0072B2 ? 1 : 0;
            }
        }
        assertTrue(near > 0, "curve starts at the lower left corner");
    }

    @ParameterizedTest
    @ValueSource(strings = {"roc", "pr", "det", "confusion", "calibration", "scores", "curves"})
    void everyChartAsPng(String chart) throws Exception {
        java.awt.image.BufferedImage img = decode(SvgPlot.render(chart, "png", run, PanelRegistry.standard()));
        assertEquals(SvgPlot.W * PngCanvas.SCALE, img.getWidth());
        // something besides the background was drawn: the title's dark pixels near the top centre
        int dark = 0;
        for (int y = 0; y < 30 * PngCanvas.SCALE; y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                dark += (img.getRGB(x, y) & 0xff) < 100 ? 1 : 0;
            }
        }
        assertTrue(dark > 50, chart + ": title drawn (" + dark + " dark pixels)");
    }

    @Test
    void svgAndPngFormatsAndABadFormat() {
        String svg = new String(SvgPlot.render("pr", "svg", run, PanelRegistry.standard()), StandardCharsets.UTF_8);
        assertEquals(SvgPlot.render("pr", run, PanelRegistry.standard()), svg);
        var e = assertThrows(dev.loupe.api.InvalidInputException.class, () -> SvgPlot.render("pr", "gif", run, PanelRegistry.standard()));
        assertTrue(e.getMessage().contains("format"), e.getMessage());
    }

    @Test
    void multiClassRocLegendMatchesThePanel() throws Exception {
        RunData multi = PanelsTest.multiClassIn(dir.resolve("svg-multi"));
        String svg = SvgPlot.render("roc", multi, PanelRegistry.standard());
        for (String legend : new String[] {"a — AUC 1.0000 [0.9800, 1.0000]", "b — AUC 0.5000 [0.4100, 0.5900]", "c — AUC 0.3750",
                "macro — AUC 0.9000 [0.8700, 0.9300]"}) {
            assertTrue(svg.contains(">" + legend + "</text>"), legend);
        }
        assertEquals(1 + 4, parse(svg).getElementsByTagName("polyline").getLength(), "chance + 3 classes + macro");
        decode(SvgPlot.png("roc", multi, PanelRegistry.standard()));
    }
}
