package io.wharf.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.Browser;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/** What a person sees and clicks in the server-rendered UI, in a real headless Chromium. */
class UiBrowserTest {
  private static final List<String> TOOLS_FILES = List.of(
      "zlib-1.2.11-h7b6447c_3.conda",
      "zlib-1.2.11-h7b6447c_3.tar.bz2",
      "xtensor-io-0.10.3-hb585cf6_0.tar.bz2",
      "other-package-0.2-0.conda",
      "conda-index-pkg-a-1.0-py27h5e241af_0.tar.bz2",
      "conda-index-pkg-a-1.0-pyhed9eced_1.tar.bz2");
  private static final String HOSTILE = "<script>alert(1)</script><img src=x onerror=\"alert(2)\">";

  @TempDir static Path data;
  static Browser browser;
  static TestServer server;

  @BeforeAll
  static void start() {
    browser = Browser.start();
    server = TestServer.start(data);
    assertThat(server.createChannel("tools", "public").statusCode()).isEqualTo(201);
    assertThat(server.createChannel("empty", "public").statusCode()).isEqualTo(201);
    assertThat(server.createChannel("secret", "private").statusCode()).isEqualTo(201);
    for (String f : TOOLS_FILES) {
      assertThat(server.upload("tools", Fixtures.realPackage(f)).statusCode()).as(f).isEqualTo(201);
    }
    assertThat(server.upload("secret", Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda")).statusCode())
        .isEqualTo(201);
    String body = "{\"name\":\"xss\",\"privacy\":\"public\",\"description\":\""
        + HOSTILE.replace("\"", "\\\"") + "\"}";
    assertThat(server.send(server.admin("/api/channels").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))).statusCode()).isEqualTo(201);
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
  void homeListsPublicChannelsWithPrivacyAndPackageCountButNotPrivateOnes() {
    browser.open(server.url() + "/");
    browser.screenshot("home");
    Map<String, List<String>> rows = rows("channels");
    assertThat(rows).containsKeys("tools", "empty", "xss").doesNotContainKey("secret");
    assertThat(rows.get("tools")).containsSubsequence("public", "4");
    assertThat(rows.get("empty")).containsSubsequence("public", "0");
    assertThat(browser.text()).doesNotContain("secret");
  }

  @Test
  void homeShowsRecentUploadsOfReadableChannelsNewestFirstAndLinksToTheirPackages() {
    browser.open(server.url() + "/");
    Map<String, List<String>> recent = rows("recent");
    List<String> reversed = new java.util.ArrayList<>(TOOLS_FILES);
    java.util.Collections.reverse(reversed);
    // Other tests may upload into channels of their own; the tools files keep their order among them.
    assertThat(new java.util.ArrayList<>(recent.keySet())).containsSubsequence(reversed);
    assertThat(recent.get("zlib-1.2.11-h7b6447c_3.conda")).containsSubsequence("tools", "linux-64");
    assertThat(browser.find(By.id("recent")).getText()).doesNotContain("secret");

    browser.navigate(() -> browser.find(By.id("recent")).findElement(By.linkText("xtensor-io-0.10.3-hb585cf6_0.tar.bz2"))
        .click());
    assertThat(browser.driver().getCurrentUrl()).isEqualTo(server.url() + "/channels/tools/packages/xtensor-io");
  }

  @Test
  void channelPageListsSubchannelsWithTheirCondaUrls() {
    assertThat(server.createChannel("staged", "public").statusCode()).isEqualTo(201);
    Path other = Fixtures.realPackage("other-package-0.2-0.conda");
    assertThat(server.upload("staged", other.getFileName().toString(), other, "label=rc").statusCode())
        .isEqualTo(201);

    browser.open(server.url() + "/channels/staged");
    Map<String, List<String>> labels = new LinkedHashMap<>();
    for (WebElement tr : browser.driver().findElements(By.cssSelector("#subchannels tbody tr"))) {
      List<WebElement> cells = tr.findElements(By.tagName("td"));
      labels.put(cells.get(0).getText(), List.of(cells.get(1).getText()));
    }
    assertThat(labels).containsExactly(Map.entry("rc", List.of(server.url() + "/conda/staged/label/rc")));

    browser.open(server.url() + "/channels/tools");
    assertThat(browser.driver().findElements(By.id("subchannels"))).as("main only").isEmpty();
  }

  @Test
  void clickingAChannelOnTheHomePageOpensIt() {
    browser.open(server.url() + "/");
    browser.navigate(() -> browser.find(By.linkText("tools")).click());
    assertThat(browser.driver().getCurrentUrl()).isEqualTo(server.url() + "/channels/tools");
    assertThat(browser.find(By.tagName("h1")).getText()).startsWith("tools");
  }

  @Test
  void channelPageShowsCondaUrlAndPackagesWithLatestVersionAndPlatforms() {
    browser.open(server.url() + "/channels/tools");
    browser.screenshot("channel");
    assertThat(browser.find(By.id("conda-url")).getDomProperty("value")).isEqualTo(server.url() + "/conda/tools");
    assertThat(browser.find(By.cssSelector("button.copy[data-copy='#conda-url']")).getText()).isEqualTo("Copy");
    Map<String, List<String>> rows = rows("packages");
    assertThat(rows).containsOnlyKeys("zlib", "xtensor-io", "other-package", "conda-index-pkg-a");
    // columns after the name: latest version, summary, platforms, files, last upload
    assertThat(rows.get("zlib").get(0)).isEqualTo("1.2.11");
    assertThat(rows.get("zlib").get(2)).isEqualTo("linux-64");
    assertThat(rows.get("zlib").get(3)).isEqualTo("2");
    assertThat(rows.get("xtensor-io").get(0)).isEqualTo("0.10.3");
    assertThat(rows.get("conda-index-pkg-a").get(2)).isEqualTo("noarch, osx-64");
    assertThat(rows.get("conda-index-pkg-a").get(3)).isEqualTo("2");
  }

  @Test
  void emptyChannelSaysHowToUpload() {
    browser.open(server.url() + "/channels/empty");
    assertThat(browser.find(By.cssSelector(".empty")).getText())
        .contains("No packages yet")
        .contains("wharf upload --channel empty FILE");
    assertThat(browser.driver().findElements(By.id("packages"))).isEmpty();
  }

  @Test
  void clickingAPackageOpensItsPage() {
    browser.open(server.url() + "/channels/tools");
    browser.navigate(() -> browser.find(By.linkText("zlib")).click());
    assertThat(browser.driver().getCurrentUrl()).isEqualTo(server.url() + "/channels/tools/packages/zlib");
    assertThat(browser.find(By.tagName("h1")).getText()).isEqualTo("zlib 1.2.11");
    assertThat(browser.find(By.id("install")).getDomProperty("value"))
        .isEqualTo("conda install -c " + server.url() + "/conda/tools zlib");
  }

  @Test
  void packageFilesTableShowsEveryFileWithAWorkingDownload() throws Exception {
    browser.open(server.url() + "/channels/tools/packages/zlib");
    browser.screenshot("package");
    List<WebElement> rows = browser.driver().findElements(By.cssSelector("#files tbody tr"));
    assertThat(rows).hasSize(2);
    for (WebElement row : rows) {
      List<WebElement> cells = row.findElements(By.tagName("td"));
      String filename = cells.get(0).getText();
      assertThat(filename).isIn("zlib-1.2.11-h7b6447c_3.conda", "zlib-1.2.11-h7b6447c_3.tar.bz2");
      Path fixture = Fixtures.realPackage(filename);
      byte[] expected = Files.readAllBytes(fixture);
      assertThat(cells.get(1).getText()).isEqualTo("1.2.11");
      assertThat(cells.get(2).getText()).isEqualTo("linux-64");
      assertThat(cells.get(3).getText()).isEqualTo(Format.size(expected.length));
      assertThat(cells.get(3).getDomAttribute("title")).isEqualTo(expected.length + " bytes");
      assertThat(cells.get(4).getText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC");
      assertThat(cells.get(5).getText()).isEqualTo("Other");
      assertThat(row.findElement(By.cssSelector("td.hash")).getDomAttribute("title")).isEqualTo(sha256(expected));
      String href = row.findElement(By.linkText("Download")).getDomProperty("href");
      assertThat(href).isEqualTo(server.url() + "/conda/tools/linux-64/" + filename);
      HttpResponse<byte[]> download = server.send(HttpRequest.newBuilder(URI.create(href)).GET());
      assertThat(download.statusCode()).isEqualTo(200);
      assertThat(download.body()).isEqualTo(expected);
    }
  }

  @Test
  void breadcrumbsLeadBackToTheChannelAndTheChannelList() {
    browser.open(server.url() + "/channels/tools/packages/xtensor-io");
    assertThat(browser.find(By.cssSelector(".crumbs [aria-current=page]")).getText()).isEqualTo("xtensor-io");
    browser.navigate(() -> browser.find(By.cssSelector(".crumbs")).findElement(By.linkText("tools")).click());
    assertThat(browser.driver().getCurrentUrl()).isEqualTo(server.url() + "/channels/tools");
    browser.navigate(() -> browser.find(By.cssSelector(".crumbs")).findElement(By.linkText("Channels")).click());
    assertThat(browser.driver().getCurrentUrl()).isEqualTo(server.url() + "/");
    assertThat(browser.find(By.tagName("h1")).getText()).isEqualTo("Channels");
  }

  @Test
  void unknownChannelShowsAHumanPageThatASignInMayHelp() {
    browser.open(server.url() + "/channels/no-such-channel");
    browser.screenshot("not-found");
    String text = browser.text();
    // anonymous: a missing channel and one that needs signing in answer alike
    assertThat(browser.find(By.tagName("h1")).getText()).isEqualTo("Sign-in needed");
    assertThat(text).contains("401").contains("no such channel").contains("Back to the channel list");
    assertThat(text).doesNotContain("Exception").doesNotContain("at io.").doesNotContain("{\"error\"");
    HttpResponse<byte[]> res = server.send(server.request("/channels/no-such-channel")
        .header("Accept", "text/html").GET());
    assertThat(res.statusCode()).isEqualTo(401);
  }

  @Test
  void privateChannelLooksLikeAnUnknownOneToAnonymousVisitors() {
    browser.open(server.url() + "/channels/secret");
    assertThat(browser.find(By.tagName("h1")).getText()).isEqualTo("Sign-in needed");
    assertThat(browser.text()).doesNotContain("zlib");
  }

  @Test
  void channelDescriptionIsShownAsTextAndNeverRuns() {
    for (String page : List.of("/", "/channels/xss")) {
      browser.open(server.url() + page);
      assertThat(alertOpen()).as("alert on " + page).isFalse();
      assertThat(browser.text()).as(page).contains(HOSTILE);
      List<WebElement> scripts = browser.driver().findElements(By.tagName("script"));
      assertThat(scripts).as(page).hasSize(1);
      assertThat(scripts.get(0).getDomAttribute("src")).isEqualTo("/static/wharf.js");
      assertThat(browser.driver().findElements(By.tagName("img"))).as(page).isEmpty();
    }
  }

  private boolean alertOpen() {
    try {
      // Dismissed so that one failure does not leave a dialog blocking the other tests.
      browser.driver().switchTo().alert().dismiss();
      return true;
    } catch (NoAlertPresentException e) {
      return false;
    }
  }

  /** Rows of a data table keyed by the first cell's text, with the remaining cells' texts. */
  private static Map<String, List<String>> rows(String tableId) {
    Map<String, List<String>> rows = new LinkedHashMap<>();
    for (WebElement tr : browser.driver().findElements(By.cssSelector("#" + tableId + " tbody tr"))) {
      List<WebElement> cells = tr.findElements(By.tagName("td"));
      String key = cells.get(0).findElement(By.tagName("a")).getText();
      rows.put(key, cells.subList(1, cells.size()).stream().map(WebElement::getText).toList());
    }
    return rows;
  }

  private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
