package io.wharf.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.Browser;
import io.wharf.server.testing.CveChannels;
import io.wharf.server.testing.Personas;
import io.wharf.server.testing.TestServer;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The CVEs tab of a package page and its filters, the CVE detail page and its curation form, in a real
 * Chromium. Channel "vulns" holds requests 2.19.0 (CVE-2018-18074 7.5, CVE-2023-32681 6.1) and 2.30.0
 * (CVE-2023-32681, set Active); channel "curation" holds requests 2.19.0 for the curation test alone;
 * channel "triage" holds requests 2.19.0 too; an administrator makes "cleo" its curator on the channel's settings
 * page; cleo only views "curation".
 */
class CveBrowserTest {
  private static final String TAB = "/channels/vulns/packages/requests?tab=cves";
  private static final String OLD_CVE = "CVE-2018-18074";
  private static final String PROXY_CVE = "CVE-2023-32681";

  @TempDir static Path data;
  @TempDir static Path work;
  static Browser browser;
  static TestServer server;
  static String old;
  static String recent;

  @BeforeAll
  static void start() {
    browser = Browser.start();
    server = TestServer.start(data);
    assertThat(server.createChannel("vulns", "public").statusCode()).isEqualTo(201);
    assertThat(server.createChannel("curation", "public").statusCode()).isEqualTo(201);
    old = CveChannels.uploadRequests(server, work, "vulns", "2.19.0");
    recent = CveChannels.uploadRequests(server, work, "vulns", "2.30.0");
    CveChannels.uploadRequests(server, work, "curation", "2.19.0");
    assertThat(server.createChannel("triage", "public").statusCode()).isEqualTo(201);
    CveChannels.uploadRequests(server, work, "triage", "2.19.0");
    CveChannels.importNvd(server);
    CveChannels.setStatus(server, PROXY_CVE, "vulns", "noarch", recent, "Active");
    Personas people = new Personas(server);
    people.user("ada", "ada's long password", true);
    people.user("cleo", "cleo's long password", false);
    people.member("curation", "cleo", "viewer");
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

  @BeforeEach
  void openTheTab() {
    browser.driver().manage().deleteAllCookies();
    browser.open(server.url() + TAB);
    assertThat(listed()).containsExactly(OLD_CVE, PROXY_CVE);
  }

  private static List<String> listed() {
    return browser.driver().findElements(By.cssSelector("#cve-table a.cve-id")).stream()
        .map(WebElement::getText).toList();
  }

  private static void type(String id, String value) {
    WebElement input = browser.find(By.id(id));
    input.clear();
    input.sendKeys(value);
  }

  /** Date inputs take keys in the browser's locale format, so the value is set as the form would send it. */
  private static void date(String id, LocalDate day) {
    ((JavascriptExecutor) browser.driver()).executeScript("arguments[0].value = arguments[1];",
        browser.find(By.id(id)), day.toString());
  }

  private static void filter() {
    browser.navigate(() -> browser.find(By.id("cve-filter")).click());
    assertThat(browser.driver().getCurrentUrl()).as("the filters travel in the address").contains("tab=cves");
  }

  @Test
  void aMinimumScoreKeepsOnlyTheCriticalCve() {
    type("cve-min-score", "7");
    filter();
    assertThat(listed()).containsExactly(OLD_CVE);
    assertThat(browser.driver().getCurrentUrl()).contains("min_score=7");
  }

  @Test
  void aMaximumScoreKeepsOnlyTheMediumCve() {
    type("cve-max-score", "7");
    filter();
    assertThat(listed()).containsExactly(PROXY_CVE);
  }

  @Test
  void aNameSearchKeepsOnlyThatCve() {
    type("cve-name", "2023-32681");
    filter();
    assertThat(listed()).containsExactly(PROXY_CVE);
  }

  @Test
  void aStatusKeepsTheCvesOfFilesInItAndEachChoiceCountsItsPackages() {
    Select status = new Select(browser.find(By.id("cve-status")));
    assertThat(status.getOptions()).extracting(WebElement::getText).contains("Active (1 package)",
        "Reported (1 package)", "Cleared (0 packages)");
    status.selectByValue("Active");
    filter();
    assertThat(listed()).containsExactly(PROXY_CVE);
    assertThat(new Select(browser.find(By.id("cve-status"))).getFirstSelectedOption().getText())
        .isEqualTo("Active (1 package)");
  }

  @Test
  void aPublishedRangeKeepsTheCvesPublishedInIt() {
    date("cve-published-from", LocalDate.parse("2020-01-01"));
    filter();
    assertThat(listed()).containsExactly(PROXY_CVE);
    date("cve-published-from", LocalDate.parse("2018-10-09"));
    date("cve-published-to", LocalDate.parse("2018-10-09"));
    filter();
    assertThat(listed()).as("the last day is included").containsExactly(OLD_CVE);
  }

  @Test
  void aLastModifiedRangeKeepsTheCvesModifiedInIt() {
    date("cve-modified-to", LocalDate.parse("2024-01-01"));
    filter();
    assertThat(listed()).containsExactly(PROXY_CVE);
    date("cve-modified-to", LocalDate.parse("2099-01-01"));
    date("cve-modified-from", LocalDate.parse("2026-06-01"));
    filter();
    assertThat(listed()).containsExactly(OLD_CVE);
  }

  @Test
  void aCuratedRangeKeepsTheCvesCuratedInIt() {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    date("cve-curated-from", today.minusDays(1));
    filter();
    assertThat(listed()).containsExactly(PROXY_CVE);
    date("cve-curated-from", today.minusDays(30));
    date("cve-curated-to", today.minusDays(2));
    filter();
    assertThat(listed()).isEmpty();
    assertThat(browser.find(By.id("no-cves")).getText()).isEqualTo("No CVE matches.");
  }

  @Test
  void theFilesTabLinksEachFilesCveSummaryToTheCvesTabFilteredToThatFile() {
    browser.open(server.url() + "/channels/vulns/packages/requests");
    WebElement recentCell = fileCves("vulns", recent);
    assertThat(recentCell.getText()).isEqualTo("6.1 · 1 · Active");
    browser.navigate(() -> recentCell.findElement(By.tagName("a")).click());
    assertThat(browser.driver().getCurrentUrl()).contains("tab=cves", "file=noarch%2F" + recent);
    assertThat(listed()).as("only the CVEs of that file").containsExactly(PROXY_CVE);
    assertThat(browser.find(By.id("cve-file-filter")).getText()).contains("noarch/" + recent);

    type("cve-min-score", "5");
    filter();
    assertThat(browser.driver().getCurrentUrl()).as("filtering keeps the file").contains("file=noarch%2F" + recent);
    assertThat(listed()).containsExactly(PROXY_CVE);
    browser.navigate(() -> browser.find(By.id("cve-all-files")).click());
    assertThat(browser.driver().getCurrentUrl()).doesNotContain("file=");
    assertThat(listed()).as("every file again, the other filters kept").containsExactly(OLD_CVE, PROXY_CVE);

    browser.open(server.url() + "/channels/vulns/packages/requests");
    WebElement oldCell = fileCves("vulns", old);
    assertThat(oldCell.getText()).isEqualTo("7.5 · 2 · Reported");
    browser.navigate(() -> oldCell.findElement(By.tagName("a")).click());
    assertThat(listed()).containsExactly(OLD_CVE, PROXY_CVE);
    browser.navigate(() -> browser.find(By.linkText(PROXY_CVE)).click());
    assertThat(browser.find(By.id("cve-id")).getText()).isEqualTo(PROXY_CVE);
    assertThat(browser.find(By.id("cve-files")).getText()).contains("requests-2.19.0-0.tar.bz2",
        "requests-2.30.0-0.tar.bz2");
    assertThat(browser.driver().findElements(By.cssSelector("form.curate"))).as("no curation for anonymous").isEmpty();
  }

  @Test
  void aCuratorSeesTheCurationFormOnlyOnTheirChannelsFilesAndTheirChangeEntersTheHistory() {
    signIn("ada", "ada's long password");
    browser.open(server.url() + "/channels/triage/settings");
    browser.find(By.id("member-user")).sendKeys("cleo");
    new Select(browser.find(By.id("member-role"))).selectByValue("curator");
    browser.navigate(() -> browser.find(By.id("add-member")).click());
    assertThat(browser.find(By.id("members")).getText()).contains("cleo curator");

    signIn("cleo", "cleo's long password");
    browser.open(server.url() + "/cves/" + OLD_CVE);
    List<WebElement> rows = browser.driver().findElements(By.cssSelector("#cve-files tbody tr"));
    for (WebElement row : rows) {
      boolean triage = row.getText().contains("triage/noarch/");
      assertThat(row.findElements(By.cssSelector("form.curate"))).as(row.getText()).hasSize(triage ? 1 : 0);
    }
    assertThat(rows).anyMatch(r -> r.getText().contains("curation/noarch/"));

    curate("triage", OLD_CVE, "requests-2.19.0-0.tar.bz2", "Disputed", "upstream disputes it");
    assertThat(browser.find(By.id("cve-history")).getText()).contains("triage/noarch/requests-2.19.0-0.tar.bz2",
        "Disputed", "cleo", "upstream disputes it");
    browser.screenshot("cve-detail-curator");
  }

  @Test
  void anAdministratorClearingCvesOnTheDetailPageChangesTheFilesTabsScoreAndStatus() {
    signIn("ada", "ada's long password");
    String file = "requests-2.19.0-0.tar.bz2";
    browser.open(server.url() + "/channels/curation/packages/requests");
    assertThat(fileCves("curation", file).getText()).isEqualTo("7.5 · 2 · Reported");

    curate(OLD_CVE, file, "Cleared", "not reachable from our code");
    browser.open(server.url() + "/channels/curation/packages/requests");
    assertThat(fileCves("curation", file).getText()).as("an open 6.1 beside a cleared 7.5 shows 6.1")
        .isEqualTo("6.1 · 2 · Reported");

    curate(PROXY_CVE, file, "Cleared", null);
    browser.open(server.url() + "/channels/curation/packages/requests");
    assertThat(fileCves("curation", file).getText()).as("with nothing open the cleared 7.5 shows")
        .isEqualTo("7.5 · 2 · Cleared");

    browser.open(server.url() + "/cves/" + OLD_CVE);
    assertThat(browser.find(By.id("cve-history")).getText()).contains("curation/noarch/" + file, "Cleared", "ada",
        "not reachable from our code");
    browser.screenshot("cve-detail-admin");
  }

  private static void curate(String cve, String file, String status, String note) {
    curate("curation", cve, file, status, note);
  }

  private static void curate(String channel, String cve, String file, String status, String note) {
    browser.open(server.url() + "/cves/" + cve);
    WebElement row = browser.driver().findElements(By.cssSelector("#cve-files tbody tr")).stream()
        .filter(r -> r.getText().contains(channel + "/noarch/" + file)).findFirst().orElseThrow();
    new Select(row.findElement(By.name("status"))).selectByValue(status);
    if (note != null) {
      row.findElement(By.name("note")).sendKeys(note);
    }
    WebElement save = row.findElement(By.cssSelector("form.curate button"));
    browser.navigate(save::click);
    assertThat(browser.driver().getCurrentUrl()).endsWith("/cves/" + cve + "#files");
    WebElement after = browser.driver().findElements(By.cssSelector("#cve-files tbody tr")).stream()
        .filter(r -> r.getText().contains(channel + "/noarch/" + file)).findFirst().orElseThrow();
    assertThat(after.findElement(By.cssSelector(".file-status")).getText()).isEqualTo(status);
  }

  private static WebElement fileCves(String channel, String file) {
    return browser.driver().findElements(By.cssSelector("#files tbody tr")).stream()
        .filter(r -> r.findElement(By.cssSelector("td.file")).getText().contains(file)).findFirst().orElseThrow()
        .findElement(By.cssSelector("td.file-cves"));
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
