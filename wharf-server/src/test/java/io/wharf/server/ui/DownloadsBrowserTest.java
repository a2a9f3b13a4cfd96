package io.wharf.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.Browser;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The package page's download counts: the Files tab's column and the Downloads tab's chart, in Chromium. */
class DownloadsBrowserTest {
  static final String CONDA = "zlib-1.2.11-h7b6447c_3.conda";
  static final String BZ2 = "zlib-1.2.11-h7b6447c_3.tar.bz2";

  @TempDir static Path data;
  static Browser browser;
  static TestServer server;

  @BeforeAll
  static void start() throws InterruptedException {
    browser = Browser.start();
    server = TestServer.start(data, Map.of("stats.flush.ms", "100"));
    server.createChannel("stats", "public");
    for (String f : List.of(CONDA, BZ2)) {
      assertThat(server.upload("stats", Fixtures.realPackage(f)).statusCode()).isEqualTo(201);
    }
    for (int i = 0; i < 3; i++) {
      assertThat(server.get("/conda/stats/linux-64/" + CONDA).statusCode()).isEqualTo(200);
    }
    assertThat(server.get("/conda/stats/linux-64/" + BZ2).statusCode()).isEqualTo(200);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (server.getJson("/api/channels/stats/packages/zlib").get("downloads").asLong() < 4
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  @AfterAll
  static void stop() {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  @Test
  void theFilesTabShowsEachFilesDownloads() {
    browser.open(server.url() + "/channels/stats/packages/zlib");

    List<String> headers = browser.driver().findElements(By.cssSelector("#files thead th")).stream()
        .map(WebElement::getText).toList();
    assertThat(headers).contains("Downloads");
    Map<String, String> downloads = new java.util.HashMap<>();
    for (WebElement row : browser.driver().findElements(By.cssSelector("#files tbody tr"))) {
      String file = row.findElement(By.cssSelector("td.file")).getText();
      downloads.put(file, row.findElement(By.cssSelector("td.file-downloads")).getText());
    }
    assertThat(downloads).containsOnly(Map.entry(CONDA, "3"), Map.entry(BZ2, "1"));
    assertThat(browser.find(By.id("downloads-total")).getText()).isEqualTo("4");
    browser.screenshot("package-files-downloads");
  }

  @Test
  void theDownloadsTabChartsTheLastThirtyDaysAndTheChosenRange() {
    browser.open(server.url() + "/channels/stats/packages/zlib");
    browser.navigate(() -> browser.find(By.id("downloads-total")).click());
    assertThat(browser.driver().getCurrentUrl()).endsWith("/channels/stats/packages/zlib?tab=downloads");
    assertThat(browser.find(By.id("tab-downloads")).getDomAttribute("aria-current")).isEqualTo("page");

    List<WebElement> bars = browser.driver().findElements(By.cssSelector("#downloads-chart rect.bar"));
    assertThat(bars).hasSize(30);
    WebElement today = bars.get(29);
    String date = LocalDate.now(ZoneOffset.UTC).toString();
    assertThat(today.getDomAttribute("data-date")).isEqualTo(date);
    assertThat(today.getDomAttribute("data-downloads")).isEqualTo("4");
    assertThat(Double.parseDouble(today.getDomAttribute("height"))).isPositive();
    assertThat(today.getRect().getHeight()).as("drawn, not just described").isPositive();
    assertThat(bars.subList(0, 29)).allMatch(b -> Double.parseDouble(b.getDomAttribute("height")) == 0);
    assertThat(browser.find(By.id("downloads-range-total")).getText()).startsWith("4 downloads from ");
    assertThat(browser.find(By.cssSelector("#downloads-versions tbody tr")).getText()).isEqualTo("1.2.11 4");
    ((org.openqa.selenium.JavascriptExecutor) browser.driver())
        .executeScript("document.getElementById('downloads-range-total').scrollIntoView();");
    browser.screenshot("package-downloads-chart");

    browser.navigate(() -> browser.driver().get(server.url()
        + "/channels/stats/packages/zlib?tab=downloads&from=" + date + "&to=" + date));
    assertThat(browser.driver().findElements(By.cssSelector("#downloads-chart rect.bar"))).hasSize(1);
    assertThat(browser.find(By.id("downloads-from")).getDomProperty("value")).isEqualTo(date);
  }
}
