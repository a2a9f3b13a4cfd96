package io.wharf.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.testing.Browser;
import io.wharf.server.testing.CatalogChannels;
import io.wharf.server.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** Search, package tabs and license families as a person uses them, in a real headless Chromium. */
class CatalogBrowserTest {
  private static final int BULK = 25;

  @TempDir static Path data;
  @TempDir static Path work;
  static Browser browser;
  static TestServer server;

  @BeforeAll
  static void start() {
    browser = Browser.start();
    server = TestServer.start(data);
    CatalogChannels.fill(server, work, BULK);
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

  record Row(String name, String channel, String version, String summary, String platforms, String families,
      String match) {}

  @Test
  void slashFocusesTheGlobalSearchBarAndSubmittingShowsEachPackageOncePerChannel() {
    browser.open(server.url() + "/");
    browser.find(By.tagName("body")).sendKeys("/");
    assertThat(browser.driver().switchTo().activeElement().getDomAttribute("id")).isEqualTo("global-search");
    navigate(() -> browser.driver().switchTo().activeElement().sendKeys("zlib", Keys.ENTER));

    assertThat(browser.driver().getCurrentUrl()).isEqualTo(server.url() + "/search?q=zlib");
    browser.screenshot("search-results");
    List<Row> rows = results();
    assertThat(rows.get(0).name()).isEqualTo("zlib");
    // zlib has a .conda and a .tar.bz2 in real, and a .conda in mirror: one row per channel.
    assertThat(rows.stream().filter(r -> r.name().equals("zlib")).map(Row::channel))
        .containsExactlyInAnyOrder("real", "mirror");
    Row real = rows.stream().filter(r -> r.name().equals("zlib") && r.channel().equals("real")).findFirst()
        .orElseThrow();
    assertThat(real).isIn(rows.subList(0, 2));
    assertThat(real.version()).isEqualTo("1.2.11");
    assertThat(real.summary()).isEqualTo("Massively spiffy yet delicately unobtrusive compression library");
    assertThat(real.platforms()).isEqualTo("linux-64");
    assertThat(real.families()).isEqualTo("Other");
    assertThat(rows).extracting(Row::name).contains("needs-new-zlib", "noarch-zlib-user")
        .doesNotContain("secret-zlib-fork");
    assertThat(browser.find(By.id("q")).getDomProperty("value")).isEqualTo("zlib");
  }

  @Test
  void aMisspelledNameStillFindsThePackageMarkedAsSimilar() {
    browser.open(server.url() + "/search");
    WebElement q = browser.find(By.id("q"));
    navigate(() -> q.sendKeys("xtensr-io", Keys.ENTER));
    List<Row> rows = results();
    assertThat(rows).isNotEmpty();
    assertThat(rows.get(0).name()).isEqualTo("xtensor-io");
    assertThat(rows.get(0).match()).isEqualTo("similar");
  }

  @Test
  void filtersNarrowTheResultsAndTheUrlKeepsThemAcrossReloadAndBack() {
    browser.open(server.url() + "/search?q=zlib");
    List<Row> all = results();

    new Select(browser.find(By.id("filter-platform"))).selectByValue("noarch");
    navigate(() -> browser.find(By.cssSelector("#search-filters button[type=submit]")).click());
    assertThat(browser.driver().getCurrentUrl()).contains("q=zlib").contains("platform=noarch");
    assertThat(results()).extracting(Row::name).containsExactly("noarch-zlib-user");

    browser.driver().navigate().refresh();
    assertThat(results()).extracting(Row::name).containsExactly("noarch-zlib-user");
    assertThat(new Select(browser.find(By.id("filter-platform"))).getFirstSelectedOption().getText())
        .isEqualTo("noarch");

    new Select(browser.find(By.id("filter-platform"))).selectByValue("");
    new Select(browser.find(By.id("filter-license"))).selectByVisibleText("MIT");
    navigate(() -> browser.find(By.cssSelector("#search-filters button[type=submit]")).click());
    assertThat(browser.driver().getCurrentUrl()).contains("license_family=mit");
    assertThat(results()).extracting(Row::name).contains("needs-new-zlib", "noarch-zlib-user")
        .doesNotContain("zlib", "xtensor-io");
    assertThat(results()).extracting(Row::families).containsOnly("MIT");

    new Select(browser.find(By.id("filter-license"))).selectByValue("");
    new Select(browser.find(By.id("filter-channel"))).selectByValue("mirror");
    navigate(() -> browser.find(By.cssSelector("#search-filters button[type=submit]")).click());
    assertThat(browser.driver().getCurrentUrl()).contains("channel=mirror");
    assertThat(results()).extracting(Row::name, Row::channel)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("zlib", "mirror"));

    browser.driver().navigate().back();
    assertThat(browser.driver().getCurrentUrl()).contains("license_family=mit").doesNotContain("channel=mirror");
    assertThat(results()).extracting(Row::families).containsOnly("MIT");
    browser.driver().navigate().back();
    browser.driver().navigate().back();
    assertThat(browser.driver().getCurrentUrl()).isEqualTo(server.url() + "/search?q=zlib");
    assertThat(results()).isEqualTo(all);
  }

  @Test
  void pagerLinksWalkThroughMoreThanOnePageOfResults() {
    browser.open(server.url() + "/search?q=bulk-pkg");
    assertThat(browser.find(By.id("result-count")).getText()).isEqualTo(BULK + " packages found");
    assertThat(browser.find(By.cssSelector(".pager span")).getText()).isEqualTo("Page 1 of 2");
    assertThat(browser.driver().findElements(By.cssSelector(".pager a[rel=prev]"))).isEmpty();
    List<String> first = results().stream().map(Row::name).toList();
    assertThat(first).hasSize(20);

    navigate(() -> browser.find(By.cssSelector(".pager a[rel=next]")).click());
    assertThat(browser.driver().getCurrentUrl()).contains("q=bulk-pkg").contains("page=2");
    assertThat(browser.find(By.cssSelector(".pager span")).getText()).isEqualTo("Page 2 of 2");
    assertThat(browser.driver().findElements(By.cssSelector(".pager a[rel=next]"))).isEmpty();
    List<String> second = results().stream().map(Row::name).toList();
    assertThat(second).hasSize(BULK - 20).doesNotContainAnyElementsOf(first);
    List<String> together = new ArrayList<>(first);
    together.addAll(second);
    assertThat(together).doesNotHaveDuplicates().allMatch(n -> n.matches("bulk-pkg-\\d\\d"));

    navigate(() -> browser.find(By.cssSelector(".pager a[rel=prev]")).click());
    assertThat(results().stream().map(Row::name).toList()).isEqualTo(first);
  }

  @Test
  void channelSearchBoxFiltersThatChannelsPackages() {
    browser.open(server.url() + "/channels/real");
    assertThat(packageNames()).contains("xtensor-io", "spiffy-test-app");
    navigate(() -> browser.find(By.id("channel-search")).sendKeys("zlib", Keys.ENTER));
    assertThat(browser.driver().getCurrentUrl()).isEqualTo(server.url() + "/channels/real?q=zlib");
    browser.screenshot("channel-search");
    assertThat(packageNames()).contains("zlib", "needs-new-zlib", "noarch-zlib-user")
        .doesNotContain("xtensor-io", "spiffy-test-app", "secret-zlib-fork");
    navigate(() -> browser.find(By.linkText("Clear")).click());
    assertThat(packageNames()).contains("xtensor-io");
  }

  @Test
  void filesTabShowsLicenseFamilyAndInfoRevealsTheMetadata() {
    browser.open(server.url() + "/channels/real/packages/zlib?tab=dependants");
    navigate(() -> browser.find(By.id("tab-files")).click());
    assertThat(browser.driver().getCurrentUrl()).isEqualTo(server.url() + "/channels/real/packages/zlib");
    assertThat(browser.find(By.id("tab-files")).getDomAttribute("aria-current")).isEqualTo("page");
    List<WebElement> rows = browser.driver().findElements(By.cssSelector("#files tbody tr"));
    assertThat(rows).hasSize(2);
    WebElement first = rows.get(0);
    assertThat(first.findElements(By.tagName("td")).get(5).getText()).isEqualTo("Other");
    WebElement pre = first.findElement(By.cssSelector("details.metadata pre"));
    assertThat(pre.isDisplayed()).isFalse();
    first.findElement(By.cssSelector("details.metadata summary")).click();
    assertThat(pre.isDisplayed()).isTrue();
    assertThat(pre.getText()).contains("\"index.json\"").contains("\"name\" : \"zlib\"");
    assertThat(fitsTheWindowWidth()).as("the files table and its metadata panel fit the window").isTrue();
    browser.screenshot("package-files");
  }

  @Test
  void dependenciesTabLinksAvailablePackagesAndNamesSystemAndMissingOnes() {
    browser.open(server.url() + "/channels/real/packages/sys-tool");
    navigate(() -> browser.find(By.id("tab-dependencies")).click());
    assertThat(browser.driver().getCurrentUrl())
        .isEqualTo(server.url() + "/channels/real/packages/sys-tool?tab=dependencies");
    browser.screenshot("package-dependencies");
    Map<String, WebElement> bySpec = new LinkedHashMap<>();
    for (WebElement tr : browser.driver().findElements(By.cssSelector("#dependencies tbody tr"))) {
      bySpec.put(tr.findElements(By.tagName("td")).get(1).getText(), tr);
    }
    assertThat(bySpec).containsOnlyKeys("__glibc >=2.17", "zlib", "not-anywhere 1.*");
    assertThat(where(bySpec.get("__glibc >=2.17"))).isEqualTo("system requirement");
    assertThat(where(bySpec.get("not-anywhere 1.*"))).isEqualTo("not in your channels");
    assertThat(bySpec.get("not-anywhere 1.*").findElements(By.tagName("a"))).isEmpty();
    assertThat(where(bySpec.get("zlib"))).contains("real").contains("mirror");
    navigate(() -> bySpec.get("zlib").findElement(By.linkText("zlib")).click());
    assertThat(browser.driver().getCurrentUrl()).matches(server.url() + "/channels/(real|mirror)/packages/zlib");
    assertThat(browser.find(By.tagName("h1")).getText()).isEqualTo("zlib 1.2.11");
  }

  @Test
  void dependantsTabSaysWhetherEachAdmitsTheLatestAndThePlatformFilterKeepsNoarch() {
    browser.open(server.url() + "/channels/real/packages/zlib");
    navigate(() -> browser.find(By.id("tab-dependants")).click());
    assertThat(browser.driver().getCurrentUrl())
        .isEqualTo(server.url() + "/channels/real/packages/zlib?tab=dependants");
    browser.screenshot("package-dependants");
    Map<String, String> admits = dependants();
    assertThat(admits).containsEntry("xtensor-io", "yes").containsEntry("needs-new-zlib", "no")
        .containsEntry("noarch-zlib-user", "yes").containsEntry("sys-tool", "yes")
        .doesNotContainKey("secret-zlib-fork");

    new Select(browser.find(By.id("dependants-platform"))).selectByValue("osx-64");
    navigate(() -> browser.find(By.cssSelector("#dependants button[type=submit]")).click());
    assertThat(browser.driver().getCurrentUrl()).contains("tab=dependants").contains("platform=osx-64");
    assertThat(dependants()).containsOnlyKeys("noarch-zlib-user");
    browser.driver().navigate().refresh();
    assertThat(dependants()).containsOnlyKeys("noarch-zlib-user");
  }

  @Test
  void licensesPageListsTwelveFamiliesWithCountsAndSearchesByFamily() {
    browser.open(server.url() + "/licenses");
    browser.screenshot("licenses");
    Map<String, String> counts = new LinkedHashMap<>();
    for (WebElement tr : browser.driver().findElements(By.cssSelector("#license-families tbody tr"))) {
      List<WebElement> cells = tr.findElements(By.tagName("td"));
      counts.put(cells.get(0).getText(), cells.get(1).getText());
    }
    assertThat(counts.keySet()).containsExactly("AGPL", "GPL2", "GPL3", "LGPL", "BSD", "MIT", "Apache", "PSF",
        "Public Domain", "Proprietary", "Other", "None");
    for (JsonNode g : server.getJson("/api/licenses")) {
      assertThat(counts.get(g.get("family").asText())).as(g.get("family").asText())
          .isEqualTo(g.get("package_count").asText());
    }
    // Visible channels only: bulk-pkg-01..25 (BSD) and three MIT packages in real, not the private fork.
    assertThat(Integer.parseInt(counts.get("BSD"))).isGreaterThanOrEqualTo(BULK + 2);
    assertThat(counts.get("MIT")).isEqualTo("3");
    // A family without packages has no section to jump to.
    assertThat(browser.find(By.id("family-agpl")).findElements(By.linkText("AGPL"))).isEmpty();
    browser.find(By.id("family-bsd")).findElement(By.linkText("BSD")).click();
    assertThat(browser.driver().getCurrentUrl()).endsWith("/licenses#packages-bsd");
    browser.screenshot("licenses-packages");
    // Counts per channel, each a link to the search that lists them a page at a time.
    WebElement bsd = browser.find(By.id("packages-bsd"));
    assertThat(bsd.getText()).contains("bulk: " + BULK + " packages", "real:");
    WebElement mit = browser.find(By.id("packages-mit"));
    assertThat(mit.getText()).contains("real: 3 packages").doesNotContain("hidden");

    navigate(() -> browser.find(By.id("packages-bsd")).findElement(By.linkText(BULK + " packages")).click());
    assertThat(browser.driver().getCurrentUrl()).isEqualTo(server.url() + "/search?license_family=bsd&channel=bulk");
    assertThat(browser.find(By.id("result-count")).getText()).isEqualTo(BULK + " packages found");
    browser.driver().navigate().back();

    navigate(() -> browser.find(By.id("packages-mit")).findElement(By.linkText("search these")).click());
    assertThat(browser.driver().getCurrentUrl()).isEqualTo(server.url() + "/search?license_family=mit");
    assertThat(new Select(browser.find(By.id("filter-license"))).getFirstSelectedOption().getText())
        .isEqualTo("MIT");
    assertThat(results()).extracting(Row::name)
        .containsExactlyInAnyOrder("needs-new-zlib", "sys-tool", "noarch-zlib-user");
  }

  @Test
  void aHostileQueryIsShownAsTextAndNeverRuns() {
    String hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    browser.open(server.url() + "/search?q=" + URLEncoder.encode(hostile, StandardCharsets.UTF_8));
    assertThat(alertOpen()).isFalse();
    assertThat(browser.find(By.id("q")).getDomProperty("value")).isEqualTo(hostile);
    assertThat(browser.driver().getTitle()).isEqualTo("Search: " + hostile + " · Wharf");
    List<WebElement> scripts = browser.driver().findElements(By.tagName("script"));
    assertThat(scripts).singleElement().extracting(s -> s.getDomAttribute("src")).isEqualTo("/static/wharf.js");
    assertThat(browser.driver().findElements(By.tagName("img"))).isEmpty();
    assertThat(browser.text()).contains("Nothing matches");
  }

  private static String where(WebElement tr) {
    return tr.findElements(By.tagName("td")).get(2).getText();
  }

  private static Map<String, String> dependants() {
    Map<String, String> out = new LinkedHashMap<>();
    for (WebElement tr : browser.driver().findElements(By.cssSelector("#dependants-table tbody tr"))) {
      List<WebElement> cells = tr.findElements(By.tagName("td"));
      out.put(cells.get(0).getText(), cells.get(6).getText());
    }
    return out;
  }

  private static List<String> packageNames() {
    return browser.driver().findElements(By.cssSelector("#packages tbody tr td:first-child a")).stream()
        .map(WebElement::getText).toList();
  }

  private static List<Row> results() {
    List<Row> rows = new ArrayList<>();
    for (WebElement tr : browser.driver().findElements(By.cssSelector("#results tbody tr"))) {
      List<String> c = tr.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
      String name = tr.findElement(By.cssSelector("td:first-child a")).getText();
      List<WebElement> tag = tr.findElements(By.cssSelector("td:first-child .tag"));
      rows.add(new Row(name, c.get(1), c.get(2), c.get(3), c.get(4), c.get(5),
          tag.isEmpty() ? "" : tag.get(0).getText()));
    }
    return rows;
  }

  private static void navigate(Runnable action) {
    browser.navigate(action);
  }

  private static boolean fitsTheWindowWidth() {
    Object fits = ((JavascriptExecutor) browser.driver()).executeScript(
        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth;");
    return Boolean.TRUE.equals(fits);
  }

  private static boolean alertOpen() {
    try {
      browser.driver().switchTo().alert().dismiss();
      return true;
    } catch (NoAlertPresentException e) {
      return false;
    }
  }
}
