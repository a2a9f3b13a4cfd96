package io.wharf.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.wharf.server.testing.Browser;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.Personas;
import io.wharf.server.testing.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The package page's Badges tab in a real Chromium: previews, embed snippets, Copy buttons, embedding elsewhere. */
class BadgesBrowserTest {
  private static final String ZLIB = "zlib-1.2.11-h7b6447c_3.conda";
  private static final List<String> BADGES = List.of("version", "license", "platforms", "latest_release_date",
      "latest_release_relative_date", "downloads");
  private static final Pattern SVG_WIDTH = Pattern.compile("<svg [^>]*width=\"(\\d+)\"");

  @TempDir static Path data;
  static Browser browser;
  static TestServer server;

  @BeforeAll
  static void start() {
    browser = Browser.start();
    server = TestServer.start(data);
    assertThat(server.createChannel("tools", "public").statusCode()).isEqualTo(201);
    assertThat(server.createChannel("vault", "private").statusCode()).isEqualTo(201);
    assertThat(server.upload("tools", Fixtures.realPackage(ZLIB)).statusCode()).isEqualTo(201);
    assertThat(server.upload("vault", Fixtures.realPackage(ZLIB)).statusCode()).isEqualTo(201);
    Personas people = new Personas(server);
    people.user("vera", "vera's long password", false);
    people.member("vault", "vera", "viewer");
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
  void theBadgesTabShowsEveryBadgeAsTheImageTheServerDraws() {
    browser.open(server.url() + "/channels/tools/packages/zlib?tab=badges");
    List<WebElement> images = browser.driver().findElements(By.cssSelector("#badges .badge-preview img"));
    assertThat(images).hasSize(BADGES.size());
    for (int i = 0; i < BADGES.size(); i++) {
      String src = images.get(i).getDomAttribute("src");
      assertThat(src).isEqualTo("/badges/tools/zlib/" + BADGES.get(i) + ".svg");
      // Loaded and drawn at the width of the SVG the server sends, i.e. the width from the font table.
      assertThat(loadedWidth(images.get(i))).as(src).isEqualTo(svgWidth(src));
    }
    browser.find(By.cssSelector("#badge-version details.embed summary")).click();
    ((JavascriptExecutor) browser.driver()).executeScript("document.getElementById('badges').scrollIntoView();");
    browser.screenshot("package-badges");
  }

  @Test
  void eachCopyButtonPutsItsSnippetOnTheClipboard() {
    ((ChromeDriver) browser.driver()).executeCdpCommand("Browser.grantPermissions", Map.of("origin", server.url(),
        "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
    browser.open(server.url() + "/channels/tools/packages/zlib?tab=badges");
    String base = server.url();
    int copied = 0;
    for (String badge : BADGES) {
      browser.find(By.cssSelector("#badge-" + badge + " details.embed summary")).click();
      for (WebElement button : browser.driver().findElements(By.cssSelector("#badge-" + badge + " button.copy"))) {
        String field = button.getDomAttribute("data-copy");
        String expected = browser.find(By.cssSelector(field)).getDomProperty("value");
        writeClipboard("nothing copied yet");
        button.click();
        new WebDriverWait(browser.driver(), Duration.ofSeconds(10)).until(d -> expected.equals(readClipboard()));
        copied++;
      }
    }
    assertThat(copied).isEqualTo(BADGES.size() * 4);
    // What the snippets say, checked against the URL layout rather than against the page itself.
    String img = base + "/badges/tools/zlib/version.svg";
    String page = base + "/channels/tools/packages/zlib";
    assertThat(value("#badge-version-markdown")).isEqualTo("[![zlib version](" + img + ")](" + page + ")");
    assertThat(value("#badge-version-html")).isEqualTo("<a href=\"" + page + "\"><img src=\"" + img
        + "\" alt=\"zlib version\"></a>");
    assertThat(value("#badge-version-rst")).isEqualTo(".. image:: " + img + "\n   :alt: zlib version\n   :target: "
        + page);
    assertThat(value("#badge-version-asciidoc")).isEqualTo("image:" + img + "[zlib version,link=\"" + page + "\"]");
  }

  @Test
  void aPrivateChannelsSnippetsCarryATokenPlaceholderAndTheMemberStillSeesThePreviews() {
    browser.driver().manage().deleteAllCookies();
    browser.open(server.url() + "/signin");
    browser.find(By.id("username")).sendKeys("vera");
    browser.find(By.id("password")).sendKeys("vera's long password");
    browser.navigate(() -> browser.find(By.id("sign-in-submit")).click());
    try {
      browser.open(server.url() + "/channels/vault/packages/zlib?tab=badges");
      assertThat(browser.find(By.id("badge-token-note")).getText()).contains("<TOKEN>").contains("read")
          .contains("service account");
      for (String badge : BADGES) {
        WebElement img = browser.find(By.cssSelector("#badge-" + badge + " .badge-preview img"));
        assertThat(loadedWidth(img)).as(badge + " preview through the session").isGreaterThan(0);
        assertThat(value("#badge-" + badge + "-markdown"))
            .contains(server.url() + "/badges/vault/zlib/" + badge + ".svg?token=<TOKEN>");
      }
    } finally {
      browser.driver().manage().deleteAllCookies();
    }
  }

  /**
   * A page of another origin that demands Cross-Origin-Resource-Policy of everything it embeds (COEP
   * require-corp) shows the badge; an image without that header, as a control, is blocked there.
   */
  @Test
  void anotherSiteCanEmbedTheBadgeAsAnImage() throws IOException {
    HttpServer other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String plain = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"30\" height=\"20\"/>";
    other.createContext("/plain.svg", x -> send(x, "image/svg+xml", plain, Map.of()));
    int port = other.getAddress().getPort();
    String page = "<!doctype html><title>readme</title>"
        + "<img id=\"badge\" src=\"" + server.url() + "/badges/tools/zlib/version.svg\">"
        + "<img id=\"control\" src=\"http://localhost:" + port + "/plain.svg\">";
    other.createContext("/readme", x -> send(x, "text/html", page, Map.of("Cross-Origin-Embedder-Policy",
        "require-corp")));
    other.start();
    try {
      browser.open("http://127.0.0.1:" + port + "/readme");
      assertThat(loadedWidth(browser.find(By.id("badge")))).isEqualTo(svgWidth("/badges/tools/zlib/version.svg"));
      assertThat(loadedWidth(browser.find(By.id("control")))).as("an image without CORP under COEP").isZero();
    } finally {
      other.stop(0);
    }
  }

  private static void send(com.sun.net.httpserver.HttpExchange x, String type, String body, Map<String, String> headers)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", type);
    headers.forEach((k, v) -> x.getResponseHeaders().add(k, v));
    x.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The image's natural width once it has settled: 0 when it failed to load. */
  private static long loadedWidth(WebElement img) {
    new WebDriverWait(browser.driver(), Duration.ofSeconds(10)).until(d -> Boolean.TRUE.equals(
        ((JavascriptExecutor) d).executeScript("return arguments[0].complete;", img)));
    return ((Number) ((JavascriptExecutor) browser.driver()).executeScript("return arguments[0].naturalWidth;", img))
        .longValue();
  }

  private static long svgWidth(String path) {
    Matcher m = SVG_WIDTH.matcher(new String(server.get(path).body(), StandardCharsets.UTF_8));
    assertThat(m.find()).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static String value(String selector) {
    return browser.find(By.cssSelector(selector)).getDomProperty("value");
  }

  private static void writeClipboard(String text) {
    ((JavascriptExecutor) browser.driver()).executeAsyncScript(
        "const done = arguments[arguments.length - 1]; navigator.clipboard.writeText(arguments[0]).then(() => done(true),"
            + " e => done(String(e)));", text);
  }

  private static String readClipboard() {
    Object v = ((JavascriptExecutor) browser.driver()).executeAsyncScript(
        "const done = arguments[arguments.length - 1]; navigator.clipboard.readText().then(done, e => done('error: ' + e));");
    return String.valueOf(v);
  }
}
