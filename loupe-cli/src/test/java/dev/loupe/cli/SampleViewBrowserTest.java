package dev.loupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.report.Json;
import dev.loupe.report.PanelRegistry;
import dev.loupe.server.DashboardServer;
import dev.loupe.store.RunStore;
import dev.loupe.store.StoreLocation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sample view ({@code Loupe.openSample}, web/sample.js) in Chromium, on a run the tiny BERT classifier made and
 * {@code loupe explain RUN --examples ...} explained: opened from the explanations panel, the samples table and a
 * confusion-matrix cell, in the dashboard and in the report; hostile texts and words stay text.
 */
@Tag("browser")
class SampleViewBrowserTest {
    static final String PWNED = BrowserTest.PWNED;
    @TempDir
    static Path dir;
    static DashboardServer server;
    static RunStore store;
    static ChromeDriver driver;
    static String run;
    static String attentionRun;

    /** The run's explanations plus row 5 with 512 words and a random 6 x 12 attention (3 links per query). */
    static byte[] long512(RunStore s, String id) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper om = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode doc = null;
        for (dev.loupe.store.Artifact a : s.artifacts(id)) {
            if (a.name().equals(ExplainJson.ARTIFACT)) {
                doc = (com.fasterxml.jackson.databind.node.ObjectNode) om.readTree(s.artifactPath(a.sha256()).toFile());
            }
        }
        int n = 512;
        java.util.Random rnd = new java.util.Random(1);
        StringBuilder text = new StringBuilder();
        com.fasterxml.jackson.databind.node.ObjectNode e = om.createObjectNode();
        com.fasterxml.jackson.databind.node.ArrayNode units = om.createArrayNode();
        com.fasterxml.jackson.databind.node.ArrayNode scores = om.createArrayNode();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String w = i % 50 == 0 ? "<b>w" + i + "</b>" : "w" + i;
            units.addObject().put("text", w).put("start", text.length()).put("end", text.length() + w.length());
            text.append(w).append(' ');
            scores.add(rnd.nextGaussian());
            tokens.add(w);
        }
        e.put("key", "5").put("row", 5).put("id", "t5").put("label", "neutral").put("text", text.toString().trim())
                .put("predicted", "positive").put("target", "positive").put("truncated_words", 0);
        e.set("labels", om.valueToTree(List.of("negative", "neutral", "positive")));
        e.set("probabilities", om.valueToTree(List.of(0.2, 0.3, 0.5)));
        e.set("units", units);
        e.putObject("methods").putObject("occlusion").put("value", 0.5).put("base_value", 0.4).put("evaluations", n + 2)
                .put("note", "synthetic").set("scores", scores);
        com.fasterxml.jackson.databind.node.ObjectNode att = e.putObject("attention");
        att.set("tokens", om.valueToTree(tokens));
        att.put("layers", 6).put("heads", 12);
        com.fasterxml.jackson.databind.node.ArrayNode links = att.putArray("links");
        for (int l = 0; l < 6; l++) {
            com.fasterxml.jackson.databind.node.ArrayNode lay = links.addArray();
            for (int h = 0; h < 12; h++) {
                com.fasterxml.jackson.databind.node.ArrayNode hd = lay.addArray();
                for (int q = 0; q < n; q++) {
                    for (int j = 0; j < 3; j++) {
                        hd.add(q).add(rnd.nextInt(n)).add(Math.round(rnd.nextDouble() / (j + 1) * 1e4) / 1e4);
                    }
                }
            }
        }
        com.fasterxml.jackson.databind.node.ArrayNode roll = att.putArray("rollout");
        for (int q = 0; q < n; q++) {
            com.fasterxml.jackson.databind.node.ArrayNode r = roll.addArray();
            for (int k = 0; k < n; k++) {
                r.add(q == k ? 0.5 : Math.round(0.5 / n * 1e5) / 1e5);
            }
        }
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc.get("examples")).set("5", e);
        return om.writeValueAsBytes(doc);
    }

    @BeforeAll
    static void setUp() throws Exception {
        Chromium.locate();
        Files.createDirectories(BrowserTest.SHOTS);
        Path data = dir.resolve("texts.jsonl");
        StringBuilder lines = new StringBuilder();
        String[] labels = {"negative", "neutral", "positive"};
        for (int i = 0; i < 40; i++) {
            String text = i < BrowserFixture.HOSTILE.size() ? BrowserFixture.HOSTILE.get(i) : "message " + i + " about free money and a prize";
            lines.append(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(java.util.Map.of("id", "t" + i,
                    "text", text, "label", labels[i % 3]))).append('\n');
        }
        Files.writeString(data, lines);
        String db = dir.resolve("loupe.db").toString();
        Cli ev = Cli.run("evaluate", "--model", EvaluateModelTest.TINY.resolve("bert-3").toString(), "--data", data.toString(),
                "--max-length", "48", "--bootstrap", "0", "-q", "--store", db);
        assertEquals(0, ev.exit(), ev.err());
        run = Cli.run("runs", "list", "--store", db).out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];
        Cli ex = Cli.run("explain", run, "--examples", "ids:t0,t1,t2,t3,t4", "--method", "occlusion,shap,lime", "--samples", "300",
                "-q", "--store", db);
        assertEquals(0, ex.exit(), ex.err());
        Cli errors = Cli.run("explain", run, "--examples", "confident-errors:10", "--method", "occlusion", "-q", "--store", db);
        assertEquals(0, errors.exit(), errors.err());
        // a second run (the tiny attention classifier) with attention, and a synthetic 512-token attention sample
        Path data2 = dir.resolve("texts2.jsonl");
        Files.writeString(data2, lines.toString().replace("\"neutral\"", "\"negative\""));
        Cli ev2 = Cli.run("evaluate", "--model", Path.of("..", "loupe-explain", "src", "test", "resources", "attention", "bert").toString(),
                "--data", data2.toString(), "--bootstrap", "0", "-q", "--store", db);
        assertEquals(0, ev2.exit(), ev2.err());
        attentionRun = Cli.run("runs", "list", "--store", db).out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];
        Cli att = Cli.run("explain", attentionRun, "--examples", "ids:t0,t1,t2", "--method", "attention,occlusion", "-q", "--store", db);
        assertEquals(0, att.exit(), att.err());
        try (RunStore w = RunStore.open(StoreLocation.sqlite(dir.resolve("loupe.db")))) {
            w.putArtifact(run, ExplainJson.ARTIFACT, "application/json", new java.io.ByteArrayInputStream(long512(w, run)));
        }
        store = RunStore.openReadOnly(StoreLocation.sqlite(dir.resolve("loupe.db")));
        server = DashboardServer.start(store, PanelRegistry.standard(), "127.0.0.1", 0, null, false);
        driver = Chromium.start(dir.resolve("chromium-profile"));
    }

    @AfterAll
    static void tearDown() {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
        if (store != null) {
            store.close();
        }
    }

    static Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    static List<String> problems() {
        List<String> out = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue() || e.getMessage().contains("panel failed")) {
                out.add(e.getLevel() + " " + e.getMessage());
            }
        }
        return out;
    }

    static java.net.http.HttpResponse<String> get(String url) throws Exception {
        return BrowserTest.HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    static void open(String url) {
        driver.manage().logs().get(LogType.BROWSER);
        Chromium.open(driver, url);
    }

    /** The highlighted words of a sample view: one span per unit, each with its score on hover. */
    static void assertHighlighted(WebElement view, String text) {
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> !view.findElements(By.cssSelector(".highlighted .unit")).isEmpty());
        List<WebElement> units = view.findElements(By.cssSelector(".highlighted .unit"));
        assertEquals(text.trim().split("\\s+").length, units.size(), "one span per word of " + text);
        for (WebElement u : units) {
            assertTrue(u.getAttribute("title").startsWith(u.getText() + ": "), u.getAttribute("title"));
            assertTrue(!u.getAttribute("data-score").isEmpty());
        }
        assertEquals(text, view.findElement(By.cssSelector(".highlighted")).getText().replace('\n', ' ').trim().isEmpty() ? "" : text,
                "the whole text, as text");
        assertTrue(view.findElement(By.cssSelector(".scale-legend")).getText().contains("raises"));
    }

    @Test
    void explanationsPanelOpensTheSampleViewWithHighlightedWordsAndHostileTextStaysText() throws Exception {
        open("http://127.0.0.1:" + server.port() + "/runs/" + run);
        WebElement panel = driver.findElement(By.id("panel-explain"));
        List<WebElement> rows = panel.findElements(By.cssSelector("tbody tr.clickable"));
        assertTrue(rows.size() >= 5, "explained examples listed: " + rows.size());
        for (int i = 0; i < BrowserFixture.HOSTILE.size(); i++) {
            WebElement row = driver.findElements(By.cssSelector("#panel-explain tbody tr.clickable")).get(i);
            String id = row.findElement(By.cssSelector("td.id")).getText();
            int n = Integer.parseInt(id.substring(1));
            row.click();
            WebElement view = panel.findElement(By.cssSelector(".explain-view"));
            new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> view.getText().contains("Sample " + id));
            assertHighlighted(view, BrowserFixture.HOSTILE.get(n));
            // the method menu switches the scores
            new org.openqa.selenium.support.ui.Select(view.findElement(By.tagName("select"))).selectByValue("occlusion");
            assertTrue(view.getText().contains("leave one word out"), view.getText());
        }
        Files.write(BrowserTest.SHOTS.resolve("sample-view-explain.png"), panel.getScreenshotAs(OutputType.BYTES));
        assertNull(js(PWNED));
        assertEquals(0L, js("return document.querySelectorAll('#loupe-root script, #loupe-root img, #loupe-root svg:not(.chart svg), #loupe-root a[href^=javascript]').length;"));
        assertEquals(List.of(), problems());
    }

    @Test
    void samplesTableAndConfusionCellsOpenTheSameView() throws Exception {
        open("http://127.0.0.1:" + server.port() + "/runs/" + run + "?renderer=svg");
        // the samples table: search one explained sample, open it
        WebElement search = driver.findElement(By.cssSelector("#panel-samples input[placeholder=text]"));
        search.sendKeys("onerror", org.openqa.selenium.Keys.ENTER);
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> d.findElement(By.id("panel-samples")).getText().contains("1 matching"));
        driver.findElement(By.cssSelector("#panel-samples tbody tr.clickable")).click();
        WebElement detail = driver.findElement(By.cssSelector("#panel-samples tr.detail"));
        assertHighlighted(detail, BrowserFixture.HOSTILE.get(1));
        search.clear();
        search.sendKeys(org.openqa.selenium.Keys.ENTER);
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> d.findElement(By.id("panel-samples")).getText().contains("40 matching"));
        // a confusion-matrix cell (the fullest): its samples listed and the first one opened, in view
        com.fasterxml.jackson.databind.JsonNode vm = new com.fasterxml.jackson.databind.ObjectMapper().readTree(java.net.http.HttpClient.newHttpClient()
                .send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + "/api/runs/" + run
                        + "/panels/confusion")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body());
        int[] best = {0, 0};
        for (int t = 0; t < vm.get("labels").size(); t++) {
            for (int p = 0; p < vm.get("labels").size(); p++) {
                if (vm.get("counts").get(t).get(p).asInt() > vm.get("counts").get(best[0]).get(best[1]).asInt()) {
                    best = new int[] {t, p};
                }
            }
        }
        String trueLabel = vm.get("labels").get(best[0]).asText();
        String predLabel = vm.get("labels").get(best[1]).asText();
        WebElement chart = driver.findElement(By.cssSelector("#panel-confusion .chart"));
        js("arguments[0].scrollIntoView({block: 'center'});", chart);
        @SuppressWarnings("unchecked")
        List<Number> px = (List<Number>) js("return echarts.getInstanceByDom(arguments[0]).convertToPixel({seriesIndex: 0}, [arguments[1], arguments[2]]);", chart, best[1], best[0]);
        org.openqa.selenium.Dimension size = chart.getSize();
        new Actions(driver).moveToElement(chart, (int) Math.round(px.get(0).doubleValue() - size.width / 2.0),
                (int) Math.round(px.get(1).doubleValue() - size.height / 2.0)).click().perform();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> !d.findElements(By.cssSelector("#panel-samples tr.detail")).isEmpty()
                && d.findElement(By.cssSelector("#panel-samples tr.detail")).getText().contains("Sample"));
        WebElement opened = driver.findElement(By.cssSelector("#panel-samples tr.detail"));
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> box = (java.util.Map<String, Object>) js("var r = arguments[0].getBoundingClientRect(); return {top: r.top, h: window.innerHeight};", opened);
        double top = ((Number) box.get("top")).doubleValue();
        assertTrue(top >= 0 && top < ((Number) box.get("h")).doubleValue(), "in view: " + box);
        assertTrue(opened.getText().contains("true " + trueLabel) && opened.getText().contains("predicted " + predLabel), opened.getText());
        assertNull(js(PWNED));
        assertEquals(List.of(), problems());
    }

    @Test
    void attentionViewsDrawThumbnailsLinksAndTheRolloutAndStayUsableAt512Tokens() throws Exception {
        open("http://127.0.0.1:" + server.port() + "/runs/" + attentionRun);
        WebElement panel = driver.findElement(By.id("panel-explain"));
        panel.findElements(By.cssSelector("tbody tr.clickable")).get(0).click();
        WebElement view = panel.findElement(By.cssSelector(".explain-view"));
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> !view.findElements(By.cssSelector(".head-view canvas")).isEmpty());
        assertEquals(2 * 2, view.findElements(By.cssSelector(".attn-thumbs canvas")).size(), "layers x heads of the tiny BERT");
        assertTrue(Integer.parseInt(view.findElement(By.cssSelector(".head-view canvas")).getAttribute("data-links")) > 0);
        assertEquals("44", view.findElement(By.cssSelector("canvas[data-role='rollout']")).getAttribute("data-tokens"), "the rollout heatmap");
        assertFalse(view.findElement(By.cssSelector("canvas[data-role='head-map']")).isDisplayed(), "no head chosen yet: no whole map");
        view.findElements(By.cssSelector(".attn-thumbs canvas")).get(3).click();
        assertEquals("1", new org.openqa.selenium.support.ui.Select(view.findElements(By.tagName("select")).get(2)).getFirstSelectedOption()
                .getAttribute("value"), "a thumbnail chooses its head");
        // the chosen head's whole map, from the stored maps: 44 x 44, rows summing to 1, strongest keys as the links say
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> "true".equals(
                view.findElement(By.cssSelector("canvas[data-role='head-map']")).getAttribute("data-drawn")));
        WebElement headMap = view.findElement(By.cssSelector("canvas[data-role='head-map']")).findElement(By.xpath("../.."));
        js("arguments[0].scrollIntoView();", headMap);
        Files.write(BrowserTest.SHOTS.resolve("sample-view-head-map.png"), headMap.getScreenshotAs(OutputType.BYTES));
        String api = "http://127.0.0.1:" + server.port() + "/api/runs/" + attentionRun + "/panels/";
        String key = Json.parse(get(api + "explain").body()).path("examples").path(0).path("key").asText();
        JsonNode map = Json.parse(get(api + "samples?key=" + key + "&layer=1&head=1").body());
        JsonNode links = Json.parse(get(api + "samples?key=" + key).body()).path("explanation").path("attention").path("links").path(1).path(1);
        assertEquals(44, map.path("map").size());
        for (int q = 0; q < 44; q++) {
            JsonNode row = map.path("map").path(q);
            double sum = 0;
            int best = 0;
            for (int k = 0; k < 44; k++) {
                sum += row.path(k).asDouble();
                best = row.path(k).asDouble() > row.path(best).asDouble() ? k : best;
            }
            assertEquals(1.0, sum, 44 * 0.5 / 255, "row " + q + " sums to 1 up to the 1/255 steps");
            assertEquals(links.path(3 * 3 * q + 2).asDouble(), row.path(links.path(3 * 3 * q + 1).asInt()).asDouble(), 0.5 / 255 + 1e-6,
                    "the strongest link of query " + q + " has the map's weight");
            assertEquals(row.path(best).asDouble(), row.path(links.path(3 * 3 * q + 1).asInt()).asDouble(), 1.0 / 255 + 1e-6,
                    "and is the row's largest weight (up to rounding)");
        }
        assertEquals(400, get(api + "samples?key=" + key + "&layer=9&head=0").statusCode(), "a layer the model does not have");
        Files.write(BrowserTest.SHOTS.resolve("sample-view-attention.png"), view.getScreenshotAs(OutputType.BYTES));
        // 512 tokens: opened, drawn and scrollable within a bound, the page still answers
        open("http://127.0.0.1:" + server.port() + "/runs/" + run);
        long t0 = System.nanoTime();
        js("Loupe.openSample(arguments[0], '5');", run);
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> !d.findElements(By.cssSelector(".sample-view .head-view canvas")).isEmpty());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        WebElement big = driver.findElement(By.cssSelector(".sample-view"));
        assertEquals("512", big.findElement(By.cssSelector(".head-view canvas")).getAttribute("data-tokens"));
        assertEquals(6 * 12, big.findElements(By.cssSelector(".attn-thumbs canvas")).size());
        @SuppressWarnings("unchecked")
        Map<String, Object> box = (Map<String, Object>) js("var b = document.querySelector('.sample-view .head-view');"
                + " return {h: b.clientHeight, sh: b.scrollHeight};");
        assertTrue(((Number) box.get("h")).intValue() <= 420 && ((Number) box.get("sh")).intValue() > 8000, "a scrolling box: " + box);
        long t1 = System.nanoTime();
        assertEquals(2L, js("return 1 + 1;"));
        System.out.printf("[browser] 512-token sample view drawn in %d ms; the page answered in %d ms%n", ms, (System.nanoTime() - t1) / 1_000_000);
        assertTrue(ms < 5_000, "drawn in " + ms + " ms");
        Files.write(BrowserTest.SHOTS.resolve("sample-view-512.png"), big.getScreenshotAs(OutputType.BYTES));
        assertNull(js(PWNED));
        assertEquals(List.of(), problems());
    }

    @Test
    void theReportShowsTheStoredExplanations() throws Exception {
        Path report = dir.resolve("report.html");
        Cli r = Cli.run("report", run, "-o", report.toString(), "--store", dir.resolve("loupe.db").toString());
        assertEquals(0, r.exit(), r.err());
        open(report.toUri().toString());
        WebElement panel = driver.findElement(By.cssSelector("[data-panel=explain]"));
        WebElement row = panel.findElements(By.cssSelector("tbody tr.clickable")).get(1);
        String id = row.findElement(By.cssSelector("td.id")).getText();
        row.click();
        WebElement view = panel.findElement(By.cssSelector(".explain-view"));
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> view.getText().contains("Sample " + id));
        assertHighlighted(view, BrowserFixture.HOSTILE.get(Integer.parseInt(id.substring(1))));
        Files.write(BrowserTest.SHOTS.resolve("sample-view-report.png"), panel.getScreenshotAs(OutputType.BYTES));
        assertNull(js(PWNED));
        assertEquals(List.of(), problems());
    }
}
