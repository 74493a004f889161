package dev.loupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `loupe report` over a real evaluation: the panels read the real metrics JSON. */
class ReportCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;

    @Test
    void reportOfAnEvaluatedPredictionsFile() throws Exception {
        String store = tmp.resolve("loupe.db").toString();
        Cli ev = Cli.run("evaluate", "--predictions", RunsCommandTest.SPAM.toString(), "--positive-label", "spam",
                "--bootstrap", "50", "--store", store);
        assertEquals(0, ev.exit(), ev.err());
        Cli list = Cli.run("runs", "list", "--json", "--store", store);
        String id = JSON.readTree(list.out()).get(0).get("id").asText();
        Path out = tmp.resolve("sub/report.html");
        Cli r = Cli.run("report", id.substring(0, 6), "-o", out.toString(), "--store", store);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("Wrote"), r.out());
        String html = Files.readString(out);
        assertTrue(html.length() < 5_000_000);
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"loupe-data\">(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertTrue(m.find());
        JsonNode panels = JSON.readTree(m.group(1)).get("runs").get(0).get("panels");
        JsonNode byId = JSON.createObjectNode();
        for (JsonNode p : panels) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) byId).set(p.get("id").asText(), p);
        }
        assertTrue(byId.get("roc").get("active").asBoolean());
        String legend = byId.get("roc").get("vm").get("series").get(0).get("name").asText();
        assertTrue(legend.startsWith("spam — AUC 0.9727 ["), legend);
        assertTrue(byId.get("roc").get("vm").get("series").get(0).get("x").size() <= 1000);
        JsonNode cm = byId.get("confusion").get("vm").get("counts");
        assertEquals("[[762.0,78.0],[21.0,339.0]]", cm.toString());
        JsonNode thr = byId.get("threshold").get("vm");
        assertEquals(360.0, thr.get("positives").asDouble());
        assertEquals(840.0, thr.get("negatives").asDouble());
        assertTrue(byId.get("calibration").get("vm").get("uniform").get("ece").isNumber());
        assertTrue(byId.get("scores").get("active").asBoolean());
        assertEquals(false, byId.get("curves").get("active").asBoolean());
        assertEquals("This run has no training curves.", byId.get("curves").get("empty").asText());
    }

    @Test
    void unknownRunIsBadInput() {
        Cli r = Cli.run("report", "abcdef123456", "-o", tmp.resolve("x.html").toString(), "--store", tmp.resolve("loupe.db").toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("No run"), r.err());
    }

    /** Evaluates the spam predictions into {@code store}; the run's id. */
    static String spamRun(String store) throws Exception {
        Cli ev = Cli.run("evaluate", "--predictions", RunsCommandTest.SPAM.toString(), "--positive-label", "spam",
                "--bootstrap", "0", "--store", store);
        assertEquals(0, ev.exit(), ev.err());
        return JSON.readTree(Cli.run("runs", "list", "--json", "--store", store).out()).get(0).get("id").asText();
    }

    @Test
    void plotWritesAnSvgAndRefusesUnknownCharts() throws Exception {
        String store = tmp.resolve("loupe.db").toString();
        String id = spamRun(store);
        Path svg = tmp.resolve("roc.svg");
        Cli r = Cli.run("plot", id, "--chart", "roc", "-o", svg.toString(), "--store", store);
        assertEquals(0, r.exit(), r.err());
        String text = Files.readString(svg);
        assertTrue(text.startsWith("<svg") && text.contains("AUC 0.9727"), text.substring(0, 200));
        assertEquals(2, Cli.run("plot", id, "--chart", "pie", "-o", svg.toString(), "--store", store).exit());
        Cli bad = Cli.run("plot", id, "--chart", "roc", "--format", "gif", "-o", svg.toString(), "--store", store);
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("--format"), bad.err());
    }

    @Test
    void plotWritesAPngByFlagOrByExtension() throws Exception {
        String store = tmp.resolve("loupe.db").toString();
        String id = spamRun(store);
        Path byFlag = tmp.resolve("plots/roc.img");
        Cli r = Cli.run("plot", id, "--chart", "roc", "--format", "png", "-o", byFlag.toString(), "--store", store);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("png"), r.out());
        Path byExt = tmp.resolve("confusion.PNG");
        assertEquals(0, Cli.run("plot", id, "--chart", "confusion", "-o", byExt.toString(), "--store", store).exit());
        for (Path p : new Path[] {byFlag, byExt}) {
            java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(p.toFile());
            assertTrue(img != null, p + " decodes as an image");
            assertEquals(1280, img.getWidth());
            assertEquals(960, img.getHeight());
            assertEquals(0xffffff, img.getRGB(2, 2) & 0xffffff, "white background");
        }
        try (var files = Files.list(tmp.resolve("plots"))) {
            assertEquals(1, files.count(), "no temporary file left beside the output");
        }
    }

    @Test
    void plotWritesAJpegForDotJpgAndNeverAnSvgInIt() throws Exception {
        String store = tmp.resolve("loupe.db").toString();
        String id = spamRun(store);
        for (String file : new String[] {"det.jpg", "det.JPEG"}) {
            Path jpg = tmp.resolve(file);
            Cli r = Cli.run("plot", id, "--chart", "det", "-o", jpg.toString(), "--store", store);
            assertEquals(0, r.exit(), r.err());
            byte[] bytes = Files.readAllBytes(jpg);
            assertEquals(0xFF, bytes[0] & 0xFF, "JPEG magic");
            assertEquals(0xD8, bytes[1] & 0xFF, "JPEG magic");
            java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(jpg.toFile());
            assertEquals(1280, img.getWidth());
            assertEquals(960, img.getHeight());
        }
        Path svgInJpg = tmp.resolve("x.jpg");
        Cli mismatch = Cli.run("plot", id, "--chart", "roc", "--format", "svg", "-o", svgInJpg.toString(), "--store", store);
        assertEquals(2, mismatch.exit(), mismatch.err());
        assertTrue(mismatch.err().contains("does not match the output file x.jpg"), mismatch.err());
        Cli unknown = Cli.run("plot", id, "--chart", "roc", "-o", tmp.resolve("x.pdf").toString(), "--store", store);
        assertEquals(2, unknown.exit(), unknown.err());
        assertTrue(unknown.err().contains(".pdf is not one of .svg, .png, .jpg"), unknown.err());
        assertTrue(Files.notExists(tmp.resolve("x.pdf")) && Files.notExists(svgInJpg), "nothing written when refused");
    }
}
