package io.wharf.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.Browser;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

/**
 * The pages on a phone-sized screen (420 px) and a desktop one (1280 px), and packages that live only in a
 * subchannel (label) saying so wherever they are listed, in a real headless Chromium.
 */
class PhoneAndLabelsBrowserTest {
  private static final List<String> MAIN_FILES = List.of(
      "zlib-1.2.11-h7b6447c_3.conda",
      "conda-index-pkg-a-1.0-py27h5e241af_0.tar.bz2",
      "conda-index-pkg-a-1.0-pyhed9eced_1.tar.bz2",
      "xtensor-io-0.10.3-hb585cf6_0.tar.bz2");
  private static final String DEV_ONLY = "spiffy-test-app-0.5-pyh6afbcc8_0.tar.bz2";

  @TempDir static Path data;
  static Browser browser;
  static TestServer server;

  @BeforeAll
  static void start() {
    browser = Browser.start();
    server = TestServer.start(data);
    assertThat(server.send(server.admin("/api/channels").header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"tools\",\"description\":\"Builds of"
            + " the tools team, with a description long enough to need more than one line on a phone\"}")))
        .statusCode()).isEqualTo(201);
    for (String f : MAIN_FILES) {
      assertThat(server.upload("tools", Fixtures.realPackage(f)).statusCode()).as(f).isEqualTo(201);
    }
    // Also in subchannels: zlib in dev (and main), a long file name in release-candidate, spiffy only in dev.
    Path zlib = Fixtures.realPackage(MAIN_FILES.get(0));
    assertThat(server.upload("tools", zlib.getFileName().toString(), zlib, "label=dev").statusCode()).isEqualTo(201);
    Path rc = Fixtures.realPackage(MAIN_FILES.get(2));
    assertThat(server.upload("tools", rc.getFileName().toString(), rc, "label=release-candidate").statusCode())
        .isEqualTo(201);
    Path spiffy = Fixtures.realPackage(DEV_ONLY);
    assertThat(server.upload("tools", DEV_ONLY, spiffy, "label=dev").statusCode()).isEqualTo(201);
    // zlib's files then carry CVE-2022-37434 in their CVEs cell.
    io.wharf.server.testing.CveChannels.importRecords(server,
        Fixtures.root().resolve("vuln/nvd/CVE-2022-37434.json"));
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

  @AfterEach
  void desktopAgain() {
    width(1280);
  }

  private static void width(int px) {
    browser.driver().manage().window().setSize(new Dimension(px, 900));
  }

  private static Object js(String script) {
    return ((JavascriptExecutor) browser.driver()).executeScript(script);
  }

  private static long number(String script) {
    return ((Number) js(script)).longValue();
  }

  /** The pages a person reaches from the header and the home page. */
  private static final List<String> PAGES = List.of("/", "/channels/tools", "/channels/tools/packages/conda-index-pkg-a",
      "/channels/tools/packages/spiffy-test-app", "/channels/tools/packages/zlib?tab=dependencies",
      "/search?q=zlib", "/search?q=pkg", "/licenses", "/channels/tools/packages/zlib",
      "/channels/tools/packages/zlib?tab=cves", "/cves", "/cves/CVE-2022-37434",
      "/channels/tools/packages/zlib?tab=cves&file=linux-64/zlib-1.2.11-h7b6447c_3.conda&label=dev");

  @Test
  void atPhoneWidthNoPageScrollsSidewaysAndTheHeaderLinksStayOnScreen() {
    width(420);
    for (String path : PAGES) {
      browser.open(server.url() + path);
      browser.screenshot("phone" + path.replaceAll("[^a-z0-9]+", "-"));
      long viewport = number("return document.documentElement.clientWidth;");
      assertThat(viewport).as("the window is phone-sized").isLessThanOrEqualTo(420);
      assertThat(number("return document.documentElement.scrollWidth;")).as(path + ": page width")
          .isLessThanOrEqualTo(viewport);
      for (String link : List.of("Licenses", "CVEs", "API")) {
        WebElement a = browser.find(By.cssSelector(".top-links")).findElement(By.linkText(link));
        assertThat(a.isDisplayed()).isTrue();
        assertThat(a.getRect().getX() + a.getRect().getWidth()).as(path + ": " + link + " on screen")
            .isLessThanOrEqualTo((int) viewport);
      }
    }
  }

  @Test
  void atPhoneWidthAnOpenedMetadataPanelStaysInsideThePage() {
    width(420);
    browser.open(server.url() + "/channels/tools/packages/conda-index-pkg-a");
    browser.find(By.cssSelector("#files details.metadata summary")).click();
    assertThat(browser.find(By.cssSelector("#files details.metadata pre")).isDisplayed()).isTrue();
    browser.screenshot("phone-package-metadata");

    assertThat(number("return document.documentElement.scrollWidth;"))
        .isLessThanOrEqualTo(number("return document.documentElement.clientWidth;"));
  }

  @Test
  void atDesktopWidthTheFilesTableIsNoWiderThanTheRestOfThePage() {
    width(1280);
    browser.open(server.url() + "/channels/tools/packages/zlib");
    assertThat(browser.find(By.cssSelector("#files td.file-cves")).getText()).isEqualTo("9.8 · 1 · Reported");
    assertThat(number("return Math.ceil(document.getElementById('files').getBoundingClientRect().right);"))
        .as("zlib, whose files have CVEs").isLessThanOrEqualTo(
            number("return Math.ceil(document.querySelector('nav.tabs').getBoundingClientRect().right);"));
    browser.open(server.url() + "/channels/tools/packages/conda-index-pkg-a");
    browser.screenshot("desktop-package-files");

    long table = number("return Math.ceil(document.getElementById('files').getBoundingClientRect().right);");
    long tabs = number("return Math.ceil(document.querySelector('nav.tabs').getBoundingClientRect().right);");
    assertThat(table).as("right edge of the files table vs the tab bar above it").isLessThanOrEqualTo(tabs);
    assertThat(number("return document.documentElement.scrollWidth;"))
        .isLessThanOrEqualTo(number("return document.documentElement.clientWidth;"));
  }

  @Test
  void recentUploadsShowTheLabelOfFilesUploadedIntoASubchannel() {
    browser.open(server.url() + "/");
    List<WebElement> rows = browser.driver().findElements(By.cssSelector("#recent tbody tr"));

    WebElement spiffy = rows.stream().filter(r -> r.getText().contains(DEV_ONLY)).findFirst().orElseThrow();
    assertThat(spiffy.findElement(By.cssSelector("td.file .label-tag")).getText()).isEqualTo("label: dev");
    long unlabelled = rows.stream().filter(r -> r.findElements(By.cssSelector(".label-tag")).isEmpty()).count();
    assertThat(unlabelled).as("the four uploads into main carry no label").isEqualTo(MAIN_FILES.size());
  }

  @Test
  void theChannelPageMarksPackagesThatLiveInASubchannelAndThoseOnlyThere() {
    browser.open(server.url() + "/channels/tools");
    browser.screenshot("channel-labels");

    WebElement spiffy = packageRow("spiffy-test-app");
    assertThat(spiffy.findElements(By.cssSelector(".label-tag"))).extracting(WebElement::getText)
        .containsExactly("label: dev");
    assertThat(spiffy.findElement(By.cssSelector(".label-only")).getText())
        .isEqualTo("only in a subchannel, not at the channel URL");
    WebElement zlib = packageRow("zlib");
    assertThat(zlib.findElements(By.cssSelector(".label-tag"))).extracting(WebElement::getText)
        .containsExactly("label: dev");
    assertThat(zlib.findElements(By.cssSelector(".label-only"))).as("also in main").isEmpty();
    assertThat(packageRow("xtensor-io").findElements(By.cssSelector(".label-tag"))).isEmpty();
  }

  @Test
  void aPackageOnlyInASubchannelIsInstalledFromTheSubchannelUrl() {
    browser.open(server.url() + "/channels/tools/packages/spiffy-test-app");

    assertThat(browser.find(By.id("label-only")).getText()).contains("Only in the subchannel", "label: dev");
    assertThat(browser.find(By.id("install")).getAttribute("value"))
        .isEqualTo("conda install -c " + server.url() + "/conda/tools/label/dev spiffy-test-app");
    assertThat(browser.find(By.id("pixi")).getAttribute("value"))
        .isEqualTo("pixi add --channel " + server.url() + "/conda/tools/label/dev spiffy-test-app");

    browser.open(server.url() + "/channels/tools/packages/zlib");
    assertThat(browser.driver().findElements(By.id("label-only"))).isEmpty();
    assertThat(browser.find(By.id("install")).getAttribute("value"))
        .isEqualTo("conda install -c " + server.url() + "/conda/tools zlib");
  }

  private static WebElement packageRow(String name) {
    return browser.driver().findElements(By.cssSelector("#packages tbody tr")).stream()
        .filter(r -> r.findElement(By.cssSelector("td a")).getText().equals(name)).findFirst().orElseThrow();
  }
}
