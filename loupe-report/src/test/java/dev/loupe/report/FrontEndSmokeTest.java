package dev.loupe.report;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the front end's scripts on a report's data in Node (when installed) with a minimal fake DOM and ECharts, firing every
 * control once: no script errors, no innerHTML, hostile text shown as text. Not a browser test: it checks the
 * front end's logic, not layout.
 */
class FrontEndSmokeTest {
    @TempDir
    Path dir;

    @Test
    void everyPanelRendersAndEveryControlWorks() throws Exception {
        Assumptions.assumeTrue(onPath("node"), "node is not installed");
        Fixtures.Store fx = Fixtures.create(dir);
        String html;
        try {
            html = HtmlReport.render(fx.store(), List.of(fx.fullRun(), fx.bareRun()), PanelRegistry.standard());
        } finally {
            fx.store().close();
        }
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"loupe-data\">(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertTrue(m.find());
        var r = smoke(m.group(1));
        assertEquals("[]", r.get("errors").toString(), r.toString());
        assertEquals(0, r.get("innerHTML").asInt());
        assertEquals("true", r.get("ready").asText());
        assertTrue(r.get("charts").asInt() >= 8, "charts drawn: " + r.get("charts"));
        String text = r.get("text").asText();
        assertTrue(text.contains("This run has no training curves."), "empty state shown");
        assertTrue(text.contains("0.9000"), "accuracy card");
        assertTrue(text.contains("\u2014"), "undefined shown as a dash");
        assertTrue(text.contains("cleaning: exact duplicates") && text.contains("5 (removed, first kept), 1 with a different label"),
                "cleaning counts in the overview's data set summary");
        assertTrue(r.get("hostileShown").asBoolean(), "hostile text is shown, as text");
        assertFalse(text.isEmpty());
    }

    @Test
    void dashboardRunsPageAndRunPageInApiMode() throws Exception {
        Assumptions.assumeTrue(onPath("node"), "node is not installed");
        Fixtures.Store fx = Fixtures.create(dir);
        try {
            var runsPage = smoke(Json.write(Json.obj("api", true, "base", "/", "runsTable", RunsTable.viewModel(fx.store(), null), "runs", List.of())));
            assertEquals("[]", runsPage.get("errors").toString(), runsPage.toString());
            assertTrue(runsPage.get("text").asText().contains(fx.fullRun()));
            RunData run = RunData.load(fx.store(), fx.fullRun());
            var runPage = smoke(Json.write(Json.obj("api", true, "base", "/", "runs", List.of(HtmlReport.runView(run, PanelRegistry.standard(), false)))));
            assertEquals("[]", runPage.get("errors").toString(), runPage.toString());
            assertTrue(runPage.get("hostileShown").asBoolean());
        } finally {
            fx.store().close();
        }
    }

    private com.fasterxml.jackson.databind.JsonNode smoke(String json) throws Exception {
        Path data = Files.writeString(dir.resolve("data.json"), json);
        // the front end's scripts in page order, ECharts left out (dom-smoke.js fakes it)
        StringBuilder js = new StringBuilder();
        for (Page.Script s : Page.scripts(PanelRegistry.standard())) {
            if (!s.name().equals("echarts.min.js")) {
                js.append(new String(s.bytes(), StandardCharsets.UTF_8)).append('\n');
            }
        }
        Path app = Files.writeString(dir.resolve("app.js"), js);
        Path smoke;
        try (InputStream in = getClass().getResourceAsStream("dom-smoke.js")) {
            smoke = Files.write(dir.resolve("dom-smoke.js"), in.readAllBytes());
        }
        Process p = new ProcessBuilder("node", smoke.toString(), app.toString(), data.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return Json.parse(out);
    }

    static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, exe))) {
                return true;
            }
        }
        return false;
    }
}
