package io.wharf.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.testing.Browser;
import io.wharf.server.testing.Personas;
import io.wharf.server.testing.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The mirror policies page in a real Chromium: an administrator creates a policy with the form and sees it
 * listed (and the API has it with the same filters), and edits one in a form holding its filters; a policy the
 * service refuses shows its message and the form keeps what was typed; someone else is refused the page.
 */
class PolicyBrowserTest {
  @TempDir static Path data;
  static Browser browser;
  static TestServer server;

  @BeforeAll
  static void start() {
    browser = Browser.start();
    server = TestServer.start(data);
    Personas people = new Personas(server);
    people.user("ada", "ada's long password", true);
    people.user("bob", "bob's long password", false);
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
  void anAdministratorCreatesAPolicyInTheFormAndSeesItListed() {
    signIn("ada", "ada's long password");
    browser.open(server.url() + "/mirrors");
    browser.navigate(() -> browser.find(By.id("policies-link")).click());
    assertThat(browser.find(By.cssSelector("p.empty")).getText()).contains("No policies yet");

    browser.find(By.id("policy-name")).sendKeys("curated");
    browser.find(By.id("policy-description")).sendKeys("zlib <b>only</b>");
    browser.find(By.id("policy-subdirs")).sendKeys("linux-64, noarch");
    browser.find(By.id("policy-include")).sendKeys("zlib >=1.2,<2\nopenssl");
    browser.find(By.cssSelector("input[name=license_not_in][value=GPL3]")).click();
    browser.find(By.id("policy-cve-max")).sendKeys("7.5");
    browser.find(By.cssSelector("input[name=drop_tar_bz2]")).click();
    browser.navigate(() -> browser.find(By.id("create-policy")).click());

    WebElement row = browser.find(By.id("policy-curated"));
    assertThat(row.getText()).contains("curated", "zlib <b>only</b>", "subdirs: linux-64, noarch",
        "include: zlib >=1.2,<2, openssl", "license_not_in: GPL3", "cve_score_max: 7.5", "drop_tar_bz2: true");
    assertThat(browser.driver().findElements(By.cssSelector("#policy-curated b"))).isEmpty(); // escaped
    assertThat(browser.driver().findElements(By.id("policy-error"))).isEmpty();
    browser.screenshot("policies");

    JsonNode api = TestServer.json(server.send(server.admin("/api/policies/curated")));
    assertThat(api.path("filters").toString()).isEqualTo("{\"subdirs\":[\"linux-64\",\"noarch\"],\"include\":"
        + "[\"zlib >=1.2,<2\",\"openssl\"],\"license_not_in\":[\"GPL3\"],\"cve_score_max\":7.5,\"drop_tar_bz2\":true}");
    assertThat(api.path("description").asText()).isEqualTo("zlib <b>only</b>");
  }

  @Test
  void aPolicyTheServiceRefusesShowsWhyAndKeepsWhatWasTyped() {
    signIn("ada", "ada's long password");
    browser.open(server.url() + "/policies");
    browser.find(By.id("policy-name")).sendKeys("wrong-subdir");
    browser.find(By.id("policy-subdirs")).sendKeys("linux-99");
    browser.find(By.cssSelector("input[name=license_in][value=MIT]")).click();
    browser.navigate(() -> browser.find(By.id("create-policy")).click());

    assertThat(browser.find(By.id("policy-error")).getText()).contains("linux-99 is not a known conda subdir");
    assertThat(browser.find(By.id("policy-name")).getAttribute("value")).isEqualTo("wrong-subdir");
    assertThat(browser.find(By.id("policy-subdirs")).getAttribute("value")).isEqualTo("linux-99");
    assertThat(browser.find(By.cssSelector("input[name=license_in][value=MIT]")).isSelected()).isTrue();
    assertThat(browser.driver().findElements(By.id("policy-wrong-subdir"))).isEmpty();
    assertThat(server.send(server.admin("/api/policies/wrong-subdir")).statusCode()).isEqualTo(404);

    browser.find(By.id("policy-subdirs")).clear();
    browser.find(By.id("policy-cve-min")).sendKeys("high");
    browser.navigate(() -> browser.find(By.id("create-policy")).click());
    assertThat(browser.find(By.id("policy-error")).getText()).contains("'cve_score_min' is a number, not high");
  }

  @Test
  void aPolicyIsDeletedFromThePageOnlyOnceNoMirrorFollowsIt() {
    assertThat(api("POST", "/api/policies", "{\"name\":\"doomed\"}").statusCode()).isEqualTo(201);
    server.createChannel("follower", "public");
    assertThat(api("POST", "/api/mirrors", "{\"name\":\"follower\",\"channel\":\"follower\",\"upstream\":\""
        + server.url() + "/conda/none\",\"mode\":\"passive\",\"subdirs\":[\"noarch\"],\"policy\":\"doomed\"}")
        .statusCode()).isEqualTo(201);
    signIn("ada", "ada's long password");
    browser.open(server.url() + "/policies");

    browser.navigate(() -> browser.find(By.id("delete-policy-doomed")).click());
    assertThat(browser.find(By.id("policy-error")).getText())
        .contains("policy doomed is followed by mirror(s) follower; detach it from them first");
    assertThat(browser.find(By.id("policy-doomed")).isDisplayed()).isTrue();

    assertThat(api("PATCH", "/api/mirrors/follower", "{\"policy\":null}").statusCode()).isEqualTo(200);
    browser.navigate(() -> browser.find(By.id("delete-policy-doomed")).click());
    assertThat(browser.driver().findElements(By.id("policy-doomed"))).isEmpty();
    assertThat(browser.driver().findElements(By.id("policy-error"))).isEmpty();
    assertThat(server.send(server.admin("/api/policies/doomed")).statusCode()).isEqualTo(404);
  }

  @Test
  void anAdministratorEditsAPolicyFromTheListInAFormHoldingItsFilters() {
    assertThat(api("POST", "/api/policies", "{\"name\":\"tunable\",\"description\":\"before <i>edit</i>\","
        + "\"filters\":{\"subdirs\":[\"linux-64\"],\"include\":[\"zlib >=1.2\",\"openssl\"],"
        + "\"license_not_in\":[\"GPL3\"],\"cve_score_max\":8.9,\"drop_tar_bz2\":true}}").statusCode()).isEqualTo(201);
    try {
      signIn("ada", "ada's long password");
      browser.open(server.url() + "/policies");
      browser.navigate(() -> browser.find(By.id("edit-policy-tunable")).click());

      assertThat(browser.find(By.tagName("h1")).getText()).isEqualTo("Edit policy tunable");
      assertThat(browser.find(By.id("policy-replace-note")).getText())
          .contains("mirrors following this policy keep it and judge every upstream file again on their next run");
      assertThat(browser.find(By.id("policy-description")).getAttribute("value")).isEqualTo("before <i>edit</i>");
      assertThat(browser.find(By.id("policy-subdirs")).getAttribute("value")).isEqualTo("linux-64");
      assertThat(browser.find(By.id("policy-include")).getAttribute("value")).isEqualTo("zlib >=1.2\nopenssl");
      assertThat(browser.find(By.cssSelector("input[name=license_not_in][value=GPL3]")).isSelected()).isTrue();
      assertThat(browser.find(By.cssSelector("input[name=license_not_in][value=MIT]")).isSelected()).isFalse();
      assertThat(browser.find(By.id("policy-cve-max")).getAttribute("value")).isEqualTo("8.9");
      assertThat(browser.find(By.cssSelector("input[name=drop_tar_bz2]")).isSelected()).isTrue();
      assertThat(browser.find(By.cssSelector("input[name=signed_only]")).isSelected()).isFalse();
      assertThat(browser.driver().findElements(By.id("policy-name"))).as("the name is not editable").isEmpty();
      browser.screenshot("policy-edit");

      browser.find(By.id("policy-subdirs")).clear();
      browser.find(By.id("policy-subdirs")).sendKeys("linux-99");
      browser.navigate(() -> browser.find(By.id("save-policy")).click());
      assertThat(browser.find(By.id("policy-error")).getText()).contains("linux-99 is not a known conda subdir");
      assertThat(browser.find(By.id("policy-subdirs")).getAttribute("value")).isEqualTo("linux-99");
      assertThat(TestServer.json(server.send(server.admin("/api/policies/tunable"))).path("filters")
          .path("subdirs").toString()).isEqualTo("[\"linux-64\"]");

      browser.find(By.id("policy-subdirs")).clear();
      browser.find(By.id("policy-subdirs")).sendKeys("linux-64");
      browser.find(By.id("policy-cve-max")).clear();
      browser.find(By.id("policy-cve-max")).sendKeys("7");
      browser.find(By.cssSelector("input[name=signed_only]")).click();
      browser.navigate(() -> browser.find(By.id("save-policy")).click());

      assertThat(browser.driver().getCurrentUrl()).isEqualTo(server.url() + "/policies");
      assertThat(browser.find(By.id("policy-tunable")).getText()).contains("cve_score_max: 7.0", "signed_only: true",
          "drop_tar_bz2: true", "before <i>edit</i>");
      JsonNode api = TestServer.json(server.send(server.admin("/api/policies/tunable")));
      assertThat(api.path("filters").toString()).isEqualTo("{\"subdirs\":[\"linux-64\"],\"include\":[\"zlib >=1.2\","
          + "\"openssl\"],\"license_not_in\":[\"GPL3\"],\"cve_score_max\":7.0,\"signed_only\":true,"
          + "\"drop_tar_bz2\":true}");
      assertThat(api.path("description").asText()).isEqualTo("before <i>edit</i>");
    } finally {
      // the other tests expect the page to start without policies
      server.send(server.admin("/api/policies/tunable").DELETE());
    }
  }

  private static java.net.http.HttpResponse<byte[]> api(String method, String path, String json) {
    return server.send(server.admin(path).header("Content-Type", "application/json")
        .method(method, java.net.http.HttpRequest.BodyPublishers.ofString(json)));
  }

  @Test
  void thePoliciesPageIsForAdministrators() {
    signIn("bob", "bob's long password");
    browser.open(server.url() + "/mirrors");
    assertThat(browser.driver().findElements(By.id("policies-link"))).isEmpty();
    browser.open(server.url() + "/policies");
    assertThat(browser.driver().findElements(By.id("policy-form"))).isEmpty();
    assertThat(browser.text()).contains("administrator");
    browser.open(server.url() + "/policies/anything/edit");
    assertThat(browser.driver().findElements(By.id("policy-edit-form"))).isEmpty();
    assertThat(browser.text()).contains("administrator");
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
