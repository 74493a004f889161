package dev.loupe.cli;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Debian's headless Chromium through its chromedriver, at explicit paths ({@code LOUPE_CHROMIUM} /
 * {@code LOUPE_CHROMEDRIVER} override them), with a fresh profile and the browser console log kept.
 */
final class Chromium {
    private Chromium() {
    }

    /** {chromium, chromedriver}; skips the test when missing, except under CI ({@code CI} set), where it fails. */
    static Path[] locate() {
        Path chromium = firstExisting(System.getenv("LOUPE_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser",
                "/usr/bin/google-chrome");
        Path chromedriver = firstExisting(System.getenv("LOUPE_CHROMEDRIVER"), "/usr/bin/chromedriver");
        if (chromium == null || chromedriver == null) {
            String why = "Chromium or chromedriver is missing (apt-get install chromium chromium-driver, or set "
                    + "LOUPE_CHROMIUM and LOUPE_CHROMEDRIVER)";
            if (System.getenv("CI") != null) {
                fail(why + ": CI must run the browser tests");
            }
            Assumptions.abort(why);
        }
        return new Path[]{chromium, chromedriver};
    }

    static ChromeDriver start(Path profile) throws IOException {
        Path[] browser = locate();
        ChromeOptions o = new ChromeOptions();
        o.setBinary(browser[0].toFile());
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createDirectories(profile), "--window-size=1400,1000", "--hide-scrollbars");
        o.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(browser[1].toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, o);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        return driver;
    }

    /** Opens {@code url} and waits until the front end has booted (every deferred panel included). */
    static void open(org.openqa.selenium.WebDriver driver, String url) {
        driver.get(url);
        new org.openqa.selenium.support.ui.WebDriverWait(driver, Duration.ofSeconds(30)).until(d ->
                "true".equals(d.findElement(org.openqa.selenium.By.tagName("body")).getAttribute("data-loupe-ready")));
    }

    private static Path firstExisting(String... candidates) {
        return Arrays.stream(candidates).filter(c -> c != null && !c.isBlank()).map(Path::of)
                .filter(Files::isExecutable).findFirst().orElse(null);
    }
}
