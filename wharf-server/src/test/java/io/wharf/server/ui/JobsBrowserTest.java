package io.wharf.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.Browser;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.Personas;
import io.wharf.server.testing.SlowFeed;
import io.wharf.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The jobs pages in a real Chromium: a running import shows its progress, and the page follows it to the end. */
class JobsBrowserTest {
  @TempDir static Path data;
  static Browser browser;
  static TestServer server;

  @BeforeAll
  static void start() {
    browser = Browser.start();
    server = TestServer.start(data);
    new Personas(server).user("ada", "ada's long password", true);
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
  void anAdministratorWatchesAnImportRunAndFinishWithoutReloading() throws Exception {
    signIn("ada", "ada's long password");
    browser.open(server.url() + "/jobs");
    assertThat(browser.find(By.cssSelector("p.empty")).getText()).contains("wharf cve import");

    CountDownLatch rest = new CountDownLatch(1);
    long id;
    int documents;
    try (SlowFeed feed = SlowFeed.start(Fixtures.root().resolve("vuln/osv-json/django"), 3, rest)) {
      HttpResponse<byte[]> accepted = server.send(server.admin("/api/cves/import")
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + feed.url("django.tar") + "\"}")));
      id = TestServer.json(accepted).path("id").asLong();
      documents = feed.documents();
      WebDriverWait wait = new WebDriverWait(browser.driver(), Duration.ofSeconds(60));
      wait.until(d -> {
        d.navigate().refresh();
        return d.findElement(By.id("jobs")).getText().contains("read 3");
      });
      assertThat(row(id)).contains("cve-import", "running", "reading", "read 3", "admin");
      assertThat(browser.driver().findElements(By.cssSelector("#jobs progress"))).hasSize(1);
      browser.screenshot("jobs-running");

      rest.countDown();
      // no reload from here on: the page's script follows the job, and replaces a row it updates, so a row
      // read while that happens is read again
      wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class)
          .until(d -> row(id).contains("succeeded"));
      assertThat(row(id)).contains("read " + feed.documents());
    }
    browser.navigate(() -> browser.find(By.linkText("#" + id)).click());
    assertThat(browser.find(By.id("job-state")).getText()).isEqualTo("succeeded");
    assertThat(browser.find(By.id("job-counters")).getText()).contains("read", "added");
    assertThat(browser.find(By.id("job-result")).getText()).contains("\"read\":" + documents);
    browser.screenshot("job-detail");
  }

  @Test
  void theJobsPagesAreForAdministrators() {
    new Personas(server).user("bob", "bob's long password", false);
    signIn("bob", "bob's long password");
    browser.open(server.url() + "/jobs");
    assertThat(browser.text()).doesNotContain("Work the server does in the background");
    assertThat(browser.driver().findElements(By.id("jobs-link"))).isEmpty();
  }

  private static String row(long id) {
    return browser.driver().findElements(By.cssSelector("#jobs tbody tr")).stream()
        .filter(r -> r.getText().startsWith("#" + id)).findFirst().orElseThrow().getText();
  }

  private static void signIn(String user, String password) {
    browser.driver().manage().deleteAllCookies();
    browser.open(server.url() + "/signin");
    browser.find(By.id("username")).sendKeys(user);
    browser.find(By.id("password")).sendKeys(password);
    browser.navigate(() -> browser.find(By.id("sign-in-submit")).click());
    assertThat(browser.find(By.id("signed-in-user")).getText()).isEqualTo(user);
  }
}
