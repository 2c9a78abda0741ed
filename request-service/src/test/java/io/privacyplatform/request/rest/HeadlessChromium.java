package io.privacyplatform.request.rest;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's chromium + chromium-driver) for the browser tests of the service's pages, with
 * a throw-away profile, and what those tests wait for and keep (screenshots under {@code target/}).
 */
final class HeadlessChromium implements AutoCloseable {

    static final File CHROMIUM = new File("/usr/bin/chromium");
    static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final WebDriver browser;
    private final Path profile;

    private HeadlessChromium(WebDriver browser, Path profile) {
        this.browser = browser;
        this.profile = profile;
    }

    /** Starts a browser, or skips the test where none is installed (fails instead in CI, see requireBrowser). */
    static HeadlessChromium start(String name) throws Exception {
        requireBrowser(CHROMIUM, CHROMEDRIVER, System.getenv("CI"));
        Path profile = Files.createTempDirectory(name + "-chromium-");
        Path downloads = Files.createDirectories(profile.resolve("downloads"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        // Files the pages hand out land in the profile, where the test finds them, without asking.
        options.setExperimentalOption("prefs", java.util.Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1280,800");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort().build();
        WebDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return new HeadlessChromium(browser, profile);
    }

    /**
     * Skips, saying why, where Chromium is not installed (a developer's machine); in CI ({@code CI=true}, as CI
     * systems and {@code .ci/run} set it) a missing browser fails the run instead, so that the pages never go
     * untested unnoticed.
     */
    static void requireBrowser(File chromium, File chromedriver, String ci) {
        boolean installed = chromium.canExecute() && chromedriver.canExecute();
        String missing = "the browser tests need " + chromium + " and " + chromedriver
                + " (apt-get install chromium chromium-driver)";
        if (!installed && "true".equalsIgnoreCase(ci == null ? null : ci.trim())) {
            Assertions.fail("CI=true: " + missing);
        }
        Assumptions.assumeTrue(installed, "SKIPPED: " + missing);
    }

    WebDriver driver() {
        return browser;
    }

    /** Where the browser saves downloads. */
    Path downloads() {
        return profile.resolve("downloads");
    }

    /**
     * Waits for the page whose URL contains {@code urlPart} to have loaded. Waiting for an element is not enough
     * after a form submit: the page being left may have it too.
     */
    void waitForPage(String urlPart) {
        new WebDriverWait(browser, WAIT).until(d -> d.getCurrentUrl().contains(urlPart)
                && "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
    }

    void waitFor(By locator) {
        new WebDriverWait(browser, WAIT).until(d -> !d.findElements(locator).isEmpty());
    }

    /** The visible page as {@code target/<name>} (a path below target/ may name a folder). */
    Path screenshot(String name) throws Exception {
        File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    @Override
    public void close() throws Exception {
        browser.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
