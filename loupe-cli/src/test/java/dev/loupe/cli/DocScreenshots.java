package dev.loupe.cli;

import dev.loupe.report.PanelRegistry;
import dev.loupe.server.DashboardServer;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunStore;
import dev.loupe.store.StoreLocation;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Not a test: writes the screenshots under docs/screenshots/ from a real store (the demo's), on request only —
 * {@code tools/screenshots.sh}. Skipped unless {@code loupe.screenshots.store} is set.
 */
class DocScreenshots {
    @TempDir
    Path dir;

    @Test
    void writeScreenshots() throws Exception {
        String storeArg = System.getProperty("loupe.screenshots.store");
        Assumptions.assumeTrue(storeArg != null && !storeArg.isBlank(), "set -Dloupe.screenshots.store to write screenshots");
        Path out = Files.createDirectories(Path.of(System.getProperty("loupe.screenshots.out", "target/doc-screenshots")));
        try (RunStore store = RunStore.open(StoreLocation.parse(storeArg));
             DashboardServer server = DashboardServer.start(store, PanelRegistry.standard(), "127.0.0.1", 0, null, false)) {
            List<RunInfo> demo = store.listRuns("demo-spam-assassin");
            Assumptions.assumeFalse(demo.isEmpty(), "the store has no demo runs: run ./loupe demo first");
            RunInfo run = demo.stream().filter(r -> r.name().endsWith("minilm-q")).findFirst().orElse(demo.get(0));
            String base = "http://127.0.0.1:" + server.port();
            ChromeDriver driver = Chromium.start(dir.resolve("profile"));
            try {
                open(driver, base + "/");
                Files.write(out.resolve("runs.png"), driver.getScreenshotAs(OutputType.BYTES));
                Set<String> empty = cards(driver, base, run, out, null);
                // a panel the demo run leaves empty (fairness needs --group-col) is shown from a run that has it
                for (RunInfo other : store.listRuns(null)) {
                    if (!empty.isEmpty() && !other.id().equals(run.id())) {
                        empty.removeAll(cards(driver, base, other, out, empty));
                    }
                }
                String ids = demo.stream().limit(4).map(RunInfo::id).collect(Collectors.joining(","));
                open(driver, base + "/compare?runs=" + ids);
                fullHeight(driver);
                Files.write(out.resolve("compare.png"), driver.getScreenshotAs(OutputType.BYTES));
            } finally {
                driver.quit();
            }
            System.out.println("screenshots of run " + run.id() + " written to " + out.toAbsolutePath());
        }
    }

    /**
     * Writes the run page's panel screenshots, all of them or only those named in {@code only}; returns the ids of
     * the panels it found empty (those are not written when {@code only} is given).
     */
    private static Set<String> cards(ChromeDriver driver, String base, RunInfo run, Path out, Set<String> only) throws Exception {
        open(driver, base + "/runs/" + run.id());
        fullHeight(driver); // element screenshots are clipped to the window
        Set<String> empty = new LinkedHashSet<>();
        for (WebElement card : driver.findElements(By.cssSelector("section.card"))) {
            String id = card.getAttribute("id");
            boolean isEmpty = card.getAttribute("class").contains("empty");
            if (isEmpty) {
                empty.add(id);
            }
            if (only == null || (only.contains(id) && !isEmpty)) {
                ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView();", card);
                Files.write(out.resolve(id + ".png"), card.getScreenshotAs(OutputType.BYTES));
                System.out.println(id + ".png from run " + run.id() + " (" + run.name() + ")");
            }
        }
        return empty;
    }

    private static void fullHeight(ChromeDriver driver) {
        long height = (Long) ((JavascriptExecutor) driver).executeScript("return document.documentElement.scrollHeight;");
        driver.manage().window().setSize(new Dimension(1400, (int) Math.min(height + 100, 16_000)));
    }

    private static void open(ChromeDriver driver, String url) {
        driver.manage().window().setSize(new Dimension(1400, 900));
        Chromium.open(driver, url);
    }
}
