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
import java.util.List;
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
                open(driver, base + "/runs/" + run.id());
                fullHeight(driver); // element screenshots are clipped to the window
                for (WebElement card : driver.findElements(By.cssSelector("section.card"))) {
                    ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView();", card);
                    Files.write(out.resolve(card.getAttribute("id") + ".png"), card.getScreenshotAs(OutputType.BYTES));
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

    private static void fullHeight(ChromeDriver driver) {
        long height = (Long) ((JavascriptExecutor) driver).executeScript("return document.documentElement.scrollHeight;");
        driver.manage().window().setSize(new Dimension(1400, (int) Math.min(height + 100, 16_000)));
    }

    private static void open(ChromeDriver driver, String url) {
        driver.manage().window().setSize(new Dimension(1400, 900));
        Chromium.open(driver, url);
    }
}
