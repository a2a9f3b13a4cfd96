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
import java.time.Duration;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.WebDriverWait;

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
    people.user("boss", "boss's long password", true);
    server.createChannel("club", "private");
    people.user("olga", "olga's long password", false);
    people.user("pete", "pete's long password", false);
    people.member("club", "olga", "owner");
  }

  private static void signIn(String user, String password) {
    browser.driver().manage().deleteAllCookies();
    browser.open(server.url() + "/signin");
    browser.find(By.id("username")).sendKeys(user);
    browser.find(By.id("password")).sendKeys(password);
    browser.navigate(() -> browser.find(By.id("sign-in-submit")).click());
  }

  @Test
  void anOwnerOpensTheChannelSettingsChangesThePrivacyAndAddsAMember() {
    signIn("olga", "olga's long password");
    browser.open(server.url() + "/channels/club");
    browser.navigate(() -> browser.find(By.id("channel-settings")).click());
    new org.openqa.selenium.support.ui.Select(browser.find(By.id("privacy"))).selectByValue("authenticated");
    browser.navigate(() -> browser.find(By.id("save-privacy")).click());
    assertThat(new org.openqa.selenium.support.ui.Select(browser.find(By.id("privacy"))).getFirstSelectedOption()
        .getAttribute("value")).isEqualTo("authenticated");

    browser.find(By.id("member-user")).sendKeys("pete");
    new org.openqa.selenium.support.ui.Select(browser.find(By.id("member-role"))).selectByValue("maintainer");
    browser.navigate(() -> browser.find(By.id("add-member")).click());
    assertThat(browser.find(By.id("members")).getText()).contains("olga owner", "pete maintainer");

    browser.find(By.id("member-user")).sendKeys("nobody-here");
    browser.navigate(() -> browser.find(By.id("add-member")).click());
    assertThat(browser.find(By.id("settings-error")).getText()).isEqualTo("user 'nobody-here' does not exist");

    assertThat(server.send(server.admin("/api/channels/club").GET()).body()).asString()
        .contains("\"privacy\":\"authenticated\"");
  }

  @Test
  void swaggerUiTriesRequestsWithTheSessionOfASignedInAdministrator() {
    signIn("boss", "boss's long password");
    assertThat(browser.find(By.linkText("Users")).isDisplayed()).isTrue();
    browser.open(server.url() + "/swagger/ui");
    JavascriptExecutor js = (JavascriptExecutor) browser.driver();
    new WebDriverWait(browser.driver(), Duration.ofSeconds(30)).until(d -> Boolean.TRUE.equals(js.executeScript(
        "return !!window.ui && !!window.ui.getConfigs().requestInterceptor"
            + " && !!window.ui.getConfigs().requestInterceptor({method: 'POST', headers: {}}).headers['X-CSRF-Token'];")));
    // what try-it-out sends: the request as Swagger UI builds it, through the page's interceptor
    Object status = js.executeAsyncScript("const done = arguments[arguments.length - 1];"
        + "const req = window.ui.getConfigs().requestInterceptor({method: 'POST', url: '/api/users',"
        + " headers: {'Content-Type': 'application/json'}});"
        + "fetch(req.url, {method: req.method, headers: req.headers, credentials: 'same-origin',"
        + " body: JSON.stringify({name: 'from-swagger', password: 'a long password'})}).then(r => done(r.status));");
    assertThat(status).isEqualTo(201L);
    Object without = js.executeAsyncScript("const done = arguments[arguments.length - 1];"
        + "fetch('/api/users', {method: 'POST', headers: {'Content-Type': 'application/json'},"
        + " credentials: 'same-origin', body: JSON.stringify({name: 'forged', password: 'a long password'})})"
        + ".then(r => done(r.status));");
    assertThat(without).as("the session alone is not enough to change something").isEqualTo(403L);
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
    browser.driver().manage().deleteAllCookies();
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
