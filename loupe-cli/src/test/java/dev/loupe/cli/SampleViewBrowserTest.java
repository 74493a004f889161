package dev.loupe.cli;

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
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
