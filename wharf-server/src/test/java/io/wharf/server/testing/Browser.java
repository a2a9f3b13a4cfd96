package io.wharf.server.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by Debian's chromedriver. Both paths are given explicitly so that
 * Selenium never falls back to Selenium Manager, which would try to download a browser or a driver.
 */
public final class Browser implements AutoCloseable {
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  /** The real binary; /usr/bin/chromium is a shell launcher that adds flags and may print noise. */
  static final Path REAL_BINARY = Path.of("/usr/lib/chromium/chromium");
  static final Path LAUNCHER = Path.of("/usr/bin/chromium");
  public static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private final ChromeDriverService service;
  private final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriverService service, ChromeDriver driver, Path profile) {
    this.service = service;
    this.driver = driver;
    this.profile = profile;
  }

  public static boolean available() {
    return Files.isExecutable(DRIVER) && binary() != null;
  }

  private static Path binary() {
    if (Files.isExecutable(REAL_BINARY)) {
      return REAL_BINARY;
    }
    return Files.isExecutable(LAUNCHER) ? LAUNCHER : null;
  }

  /** Skips the calling test when Chromium is missing, or fails it where WHARF_E2E_REQUIRED=true. */
  public static Browser start() {
    PeerTools.assumeAvailable(available(), "chromium and chromium-driver");
    Path profile;
    try {
      profile = Files.createTempDirectory("wharf-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(binary().toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--window-size=1280,900", "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(DRIVER.toString()))
        .usingAnyFreePort()
        .build();
    try {
      return new Browser(service, new ChromeDriver(service, options), profile);
    } catch (RuntimeException e) {
      service.stop();
      deleteTree(profile);
      throw e;
    }
  }

  public WebDriver driver() {
    return driver;
  }

  public Browser open(String url) {
    driver.get(url);
    return this;
  }

  public WebElement find(By by) {
    return driver.findElement(by);
  }

  /**
   * Runs an action that loads another document and returns once the new one has finished loading. The
   * old document is marked with a script property that a fresh document cannot have, which avoids
   * holding an element across the navigation (Chromium reports such elements inconsistently while the
   * old document is being torn down).
   */
  public void navigate(Runnable action) {
    JavascriptExecutor js = (JavascriptExecutor) driver;
    js.executeScript("window.__wharfLeaving = true;");
    action.run();
    new WebDriverWait(driver, Duration.ofSeconds(30)).ignoring(WebDriverException.class).until(d -> {
      Object state = ((JavascriptExecutor) d).executeScript(
          "return window.__wharfLeaving === true ? 'old' : document.readyState;");
      return "complete".equals(state);
    });
  }

  /** The visible text of the whole page, as a person would read it. */
  public String text() {
    return driver.findElement(By.tagName("body")).getText();
  }

  /** Saves the current viewport as target/screenshots/&lt;name&gt;.png, kept as a test artifact. */
  public Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path target = SCREENSHOTS.resolve(name + ".png");
      Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
      deleteTree(profile);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A profile left in the temp directory is harmless; do not hide the test's own outcome.
    }
  }
}
