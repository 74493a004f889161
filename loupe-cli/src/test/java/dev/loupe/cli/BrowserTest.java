package dev.loupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.api.MetricValue;
import dev.loupe.report.Json;
import dev.loupe.report.PanelRegistry;
import dev.loupe.server.DashboardServer;
import dev.loupe.store.RunSpec;
import dev.loupe.store.RunStatus;
import dev.loupe.store.RunStore;
import dev.loupe.store.StoreLocation;
import dev.loupe.store.tracking.Loupe;
import dev.loupe.store.tracking.Run;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard and the report in a real browser ({@link Chromium}: headless, driven by Selenium). Skipped when
 * Chromium is missing, except under CI, where {@code .ci/run} installs it. Screenshots go to
 * {@code target/browser-screenshots/}.
 */
@Tag("browser")
class BrowserTest {
    static final int EXAMPLES = 100_000;
    static final Path SHOTS = Path.of("target", "browser-screenshots");
    static final String PWNED = "return window.__pwned === undefined ? null : String(window.__pwned);";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    static RunStore store;
    static DashboardServer server;
    static ChromeDriver driver;
    static String binary;
    static String multi;

    @BeforeAll
    static void setUp() throws Exception {
        Chromium.locate(); // skips (or, under CI, fails) before building 100,000 rows when there is no browser
        Files.createDirectories(SHOTS);
        store = RunStore.open(StoreLocation.sqlite(dir.resolve("loupe.db")));
        binary = BrowserFixture.binary(store, EXAMPLES, 7);
        multi = BrowserFixture.multiClass(store, 900, 11);
        server = DashboardServer.start(store, PanelRegistry.standard(), "127.0.0.1", 0, null, false);
        server.pollMillis(100);
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

    // ------------------------------------------------------------------------------------------------ helpers

    static String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    /** Opens a page, waits for the front end to finish booting, and returns the severe console entries. */
    static List<String> open(String address) {
        driver.manage().logs().get(LogType.BROWSER); // drop what earlier pages logged
        Chromium.open(driver, address);
        return problems();
    }

    /** Severe console entries, and warnings from a panel that failed to render. */
    static List<String> problems() {
        List<String> out = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue() || e.getMessage().contains("panel failed")) {
                out.add(e.getLevel() + " " + e.getMessage());
            }
        }
        return out;
    }

    static Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    static void screenshot(String name) throws IOException {
        long height = (Long) js("return Math.ceil(document.documentElement.scrollHeight);");
        Dimension before = driver.manage().window().getSize();
        driver.manage().window().setSize(new Dimension(1400, (int) Math.min(Math.max(height, 600), 12_000)));
        try {
            Files.write(SHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } finally {
            driver.manage().window().setSize(before);
        }
    }

    static void panelShots(String prefix) throws IOException {
        for (WebElement card : driver.findElements(By.cssSelector("section.card"))) {
            String id = card.getAttribute("id");
            js("arguments[0].scrollIntoView();", card);
            Files.write(SHOTS.resolve(prefix + "-" + (id == null || id.isEmpty() ? "card" : id) + ".png"),
                    card.getScreenshotAs(OutputType.BYTES));
        }
    }

    static JsonNode api(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return Json.parse(r.body());
    }

    /** What the front end shows for a number: {@code toFixed(4)}. */
    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    static String metricCard(String panel, String metric) {
        return driver.findElement(By.cssSelector("#panel-" + panel + " [data-metric='" + metric + "'] .value")).getText();
    }

    static WebDriverWait waitUpTo(int seconds) {
        return new WebDriverWait(driver, Duration.ofSeconds(seconds));
    }

    // ------------------------------------------------------------------------------------------------ tests

    @Test
    void everyDashboardPageLoadsWithoutErrors() throws Exception {
        Map<String, String> pages = new java.util.LinkedHashMap<>();
        pages.put("runs", "/");
        pages.put("run-binary", "/runs/" + binary);
        pages.put("run-multiclass", "/runs/" + multi);
        pages.put("compare", "/compare?runs=" + binary + "," + multi);
        for (Map.Entry<String, String> p : pages.entrySet()) {
            List<String> problems = open(url(p.getValue()));
            screenshot("dashboard-" + p.getKey());
            assertEquals(List.of(), problems, p.getValue());
            assertNull(js(PWNED), p.getValue());
        }
        // every panel of the binary run drew something: no empty states, a canvas per chart
        open(url("/runs/" + binary));
        List<WebElement> cards = driver.findElements(By.cssSelector("section.card"));
        assertEquals(PanelRegistry.standard().panels().size(), cards.size());
        for (WebElement card : cards) {
            assertTrue(!card.getAttribute("class").contains("empty"), card.getAttribute("id") + " is empty");
        }
        for (String panel : List.of("confusion", "roc", "pr", "det", "calibration", "scores", "threshold", "curves", "slices", "fairness", "generalization",
                "robustness", "efficiency")) {
            assertTrue(!driver.findElements(By.cssSelector("#panel-" + panel + " canvas")).isEmpty(), panel + " has no chart");
        }
        panelShots("binary");
        open(url("/runs/" + multi));
        panelShots("multiclass");
        assertTrue(driver.findElement(By.id("panel-threshold")).getAttribute("class").contains("empty"),
                "the threshold explorer is for binary runs");
        assertTrue(driver.findElement(By.id("panel-curves")).getText().contains("no training curves"));
    }

    /**
     * Every page and every panel drawn with ECharts' SVG renderer, at 1400 and 800 px: no text of a chart overlaps
     * another or leaves the chart, every tick label sits where its axis's stated scale puts it (and an axis that
     * states its ticks draws exactly those), and no page scrolls sideways ({@code layout-check.js}).
     */
    @Test
    void noTextOverlapsOrLeavesItsChartTicksFollowTheirScaleAndNoPageScrollsSideways() throws Exception {
        String check;
        try (var in = BrowserTest.class.getResourceAsStream("layout-check.js")) {
            check = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        Path report = dir.resolve("layout-report.html");
        Cli r = Cli.run("report", binary, multi, "-o", report.toString(), "--store", dir.resolve("loupe.db").toString());
        assertEquals(0, r.exit(), r.err());
        Map<String, String> pages = new java.util.LinkedHashMap<>();
        pages.put("runs", url("/?renderer=svg"));
        pages.put("binary", url("/runs/" + binary + "?renderer=svg"));
        pages.put("multiclass", url("/runs/" + multi + "?renderer=svg"));
        pages.put("compare", url("/compare?runs=" + binary + "," + multi + "&renderer=svg"));
        pages.put("report", report.toUri() + "?renderer=svg");
        List<String> problems = new ArrayList<>();
        Dimension before = driver.manage().window().getSize();
        try {
            for (int width : new int[]{1400, 800}) {
                driver.manage().window().setSize(new Dimension(width, 1000));
                for (Map.Entry<String, String> p : pages.entrySet()) {
                    problems.addAll(open(p.getValue()));
                    @SuppressWarnings("unchecked")
                    Map<String, Object> result = (Map<String, Object>) js(check);
                    @SuppressWarnings("unchecked")
                    List<String> found = (List<String>) result.get("problems");
                    found.forEach(f -> problems.add(p.getKey() + " @" + width + "px: " + f));
                    long charts = (Long) result.get("charts");
                    System.out.printf("[browser] layout %s @%d px: %d charts, %d problems%n", p.getKey(), width, charts, found.size());
                    if (p.getKey().equals("binary")) {
                        assertTrue(charts >= 10, "every chart panel of the binary run was measured: " + charts);
                        if (width == 800) {
                            panelShots("layout-800");
                        }
                    }
                }
            }
        } finally {
            driver.manage().window().setSize(before);
        }
        assertEquals(List.of(), problems, String.join("\n", problems));
    }

    @Test
    void navigationLinksEveryPageAndFailingPagesSayWhatHappened() throws Exception {
        open(url("/runs/" + binary));
        // header home, run -> runs list, run -> compare (the runs page with this run picked)
        assertEquals(url("/"), driver.findElement(By.cssSelector("header a.brand")).getAttribute("href"));
        assertEquals(url("/"), driver.findElement(By.linkText("\u2190 all runs")).getAttribute("href"));
        driver.findElement(By.linkText("compare with other runs")).click();
        waitUpTo(10).until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-loupe-ready")));
        assertTrue(driver.findElement(By.cssSelector("tr[data-run='" + binary + "'] input[type=checkbox]")).isSelected(), "the run is picked");
        driver.findElement(By.cssSelector("tr[data-run='" + multi + "'] input[type=checkbox]")).click();
        driver.findElement(By.xpath("//button[text()='compare selected']")).click();
        waitUpTo(10).until(d -> d.getCurrentUrl().contains("/compare?runs="));
        waitUpTo(10).until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-loupe-ready")));
        // compare -> each run
        List<String> runLinks = new ArrayList<>();
        driver.findElements(By.cssSelector("nav.crumbs a")).forEach(a -> runLinks.add(a.getAttribute("href")));
        assertTrue(runLinks.contains(url("/runs/" + binary)) && runLinks.contains(url("/runs/" + multi)) && runLinks.contains(url("/")), runLinks.toString());
        // a failing page route: an HTML page that says what happened and leads back
        driver.get(url("/compare?runs=" + binary));
        assertTrue(driver.findElement(By.tagName("h1")).getText().contains("cannot be shown"));
        assertTrue(driver.findElement(By.cssSelector(".warn")).getText().contains("A comparison needs 2 to 10 runs; got 1"));
        driver.get(url("/runs/ffffffffffff"));
        assertEquals("Not found", driver.findElement(By.tagName("h1")).getText());
        assertEquals(url("/"), driver.findElement(By.linkText("\u2190 all runs")).getAttribute("href"));
    }

    @Test
    void runsTableSortsAndFiltersByExpression() throws Exception {
        open(url("/"));
        WebElement filter = driver.findElement(By.cssSelector("[data-role=filter]"));
        JsonNode runs = api("/api/runs");
        double accBinary = 0, accMulti = 0;
        String hash = null;
        for (JsonNode r : runs.get("rows")) {
            if (r.get("id").asText().equals(binary)) {
                accBinary = r.get("metrics").get("accuracy").asDouble();
                assertEquals("browser-spam", r.get("dataset").asText(), "the dataset by name");
                hash = r.get("datasetHash").asText();
                assertTrue(hash.length() >= 64, hash);
            }
            if (r.get("id").asText().equals(multi)) {
                accMulti = r.get("metrics").get("accuracy").asDouble();
            }
        }
        double cut = (accBinary + accMulti) / 2;
        String higher = accBinary > accMulti ? binary : multi;
        filter.sendKeys("accuracy>" + cut);
        assertEquals(List.of(higher), visibleRuns());
        filter.clear();
        filter.sendKeys("name~sentiment");
        assertEquals(List.of(multi), visibleRuns());
        filter.clear();
        filter.sendKeys("bogus>1");
        assertTrue(driver.findElement(By.cssSelector(".warn")).getText().contains("Unknown column \u2018bogus\u2019"));
        filter.clear();
        filter.sendKeys(Keys.BACK_SPACE);
        // sort by accuracy: descending on the first click, ascending on the second
        WebElement th = driver.findElement(By.cssSelector("th[data-key=accuracy]"));
        th.click();
        String lower = higher.equals(binary) ? multi : binary;
        List<String> down = visibleRuns();
        assertEquals(higher, down.get(0));
        driver.findElement(By.cssSelector("th[data-key=accuracy]")).click();
        List<String> up = visibleRuns();
        assertTrue(up.indexOf(lower) < up.indexOf(higher), up.toString());
        // no wrapping inside names or dates; the data set's hash on hover
        WebElement row = driver.findElement(By.cssSelector("tr[data-run='" + binary + "']"));
        for (WebElement td : row.findElements(By.cssSelector("td.nowrap"))) {
            assertEquals("nowrap", td.getCssValue("white-space"));
            Number h = (Number) js("var r = document.createRange(); r.selectNodeContents(arguments[0]); return r.getBoundingClientRect().height;", td);
            assertTrue(h.doubleValue() < 24, "one line (" + h + " px): " + td.getText());
        }
        assertEquals("browser-spam\n" + hash, row.findElement(By.xpath("td[text()='browser-spam']")).getAttribute("title"),
                "the data set's whole name (it may be cut) and its hash on hover");
        assertEquals(List.of(), problems());
    }

    /** At 1400 px the runs table shows every column it has room for, even with long names, and folds the metric columns
     *  that do not fit into a menu (never cut at the right); at 800 px it scrolls inside its box to the last one. */
    @Test
    void runsTableFitsAt1400PxFoldingMetricColumnsIntoAMenuAndScrollsInItsBoxWhenNarrower() throws Exception {
        Dimension before = driver.manage().window().getSize();
        String measure = "var box = document.querySelector('table.runs').parentNode; var t = box.firstChild;"
                + " var ths = Array.prototype.filter.call(document.querySelectorAll('table.runs th'), function (th) { return th.offsetParent; });"
                + " box.scrollLeft = box.scrollWidth; var last = ths[ths.length - 1].getBoundingClientRect(), b = box.getBoundingClientRect();"
                + " return [box.scrollWidth, box.clientWidth, Math.round(last.right - b.right), getComputedStyle(box).overflowX,"
                + " document.documentElement.scrollWidth - document.documentElement.clientWidth, ths[ths.length - 1].textContent,"
                + " Number(t.getAttribute('data-folded')), document.querySelector('details.columns summary').textContent];";
        String longRun = null;
        try {
            driver.manage().window().setSize(new Dimension(1400, 900));
            open(url("/"));
            @SuppressWarnings("unchecked")
            List<Object> plain = (List<Object>) js(measure);
            assertEquals(0L, ((Number) plain.get(6)).longValue(), "with the fixture's names every metric column fits at 1400 px: " + plain);
            // a run whose every text column is longer than the table shows uncut
            longRun = store.recordRun(new RunSpec("spam-filter-regression-suite-nightly-2026",
                            "evaluate spam-predictions-with-a-very-long-file-name.csv", null, null),
                    Map.of("model", "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2+probe",
                            "predictions", "/data/exports/2026-11-30/spam-predictions-with-a-very-long-file-name.csv"),
                    Map.of("accuracy", MetricValue.of(0.9), "f1", MetricValue.of(0.8), "f1_macro", MetricValue.of(0.85),
                            "roc_auc", MetricValue.of(0.95), "log_loss", MetricValue.of(0.3), "ece", MetricValue.of(0.02))).id();
            open(url("/"));
            @SuppressWarnings("unchecked")
            List<Object> wide = (List<Object>) js(measure);
            assertTrue(((Number) wide.get(0)).longValue() <= ((Number) wide.get(1)).longValue(),
                    "with long names the table still fits its box at 1400 px (scroll width, box width): " + wide);
            long folded = ((Number) wide.get(6)).longValue();
            assertTrue(folded >= 1 && wide.get(7).toString().contains(folded + " hidden"),
                    "what does not fit is folded into the columns menu, which says so: " + wide);
            // the menu shows a folded column again; the table then scrolls inside its box to reach it
            WebElement menu = driver.findElement(By.cssSelector("details.columns"));
            menu.findElement(By.tagName("summary")).click();
            WebElement ece = menu.findElement(By.cssSelector("input[data-col='ece']"));
            assertFalse(ece.isSelected(), "the last metric column is the first to fold");
            ece.click();
            @SuppressWarnings("unchecked")
            List<Object> shown = (List<Object>) js(measure);
            assertEquals("ece", shown.get(5), "the chosen column is back, last: " + shown);
            assertTrue(((Number) shown.get(2)).longValue() <= 1, "scrolled to its end, the chosen column is inside the box: " + shown);
            assertEquals(0L, ((Number) shown.get(4)).longValue(), "the page itself does not scroll sideways");
            WebElement name = driver.findElement(By.cssSelector("tr[data-run='" + longRun + "'] td.cut"));
            assertEquals("evaluate spam-predictions-with-a-very-long-file-name.csv", name.getAttribute("title"), "a cut name is whole on hover");
            driver.manage().window().setSize(new Dimension(800, 900));
            open(url("/"));
            @SuppressWarnings("unchecked")
            List<Object> narrow = (List<Object>) js(measure);
            assertEquals("auto", narrow.get(3), "the box scrolls: " + narrow);
            assertTrue(((Number) narrow.get(0)).longValue() > ((Number) narrow.get(1)).longValue(), "narrower, the table is wider than its box: " + narrow);
            assertTrue(((Number) narrow.get(2)).longValue() <= 1, "scrolled to its end, the last column (" + narrow.get(5) + ") is inside the box: " + narrow);
            assertEquals(0L, ((Number) narrow.get(4)).longValue(), "the page itself does not scroll sideways");
        } finally {
            driver.manage().window().setSize(before);
            if (longRun != null) {
                store.deleteRun(longRun);
            }
        }
        assertEquals(List.of(), problems());
    }

    List<String> visibleRuns() {
        List<String> out = new ArrayList<>();
        for (WebElement tr : driver.findElements(By.cssSelector("table.runs tbody tr"))) {
            if (tr.isDisplayed()) {
                out.add(tr.getAttribute("data-run"));
            }
        }
        return out;
    }

    @Test
    void compareTableLeadsWithHeadlineMetricsColoursDeltasByDirectionAndWarnsOnDifferentData() throws Exception {
        open(url("/compare?runs=" + binary + "," + multi));
        List<WebElement> heads = driver.findElements(By.cssSelector("#panel-compare .metrics-table > table thead th"));
        assertTrue(heads.get(1).getText().endsWith("(baseline)"), "the baseline is named: " + heads.get(1).getText());
        List<String> first = new ArrayList<>();
        for (WebElement tr : driver.findElements(By.cssSelector("#panel-compare .metrics-table > table tbody tr"))) {
            first.add(tr.findElement(By.tagName("td")).getText());
        }
        assertEquals("accuracy", first.get(0), "headline metrics first: " + first);
        assertTrue(first.contains("log_loss") && !first.contains("f1_micro"), first.toString());
        // micro averages equal to accuracy are folded away and marked
        String folded = (String) js("return document.querySelector('#panel-compare details').textContent;");
        assertTrue(folded.contains("f1_micro (= accuracy)"), folded);
        // lower log loss is better, higher accuracy is better: the colours follow each metric's direction
        for (String metric : List.of("accuracy", "log_loss")) {
            WebElement tr = driver.findElement(By.xpath("//*[@id='panel-compare']//div[@class='metrics-table']/table/tbody/tr[td[1]='" + metric + "']"));
            WebElement delta = tr.findElement(By.cssSelector("td.delta"));
            double d = Double.parseDouble(delta.getText());
            boolean better = metric.equals("log_loss") ? d < 0 : d > 0;
            assertTrue(delta.getAttribute("class").contains(better ? "better" : "worse"), metric + " " + d + ": " + delta.getAttribute("class"));
        }
        WebElement warning = driver.findElement(By.cssSelector("[data-role=dataset-warning]"));
        assertTrue(warning.getText().contains("scored on different data"), warning.getText());
        // choosing the other run as the baseline reorders the comparison around it
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.cssSelector("[data-role=baseline]"))).selectByIndex(1);
        waitUpTo(10).until(d -> d.getCurrentUrl().contains("runs=" + multi + "," + binary));
        waitUpTo(10).until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-loupe-ready")));
        assertTrue(driver.findElement(By.cssSelector("#panel-compare .metrics-table > table thead th:nth-child(2)")).getText().contains("(baseline)"));
        // training curves: one small chart per metric, one legend by run
        List<WebElement> minis = driver.findElements(By.cssSelector(".minis .mini"));
        assertEquals(3, minis.size(), "train/loss, val/loss, val/accuracy each on its own chart");
        for (WebElement m : minis) {
            assertEquals(m.getAttribute("data-metric"), m.findElement(By.tagName("h3")).getText(), "each chart is titled by its metric");
        }
        assertEquals(1, driver.findElements(By.cssSelector(".legend")).size());
        assertEquals(List.of(), problems());
    }

    @Test
    void sampleDetailOpensUnderTheClickedRowInView() throws Exception {
        open(url("/runs/" + binary));
        List<WebElement> rows = driver.findElements(By.cssSelector("#panel-samples tbody tr.clickable"));
        WebElement row = rows.get(12);
        js("arguments[0].scrollIntoView({block: 'end'});", row);
        row.click();
        WebElement detail = driver.findElement(By.cssSelector("#panel-samples tr.detail"));
        assertEquals(row.getLocation().getY() + row.getSize().getHeight(), detail.getLocation().getY(), 2, "right under the row");
        @SuppressWarnings("unchecked")
        Map<String, Object> box = (Map<String, Object>) js("var r = arguments[0].getBoundingClientRect(); return {top: r.top, bottom: r.bottom, h: window.innerHeight};", detail);
        assertTrue(((Number) box.get("top")).doubleValue() >= 0 && ((Number) box.get("top")).doubleValue() < ((Number) box.get("h")).doubleValue(), "in view: " + box);
        WebElement id = row.findElement(By.cssSelector("td.id"));
        assertEquals("nowrap", id.getCssValue("white-space"));
        assertTrue(detail.getText().contains("Sample " + id.getText()));
        row.click();
        assertTrue(driver.findElements(By.cssSelector("#panel-samples tr.detail")).isEmpty(), "a second click closes it");
        assertEquals(List.of(), problems());
    }

    @Test
    void thresholdExplorerOpensAtTheRunsThresholdAndTooltipsGiveThresholdsAndCounts() throws Exception {
        JsonNode vm = api("/api/runs/" + binary + "/panels/threshold");
        open(url("/runs/" + binary));
        WebElement panel = driver.findElement(By.id("panel-threshold"));
        int at = atOrAbove(vm, 0.5);
        assertEquals(String.valueOf(at), panel.findElement(By.cssSelector("input[type=range]")).getAttribute("value"),
                "opens where the run's threshold (0.5) puts it, not at best F1 (" + vm.get("bestF1").get("threshold") + ")");
        // there, the matrix is the overview's: positive iff score >= 0.5
        assertTrue(vm.get("thresholds").get(at).asDouble() >= 0.5 && (at + 1 == vm.get("thresholds").size()
                || vm.get("thresholds").get(at + 1).asDouble() < 0.5));
        assertTrue(panel.getText().contains("predicted ham") && panel.getText().contains("true ham") && !panel.getText().contains("other"), panel.getText());
        // the label says the run's threshold, not the sweep's score that predicts as it does
        assertEquals("spam when score \u2265 0.5", panel.findElement(By.cssSelector(".big")).getText());
        assertTrue(vm.get("thresholds").get(at).asDouble() > 0.5, "the sweep reaches it above 0.5: " + vm.get("thresholds").get(at));
        String marks = (String) js("return JSON.stringify(echarts.getInstanceByDom(arguments[0]).getOption().series[0].markLine.data);", panel.findElement(By.cssSelector(".chart")));
        assertTrue(marks.contains("best F1"), marks);
        // ROC: one line per curve with its threshold, the chance line left out
        String roc = (String) js("var c = echarts.getInstanceByDom(document.querySelector('#panel-roc .chart')); var o = c.getOption();"
                + " var s = o.series[0]; var p = {seriesName: s.name, value: s.data[400]};"
                + " return o.tooltip[0].formatter([p, {seriesName: 'chance', value: [0.5, 0.5]}, p]);");
        assertEquals(2, roc.split("\n").length, roc);
        assertTrue(roc.contains("threshold 0.") && !roc.contains("chance"), roc);
        // calibration: the bin's example count
        String cal = (String) js("var c = echarts.getInstanceByDom(document.querySelector('#panel-calibration .chart'));"
                + " return c.getOption().tooltip[0].formatter({seriesIndex: 2, dataIndex: 9});");
        JsonNode bin = api("/api/runs/" + binary + "/panels/calibration").get("uniform").get("bins").get(9);
        assertTrue(cal.contains("examples: " + bin.get("weight").asLong()), cal + " vs " + bin);
        assertEquals(List.of(), problems());
    }

    /** The sweep's index that predicts as threshold t does: the lowest threshold at or above t (thresholds decrease). */
    static int atOrAbove(JsonNode vm, double t) {
        int best = 0;
        for (int i = 0; i < vm.get("thresholds").size(); i++) {
            if (vm.get("thresholds").get(i).asDouble() >= t) {
                best = i;
            }
        }
        return best;
    }

    @Test
    void thresholdSliderChangesPrecisionAndRecall() throws Exception {
        JsonNode vm = api("/api/runs/" + binary + "/panels/threshold");
        open(url("/runs/" + binary));
        WebElement slider = driver.findElement(By.cssSelector("#panel-threshold input[type=range]"));
        String precision = metricCard("threshold", "precision");
        String recall = metricCard("threshold", "recall");
        slider.sendKeys(Keys.HOME);
        assertEquals("0", slider.getAttribute("value"));
        assertEquals(fmt(vm.get("precision").get(0).asDouble()), metricCard("threshold", "precision"));
        assertEquals(fmt(vm.get("recall").get(0).asDouble()), metricCard("threshold", "recall"));
        assertNotEquals(precision + "/" + recall, metricCard("threshold", "precision") + "/" + metricCard("threshold", "recall"));
        int last = vm.get("thresholds").size() - 1;
        slider.sendKeys(Keys.END);
        assertEquals(String.valueOf(last), slider.getAttribute("value"));
        assertEquals(fmt(vm.get("precision").get(last).asDouble()), metricCard("threshold", "precision"));
        assertEquals(fmt(vm.get("recall").get(last).asDouble()), metricCard("threshold", "recall"));
        // one step left moves to the neighbouring threshold of the sweep
        slider.sendKeys(Keys.ARROW_LEFT);
        assertEquals(fmt(vm.get("recall").get(last - 1).asDouble()), metricCard("threshold", "recall"));
        assertEquals(List.of(), problems());
    }

    @Test
    void clickingAConfusionCellListsExactlyItsSamples() throws Exception {
        JsonNode vm = api("/api/runs/" + binary + "/panels/confusion");
        List<String> labels = new ArrayList<>();
        vm.get("labels").forEach(l -> labels.add(l.asText()));
        open(url("/runs/" + binary));
        WebElement chart = driver.findElement(By.cssSelector("#panel-confusion .chart"));
        for (int[] cell : new int[][]{{0, 1}, {1, 0}, {1, 1}}) { // {true, predicted}: false positives, misses, hits
            int expected = vm.get("counts").get(cell[0]).get(cell[1]).asInt();
            js("arguments[0].scrollIntoView({block: 'center'});", chart);
            @SuppressWarnings("unchecked")
            List<Number> px = (List<Number>) js("return echarts.getInstanceByDom(arguments[0]).convertToPixel({seriesIndex: 0}, [arguments[1], arguments[2]]);",
                    chart, cell[1], cell[0]);
            Dimension size = chart.getSize();
            new Actions(driver).moveToElement(chart, (int) Math.round(px.get(0).doubleValue() - size.width / 2.0),
                    (int) Math.round(px.get(1).doubleValue() - size.height / 2.0)).click().perform();
            String want = "page 1 of " + (expected + 24) / 25 + " \u00b7 " + expected + " matching of " + EXAMPLES;
            WebElement pager = driver.findElement(By.cssSelector("#panel-samples [data-role=pager]"));
            waitUpTo(10).until(d -> pager.getText().contains(want));
            // the listed samples (the first one opens under its row, with tables of its own)
            List<WebElement> rows = driver.findElements(By.cssSelector("#panel-samples tbody tr.clickable"));
            assertEquals(Math.min(25, expected), rows.size());
            for (WebElement row : rows) {
                List<WebElement> td = row.findElements(By.tagName("td"));
                assertEquals(labels.get(cell[0]), td.get(1).getText(), "true class of a listed sample");
                assertEquals(labels.get(cell[1]), td.get(2).getText(), "predicted class of a listed sample");
            }
        }
        assertEquals(List.of(), problems());
    }

    @Test
    void pointsLoggedToARunningRunAppearWithoutReload() throws Exception {
        try (Run run = Loupe.start(store, false, RunSpec.of("live training"), Map.of("lr", 0.01),
                new Run.Options(Duration.ofMillis(50), Duration.ofSeconds(5), 1000))) {
            for (int step = 1; step <= 5; step++) {
                run.log("train/loss", step, 1.0 / step);
            }
            run.flush();
            open(url("/runs/" + run.id()));
            String count = "var s = echarts.getInstanceByDom(document.querySelector('#panel-curves .chart')).getOption().series;"
                    + " for (var i = 0; i < s.length; i++) { if (s[i].name === 'train/loss') { return s[i].data.length; } } return 0;";
            assertEquals(5L, js(count));
            js("window.__sameDocument = 'yes';");
            for (int step = 6; step <= 8; step++) {
                run.log("train/loss", step, 1.0 / step);
            }
            run.flush();
            waitUpTo(15).until(d -> Long.valueOf(8).equals(js(count)));
            assertEquals("yes", js("return window.__sameDocument;"), "the page was not reloaded");
            assertEquals(8L, js("var s = echarts.getInstanceByDom(document.querySelector('#panel-curves .chart')).getOption().series;"
                    + " var d = s.filter(function (x) { return x.name === 'train/loss'; })[0].data; return d[d.length - 1][0];"));
            screenshot("dashboard-live");
            run.close(RunStatus.FINISHED);
            waitUpTo(15).until(d -> d.findElement(By.id("panel-curves")).getText().contains("The run has ended."));
        }
        assertEquals(List.of(), problems());
    }

    @Test
    void theChartOfAWatchedLogGrowsWhileTheFileGrowsWithin2s() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("watched"));
        Path csv = logs.resolve("metrics.csv");
        Files.writeString(csv, "epoch,loss,done\n0,1.0,False\n1,0.5,False\n");
        server.pollMillis(1000); // the dashboard's own poll, so that the latency measured is the user's
        try (dev.loupe.store.importers.LogWatcher w = dev.loupe.store.importers.LogWatcher.create(store, List.of(logs),
                dev.loupe.store.importers.LogWatcher.Options.DEFAULT.withQuietAfter(Duration.ofSeconds(60)), m -> { }).start()) {
            String id = w.runs().get("csv:" + csv.toRealPath());
            open(url("/runs/" + id));
            String count = "var s = echarts.getInstanceByDom(document.querySelector('#panel-curves .chart')).getOption().series;"
                    + " for (var i = 0; i < s.length; i++) { if (s[i].name === 'loss') { return s[i].data.length; } } return 0;";
            assertEquals(2L, js(count));
            js("window.__sameDocument = 'yes';");
            long worst = 0;
            for (int epoch = 2; epoch <= 5; epoch++) {
                Files.writeString(csv, epoch + "," + (1.0 / (epoch + 1)) + ",False\n", java.nio.file.StandardOpenOption.APPEND);
                long t0 = System.nanoTime();
                long want = epoch + 1;
                waitUpTo(10).pollingEvery(Duration.ofMillis(20)).until(d -> Long.valueOf(want).equals(js(count)));
                worst = Math.max(worst, (System.nanoTime() - t0) / 1_000_000);
            }
            System.out.println("[browser] watched CSV log: a line appended is on the chart after at most " + worst + " ms");
            assertTrue(worst <= 2000, "a line written to the log is on the chart within 2 s; worst " + worst + " ms");
            assertEquals("yes", js("return window.__sameDocument;"), "the page was not reloaded");
            screenshot("dashboard-watch");
        } finally {
            server.pollMillis(100);
        }
        assertEquals(List.of(), problems());
    }

    @Test
    void robustnessGeneralizationAndWeakSlicesPanelsDrawTheirNumbersAndDiffHostileTextsAsText() throws Exception {
        assertEquals(List.of(), open(url("/runs/" + binary)));
        // robustness: one line per kind against severity (clean at 0) with error bars; the table; flipped examples diffed
        WebElement rob = driver.findElement(By.id("panel-robustness"));
        String series = (String) js("var o = echarts.getInstanceByDom(document.querySelector('#panel-robustness .chart')).getOption();"
                + "return o.series.filter(function (s) { return s.type === 'line'; }).map(function (s) { return s.name + ':' + s.data.length; }).join(',');");
        assertEquals("typo:4,homoglyph:4", series);
        assertEquals(7, rob.findElements(By.cssSelector("table.robustness-table tbody tr")).size(), "clean and six perturbations");
        List<WebElement> flips = rob.findElements(By.cssSelector(".flipped .flip"));
        assertEquals(BrowserFixture.HOSTILE.size(), flips.size());
        for (int i = 0; i < flips.size(); i++) {
            String hostile = BrowserFixture.HOSTILE.get(i);
            WebElement clean = flips.get(i).findElement(By.cssSelector(".diff.clean"));
            WebElement perturbed = flips.get(i).findElement(By.cssSelector(".diff.perturbed"));
            assertEquals("clean: " + hostile, clean.getAttribute("textContent"));
            assertEquals("perturbed: free " + hostile.replace("window", "wndow"), perturbed.getAttribute("textContent"));
            assertTrue(perturbed.findElement(By.tagName("ins")).getAttribute("textContent").startsWith("free "), "the added word is marked");
            assertTrue(!clean.findElements(By.tagName("del")).isEmpty(), "the changed words are struck through");
        }
        // generalization: in and out reliability diagrams overlaid, the gaps with intervals
        WebElement gen = driver.findElement(By.id("panel-generalization"));
        assertEquals("in distribution,out of distribution,perfectly calibrated", js("return echarts.getInstanceByDom("
                + "document.querySelector('#panel-generalization .chart')).getOption().series.map(function (s) { return s.name; }).join(',');"));
        String acc = gen.findElement(By.xpath(".//table[contains(@class,'ood-gaps')]//tr[td[1]='accuracy']")).getText();
        assertTrue(acc.matches("accuracy \\d\\.\\d{4} \\[.*\\] \\d\\.\\d{4} \\[.*\\] [+-]?\\d\\.\\d{4} \\[.*\\]"), acc);
        assertTrue(gen.getText().contains("later " + BrowserFixture.HOSTILE_NAME), gen.getText());
        // the heatmap: a cell per pair of slices, its accuracy written in it, another metric chosen in its selector
        String cells = "var c = echarts.getInstanceByDom(document.querySelector('#panel-slices .heatmap .chart')).getOption();"
                + "return c.series[0].type + ':' + c.series[0].data.length + ':' + c.yAxis[0].data.length + 'x' + c.xAxis[0].data.length;";
        assertEquals("heatmap:10:5x2", js(cells));
        WebElement metric = driver.findElement(By.xpath("//section[@id='panel-slices']//label[contains(., 'metric')]/select"));
        new org.openqa.selenium.support.ui.Select(metric).selectByValue("roc_auc");
        assertEquals("heatmap:10:5x2", js(cells));
        assertTrue(driver.findElement(By.cssSelector("#panel-slices")).getText().contains("source \u00d7 half"));
        // weak slices listed under the slices, hostile slice names as text
        WebElement weak = driver.findElement(By.cssSelector("#panel-slices table.weak-slices"));
        assertTrue(!weak.findElements(By.cssSelector("tbody tr")).isEmpty(), "weak slices listed");
        screenshot("panels-robustness-generalization");
        assertNull(js(PWNED));
        assertEquals(0L, js("return document.querySelectorAll('#panel-robustness img, #panel-robustness script, #panel-generalization img').length;"));
        assertEquals(List.of(), problems());
    }

    @Test
    void hostileTextIsShownAsTextAndNeverRunsInTheDashboard() throws Exception {
        open(url("/runs/" + binary));
        WebElement samples = driver.findElement(By.id("panel-samples"));
        for (String hostile : BrowserFixture.HOSTILE) {
            assertTrue(samples.getText().contains(hostile.substring(0, Math.min(hostile.length(), 60)).trim().split("\n")[0]),
                    "shown as text: " + hostile);
        }
        // open every hostile sample's page, search for a payload, hover the slices chart
        for (WebElement row : driver.findElements(By.cssSelector("#panel-samples tbody tr")).subList(0, BrowserFixture.HOSTILE.size())) {
            row.click();
        }
        WebElement search = driver.findElement(By.cssSelector("#panel-samples input[placeholder=text]"));
        search.sendKeys("<script>", Keys.ENTER);
        waitUpTo(10).until(d -> d.findElement(By.id("panel-samples")).getText().contains("matching of " + EXAMPLES));
        new Actions(driver).moveToElement(driver.findElement(By.cssSelector("#panel-slices .chart"))).perform();
        // the fairness panel: the hostile group's name as text in its table, the gaps with their intervals
        WebElement fairness = driver.findElement(By.id("panel-fairness"));
        new Actions(driver).moveToElement(fairness.findElement(By.cssSelector(".chart"))).perform();
        assertTrue(fairness.getText().contains(BrowserFixture.HOSTILE_SOURCE), fairness.getText());
        assertTrue(fairness.getText().contains("demographic_parity_difference"), fairness.getText());
        assertTrue(fairness.getText().matches("(?s).*equalized_odds_difference\\s+\\d\\.\\d{4}\\s+\\[\\d\\.\\d{4}, \\d\\.\\d{4}\\].*"),
                fairness.getText());
        assertTrue(driver.findElement(By.tagName("body")).getText().contains(BrowserFixture.HOSTILE_SOURCE));
        assertTrue(driver.getTitle().contains(BrowserFixture.HOSTILE_NAME), driver.getTitle());
        assertNull(js(PWNED));
        assertEquals(0L, js("return document.querySelectorAll('#loupe-root script, #loupe-root img, #loupe-root svg:not(.chart svg), #loupe-root a[href^=javascript]').length;"));
        open(url("/"));
        assertNull(js(PWNED));
        assertEquals(List.of(), problems());
    }

    @Test
    void theReportWorksFromAFileAndNeverRunsHostileText() throws Exception {
        Path report = dir.resolve("report.html");
        Cli r = Cli.run("report", binary, multi, "-o", report.toString(), "--store", dir.resolve("loupe.db").toString());
        assertEquals(0, r.exit(), r.err());
        long bytes = Files.size(report);
        System.out.printf("[browser] report of a %,d-example run plus a 900-example run: %,d bytes%n", EXAMPLES, bytes);
        assertTrue(bytes < 5_000_000, "report size " + bytes);
        List<String> problems = open(report.toUri().toString());
        screenshot("report");
        assertEquals(List.of(), problems);
        assertNull(js(PWNED));
        String text = driver.findElement(By.tagName("body")).getText();
        assertTrue(text.contains("<img src=x onerror=\"window.__pwned=2\">"), "hostile text shown as text");
        // interactive from file:// too: the slider, and a sample's page
        WebElement slider = driver.findElement(By.cssSelector("#run-" + binary + " [data-panel=threshold] input[type=range]"));
        String before = driver.findElement(By.cssSelector("#run-" + binary + " [data-metric='precision'] .value")).getText();
        slider.sendKeys(Keys.HOME);
        assertNotEquals(before, driver.findElement(By.cssSelector("#run-" + binary + " [data-metric='precision'] .value")).getText());
        for (WebElement row : driver.findElements(By.cssSelector("#run-" + binary + " [data-panel=samples] tbody tr")).subList(0, 5)) {
            row.click();
        }
        assertNull(js(PWNED));
        assertEquals(List.of(), problems());
    }

    @Test
    void aWeightedRunsConfusionMatrixSaysWeightedCounts() throws Exception {
        Path csv = dir.resolve("weighted.csv");
        StringBuilder sb = new StringBuilder("id,label,score,weight\n");
        for (int i = 0; i < 40; i++) {
            sb.append("w-").append(i).append(',').append(i % 2 == 0 ? "spam" : "ham").append(',')
                    .append(i % 2 == 0 ? 0.6 + (i % 5) * 0.05 : 0.1 + (i % 7) * 0.1).append(',').append(0.5 + (i % 3)).append('\n');
        }
        Files.writeString(csv, sb);
        Cli ev = Cli.run("evaluate", "--predictions", csv.toString(), "--positive-label", "spam", "--bootstrap", "0",
                "--store", dir.resolve("loupe.db").toString());
        assertEquals(0, ev.exit(), ev.err());
        String id = store.listRuns(null).stream().filter(r -> r.provenance() != null && r.provenance().command() != null
                && r.provenance().command().contains("weighted.csv")).findFirst().orElseThrow().id();
        try {
            open(url("/runs/" + id));
            WebElement panel = driver.findElement(By.id("panel-confusion"));
            assertTrue(panel.getText().contains("Cells are weighted counts"), panel.getText());
            assertEquals("weighted counts", new org.openqa.selenium.support.ui.Select(panel.findElement(By.tagName("select")))
                    .getFirstSelectedOption().getText());
            assertEquals(List.of(), problems());
        } finally {
            store.deleteRun(id);
        }
    }

    @Test
    void aFourRunReportHasUniqueElementIds() throws Exception {
        String third = BrowserFixture.multiClass(store, 300, 12);
        String fourth = BrowserFixture.multiClass(store, 300, 13);
        Path report = dir.resolve("report-4.html");
        Cli r = Cli.run("report", binary, multi, third, fourth, "-o", report.toString(), "--store", dir.resolve("loupe.db").toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of(), open(report.toUri().toString()));
        @SuppressWarnings("unchecked")
        List<String> dupes = (List<String>) js("var seen = {}, d = []; document.querySelectorAll('[id]').forEach(function (e) {"
                + " if (seen[e.id]) { d.push(e.id); } seen[e.id] = true; }); return d;");
        assertEquals(List.of(), dupes);
        assertEquals(4, driver.findElements(By.cssSelector("[data-panel=overview]")).size());
        store.deleteRun(third);
        store.deleteRun(fourth);
    }

    /**
     * Issue 11's "a run with 1,000,000 kept examples stays usable": the run recorded by the CLI as users make it
     * ({@code evaluate --keep-rows 1000000}), then the first chart on a fresh server, the samples panel's first page
     * and a confusion cell's fourth page (its rows by loss, as a click on the cell asks). A timing check, run on request:
     * {@code -Dgroups=perf -Dloupe.cli.excludedGroups=none}.
     */
    @Test
    @Tag("perf")
    void aRunOfAMillionKeptExamplesStaysUsable() throws Exception {
        int n = 1_000_000;
        Path csv = dir.resolve("million.csv");
        Random rnd = new Random(5);
        StringBuilder b = new StringBuilder(n * 30).append("id,label,score,source\n");
        for (int i = 0; i < n; i++) {
            boolean spam = rnd.nextDouble() < 0.3;
            double p = 1 / (1 + Math.exp(-((spam ? 1.6 : -1.6) + 1.4 * rnd.nextGaussian())));
            b.append("m-").append(i).append(spam ? ",spam," : ",ham,").append(String.format(Locale.ROOT, "%.6f", p))
                    .append(",s").append(i % 7).append('\n');
        }
        Files.writeString(csv, b);
        Path db = dir.resolve("million.db");
        Cli r = Cli.run("evaluate", "--predictions", csv.toString(), "--positive-label", "spam", "--keep-rows", "1000000",
                "--bootstrap", "0", "--store", db.toString(), "-q");
        assertEquals(0, r.exit(), r.err());
        try (RunStore million = RunStore.open(StoreLocation.sqlite(db));
             DashboardServer fresh = DashboardServer.start(million, PanelRegistry.standard(), "127.0.0.1", 0, null, false)) {
            String id = million.listRuns(null).get(0).id();
            assertEquals(n, million.predictionCount(id));
            List<Long> ms = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                open("http://127.0.0.1:" + fresh.port() + "/runs/" + id);
                waitUpTo(30).until(d -> d.findElement(By.tagName("body")).getAttribute("data-first-chart-ms") != null);
                ms.add(Long.parseLong(driver.findElement(By.tagName("body")).getAttribute("data-first-chart-ms")));
            }
            long[] samples = new long[2];
            String base = "http://127.0.0.1:" + fresh.port() + "/api/runs/" + id + "/panels/samples";
            for (int j = 0; j < 2; j++) {
                long t0 = System.nanoTime();
                HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(j == 0 ? base
                        : base + "?label=ham&pred=spam&page=3")).build(), HttpResponse.BodyHandlers.ofString());
                samples[j] = (System.nanoTime() - t0) / 1_000_000;
                assertEquals(200, page.statusCode(), page.body());
            }
            System.out.printf("[browser] run of %,d kept examples: first chart, first visit %d ms, then %s ms; samples first page %d ms,"
                    + " a confusion cell's page 4 (as a click on the cell asks: by loss) %d ms%n", n, ms.get(0), ms.subList(1, ms.size()), samples[0], samples[1]);
            assertTrue(ms.get(0) <= 1500, "first chart after " + ms.get(0) + " ms: " + ms);
            assertTrue(samples[1] <= 1500, "a confusion cell's page after " + samples[1] + " ms");
        }
    }

    @Test
    void firstChartOfARunOf100kExamplesRendersWithin1500ms() throws Exception {
        // a fresh server: the first visit reads and parses the 100,000 stored rows, later visits use its cache
        try (DashboardServer fresh = DashboardServer.start(store, PanelRegistry.standard(), "127.0.0.1", 0, null, false)) {
            List<Long> ms = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                open("http://127.0.0.1:" + fresh.port() + "/runs/" + binary);
                waitUpTo(10).until(d -> d.findElement(By.tagName("body")).getAttribute("data-first-chart-ms") != null);
                ms.add(Long.parseLong(driver.findElement(By.tagName("body")).getAttribute("data-first-chart-ms")));
            }
            List<Long> warm = new ArrayList<>(ms.subList(1, ms.size()));
            warm.sort(null);
            long median = (warm.get(1) + warm.get(2)) / 2;
            System.out.printf("[browser] navigation to first chart, run of %,d examples: first visit %d ms, then %s ms (median %d)%n",
                    EXAMPLES, ms.get(0), ms.subList(1, ms.size()), median);
            assertTrue(median <= 1500, "median first chart after " + median + " ms: " + ms);
        }
    }
}
