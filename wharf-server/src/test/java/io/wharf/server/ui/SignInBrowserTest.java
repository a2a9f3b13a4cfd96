package io.wharf.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.Browser;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.Personas;
import io.wharf.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;

/** Signing in and out in a real browser, and creating a token on the Tokens page. */
class SignInBrowserTest {
  @TempDir static Path data;
  static Browser browser;
  static TestServer server;

  @BeforeAll
  static void start() {
    browser = Browser.start();
    server = TestServer.start(data);
    server.createChannel("team", "private");
    server.upload("team", Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda"));
    Personas people = new Personas(server);
    people.user("ann", "ann's long password", false);
    people.member("team", "ann", "viewer");
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aUserSignsInSeesThePrivateChannelCreatesATokenOnceAndSignsOut() {
    browser.open(server.url() + "/");
    assertThat(browser.text()).doesNotContain("team");
    browser.navigate(() -> browser.find(By.id("sign-in")).click());
    browser.find(By.id("username")).sendKeys("ann");
    browser.find(By.id("password")).sendKeys("wrong password");
    browser.navigate(() -> browser.find(By.id("sign-in-submit")).click());
    assertThat(browser.find(By.id("sign-in-error")).getText()).isEqualTo("the user name or password is not right");

    browser.find(By.id("password")).sendKeys("ann's long password");
    browser.navigate(() -> browser.find(By.id("sign-in-submit")).click());
    assertThat(browser.find(By.id("signed-in-user")).getText()).isEqualTo("ann");
    assertThat(browser.find(By.id("channels")).getText()).contains("team");
    Cookie session = browser.driver().manage().getCookieNamed("wharf_session");
    assertThat(session.isHttpOnly()).isTrue();
    assertThat(session.getSameSite()).isEqualTo("Lax");

    browser.navigate(() -> browser.find(By.linkText("Tokens")).click());
    browser.find(By.id("token-name")).sendKeys("laptop");
    browser.find(By.id("token-channels")).sendKeys("team");
    browser.navigate(() -> browser.find(By.id("create-token")).click());
    String secret = browser.find(By.id("new-token")).getAttribute("value");
    assertThat(secret).startsWith("wh-");
    assertThat(browser.find(By.id("tokens")).getText()).contains("laptop", "team", "read")
        .doesNotContain(secret);
    assertThat(server.send(server.request("/conda/team/linux-64/repodata.json")
        .header("Authorization", "Bearer " + secret)).statusCode()).isEqualTo(200);
    browser.navigate(() -> browser.driver().navigate().refresh());
    assertThat(browser.text()).as("shown only once").doesNotContain(secret);

    browser.navigate(() -> browser.find(By.id("sign-out")).click());
    assertThat(browser.find(By.id("sign-in")).getText()).isEqualTo("Sign in");
    assertThat(browser.text()).doesNotContain("team");
    assertThat(server.send(server.request("/api/whoami").header("Cookie", "wharf_session=" + session.getValue()))
        .body()).asString().contains("\"authenticated\":false");
    assertThat(server.send(server.request("/api/tokens").header("Cookie", "wharf_session=" + session.getValue())
        .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).as("the old cookie is worth nothing").isEqualTo(401);
  }
}
