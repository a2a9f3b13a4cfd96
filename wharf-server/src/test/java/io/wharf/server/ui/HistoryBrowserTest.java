package io.wharf.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.Browser;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** A person finds a channel's history from the channel page and reads what happened, in a real Chromium. */
class HistoryBrowserTest {
  @TempDir static Path data;
  static Browser browser;
  static TestServer server;

  @BeforeAll
  static void start() {
    browser = Browser.start();
    server = TestServer.start(data);
    assertThat(server.createChannel("builds", "public").statusCode()).isEqualTo(201);
    assertThat(server.createChannel("release", "public").statusCode()).isEqualTo(201);
    assertThat(server.upload("builds", Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda")).statusCode())
        .isEqualTo(201);
    assertThat(server.send(server.admin("/api/channels/builds/copy").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"release\",\"items\":[\"zlib\"]}"))).statusCode())
        .isEqualTo(200);
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
  void theChannelPageLeadsToItsHistoryWhoseDetailsOpenOnClick() {
    browser.open(server.url() + "/channels/release");
    browser.navigate(() -> browser.find(By.id("history-link")).click());

    assertThat(browser.driver().getCurrentUrl()).endsWith("/channels/release/history");
    List<WebElement> rows = browser.driver().findElements(By.cssSelector("#history tbody tr"));
    assertThat(rows).extracting(r -> r.findElement(By.cssSelector("td[data-label=Action]")).getText())
        .containsExactly("copy", "channel_create");
    assertThat(rows.get(0).getText()).contains("builds → release", "linux-64/zlib-1.2.11-h7b6447c_3.conda (copied)");
    assertThat(browser.text()).as("anonymous readers see no addresses").doesNotContain("127.0.0.1");

    WebElement details = rows.get(0).findElement(By.tagName("details"));
    assertThat(details.getAttribute("open")).isNull();
    details.findElement(By.tagName("summary")).click();
    assertThat(details.getAttribute("open")).isNotNull();
    assertThat(details.getText()).contains("\"on_collision\":\"fail\"");
    browser.screenshot("channel-history");
  }
}
