package io.wharf.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.Browser;
import io.wharf.server.testing.CveChannels;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.Personas;
import io.wharf.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Every page works under its Content-Security-Policy in a real Chromium: no violation is reported while
 * it loads and runs, its own scripts run, and the policy is really enforced (an injected inline script
 * does not run).
 */
class SecurityPolicyBrowserTest {
  // Installed by the DevTools protocol before any page script, so it sees violations during parsing too.
  private static final String RECORD_VIOLATIONS = """
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', e =>
        window.__violations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at '
          + e.sourceFile + ':' + e.lineNumber));
      """;

  @TempDir static Path data;
  static Browser browser;
  static TestServer server;

  @BeforeAll
  static void start() {
    browser = Browser.start();
    ((ChromeDriver) browser.driver()).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
        Map.of("source", RECORD_VIOLATIONS));
    server = TestServer.start(data);
    assertThat(server.createChannel("tools", "public").statusCode()).isEqualTo(201);
    for (String f : List.of("zlib-1.2.11-h7b6447c_3.conda", "xtensor-io-0.10.3-hb585cf6_0.tar.bz2")) {
      assertThat(server.upload("tools", Fixtures.realPackage(f)).statusCode()).as(f).isEqualTo(201);
    }
    CveChannels.importRecords(server, Fixtures.root().resolve("vuln/nvd/CVE-2022-37434.json"));
    Personas people = new Personas(server);
    people.user("maintainer", "a long maintainer password", false);
    people.member("tools", "maintainer", "maintainer");
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

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/", "/channels/tools", "/channels/tools?q=zlib", "/channels/tools/packages/zlib",
      "/channels/tools/packages/zlib?tab=dependencies", "/channels/tools/packages/zlib?tab=dependants",
      "/search?q=xtensor", "/licenses", "/channels/nosuch", "/channels/tools/history",
      "/channels/tools/packages/zlib?tab=cves", "/channels/tools/packages/zlib?tab=badges", "/cves",
      "/cves?min_score=9&published_from=2020-01-01", "/cves/CVE-2022-37434",
      "/channels/tools/packages/zlib?tab=cves&file=linux-64/zlib-1.2.11-h7b6447c_3.conda"})
  void uiPagesRunTheirScriptWithoutAnyPolicyViolation(String path) {
    browser.open(server.url() + path);
    // wharf.js: "/" moves the focus to the search bar.
    browser.find(By.tagName("body")).sendKeys("/");
    assertThat(js("return document.activeElement && document.activeElement.id")).isEqualTo("global-search");
    browser.find(By.id("global-search")).sendKeys(Keys.ESCAPE);
    assertThat(violations()).isEmpty();
  }

  @Test
  void uploadingAndSelectingWorkWithoutAnyPolicyViolation() {
    try {
      browser.open(server.url() + "/signin");
      browser.find(By.id("username")).sendKeys("maintainer");
      browser.find(By.id("password")).sendKeys("a long maintainer password");
      browser.navigate(() -> browser.find(By.id("sign-in-submit")).click());
      browser.open(server.url() + "/channels/tools");
      browser.find(By.id("upload-files")).sendKeys(
          Fixtures.realPackage("other-package-0.2-0.conda").toAbsolutePath().toString());
      new WebDriverWait(browser.driver(), Duration.ofSeconds(60)).until(d -> "done".equals(
          js("const li = document.querySelector('#upload-list li'); return li && li.dataset.result;")));
      // the table was refreshed from the server's page: its new rows carry working checkboxes
      browser.find(By.cssSelector("#packages input.select-item[value='other-package']")).click();
      assertThat(browser.find(By.id("selection-bar")).isDisplayed()).isTrue();
      browser.find(By.id("action-copy")).click();
      assertThat(browser.find(By.id("transfer-form")).isDisplayed()).isTrue();
      assertThat(violations()).isEmpty();
    } finally {
      browser.driver().manage().deleteAllCookies();
    }
  }

  @Test
  void swaggerUiRendersTheApiWithoutAnyPolicyViolation() {
    browser.open(server.url() + "/swagger/ui");
    new WebDriverWait(browser.driver(), Duration.ofSeconds(30))
        .until(d -> !d.findElements(By.cssSelector(".opblock")).isEmpty());
    assertThat(browser.driver().findElements(By.cssSelector(".opblock-summary-path")))
        .extracting(e -> e.getText().replace("\u200b", "")).contains("/api/channels", "/api/channels/{channel}");
    assertThat(browser.find(By.cssSelector(".info .description")).getText())
        .contains("channel protocol under /conda/<channel>/ (not described here)");
    assertThat(violations()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/channels/tools", "/swagger/ui"})
  void theBrowserEnforcesThePolicyAgainstInjectedInlineScript(String path) {
    browser.open(server.url() + path);
    js("const s = document.createElement('script'); s.textContent = 'window.__injected = true;';"
        + " document.head.appendChild(s);");
    assertThat(js("return window.__injected === true")).isEqualTo(false);
    assertThat(violations()).anyMatch(v -> v.startsWith("script-src"));
  }

  private static Object js(String script) {
    return ((JavascriptExecutor) browser.driver()).executeScript(script);
  }

  /** Violation events are queued as tasks; a zero timeout runs after every task queued so far. */
  @SuppressWarnings("unchecked")
  private static List<String> violations() {
    return (List<String>) ((JavascriptExecutor) browser.driver()).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + " setTimeout(() => done(window.__violations || ['recorder missing']), 0);");
  }
}
