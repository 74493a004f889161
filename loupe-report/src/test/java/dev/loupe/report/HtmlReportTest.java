package dev.loupe.report;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlReportTest {
    @TempDir
    static Path dir;
    static Fixtures.Store fx;
    static String html;

    @BeforeAll
    static void setUp() {
        fx = Fixtures.create(dir);
        html = HtmlReport.render(fx.store(), List.of(fx.fullRun(), fx.bareRun()), PanelRegistry.standard());
    }

    @AfterAll
    static void tearDown() {
        fx.store().close();
    }

    @Test
    void hostileTextNeverAppearsUnescaped() {
        assertFalse(html.contains(Fixtures.HOSTILE));
        assertFalse(html.contains("<script>window.__pwned"), "no hostile script element anywhere in the page text");
        assertTrue(html.contains("\\u003c/script\\u003e\\u003cscript\\u003ewindow.__pwned=1"), "kept as escaped data");
        assertFalse(html.contains("<img src=x"));
        assertFalse(html.contains("<a href=\"javascript:"));
        assertFalse(html.contains("<script>alert(1)"));
        assertFalse(html.contains("<i>x</i>"), "run names are data too");
        assertFalse(html.contains("\u2028"));
    }

    @Test
    void dataRoundTripsThroughTheEscapedJson() {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"loupe-data\">(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertTrue(m.find());
        String json = m.group(1);
        assertFalse(json.contains("<"));
        var data = Json.parse(json);
        assertEquals(2, data.get("runs").size());
        var panels = data.get("runs").get(0).get("panels");
        assertEquals(PanelRegistry.standard().panels().size(), panels.size());
        var samples = java.util.stream.StreamSupport.stream(panels.spliterator(), false)
                .filter(p -> p.get("id").asText().equals("samples")).findFirst().orElseThrow();
        boolean found = false;
        for (var r : samples.get("vm").get("rows")) {
            found |= r.get("text").asText().equals(Fixtures.TEXTS.get(0));
        }
        assertTrue(found, "the hostile text is kept as data, escaped");
        assertEquals(2, data.get("runsTable").get("rows").size());
    }

    @Test
    void selfContainedWithScriptHashesInTheCsp() throws Exception {
        assertFalse(html.contains("src=\"http"));
        // no linked asset; the only <link> is the empty inline favicon (it keeps browsers from asking for /favicon.ico)
        assertFalse(html.replace("<link rel=\"icon\" href=\"data:,\">", "").contains("<link"));
        assertTrue(html.contains("Content-Security-Policy"));
        // every executable inline script's hash is in the policy
        Matcher m = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(html);
        int n = 0;
        while (m.find()) {
            assertTrue(html.contains(Page.sha256(m.group(1))), "hash of script " + n);
            n++;
        }
        // echarts, the shared helpers, the module of each panel the report shows, the page views and boot: nothing else
        var scripts = Page.scripts(PanelRegistry.standard(), List.of("overview", "confusion", "roc", "pr", "det", "calibration",
                "scores", "threshold", "curves", "slices", "fairness", "generalization", "robustness", "efficiency", "samples", "explain"));
        assertEquals(scripts.size(), n, "inline scripts: " + scripts.stream().map(Page.Script::name).toList());
        assertEquals(n, count(html, "'sha256-"), "one hash per script in the policy");
        assertTrue(html.contains("L.panels.det = function"), "the DET panel's module is inlined");
        assertTrue(html.contains("echarts"));
        assertTrue(html.length() < 5_000_000, "bounded size: " + html.length());
    }

    @Test
    void onlyOneScriptEndTagPerScript() {
        int opens = count(html, "<script");
        int closes = count(html, "</script");
        assertEquals(opens, closes);
        assertEquals(count(html, "'sha256-") + 1, opens, "the data block and one element per script");
    }

    @Test
    void aReportInlinesOnlyTheModulesOfPanelsItShows() throws Exception {
        String bare = HtmlReport.render(fx.store(), List.of(fx.bareRun()), PanelRegistry.standard());
        assertFalse(bare.contains("L.panels.det = function"), "a run without scores has no DET panel to draw");
        assertTrue(bare.contains("L.panels.overview = function"));
    }

    @Test
    void frontEndModulesStayReadable() {
        // the split's point: small modules of short lines (the one loupe.js had 584 lines, 35 of them over 150 characters)
        for (Page.Script sc : Page.scripts(PanelRegistry.standard())) {
            if (sc.name().equals("echarts.min.js")) {
                continue;
            }
            String[] lines = new String(sc.bytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n");
            assertTrue(lines.length <= 200, sc.name() + ": " + lines.length + " lines");
            for (int i = 0; i < lines.length; i++) {
                assertTrue(lines[i].length() <= 150, sc.name() + ":" + (i + 1) + " is " + lines[i].length() + " characters");
            }
        }
    }

    private static int count(String s, String needle) {
        int c = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            c++;
        }
        return c;
    }
}
