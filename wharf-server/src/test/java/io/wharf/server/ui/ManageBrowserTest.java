package io.wharf.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.Browser;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.Personas;
import io.wharf.server.testing.ServedRows;
import io.wharf.server.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Uploading through the browser, and moving, copying and deleting what is selected on a channel's pages,
 * in a real Chromium: the page calls the public API with the session's CSRF token.
 */
class ManageBrowserTest {
  static final String ZLIB = "zlib-1.2.11-h7b6447c_3.conda";
  static final String XTENSOR = "xtensor-io-0.10.3-hb585cf6_0.tar.bz2";
  static final List<String> SUBDIRS = List.of("linux-64", "noarch");

  @TempDir static Path data;
  @TempDir static Path files;
  static Browser browser;
  static TestServer server;

  @BeforeAll
  static void start() {
    browser = Browser.start();
    server = TestServer.start(data);
    for (String c : List.of("uploads", "builds", "release", "held", "scratch", "labelled")) {
      assertThat(server.createChannel(c, "public").statusCode()).isEqualTo(201);
    }
    Personas people = new Personas(server);
    people.user("mia", "mia's long password", false);
    people.user("vic", "vic's long password", false);
    for (String c : List.of("uploads", "builds", "release", "held", "scratch", "labelled")) {
      people.member(c, "mia", "maintainer");
      people.member(c, "vic", "viewer");
    }
    assertThat(server.upload("builds", Fixtures.realPackage(ZLIB)).statusCode()).isEqualTo(201);
    assertThat(server.upload("builds", Fixtures.realPackage(XTENSOR)).statusCode()).isEqualTo(201);
    assertThat(server.upload("held", Fixtures.realPackage(ZLIB)).statusCode()).isEqualTo(201);
    assertThat(server.upload("scratch", Fixtures.realPackage(ZLIB)).statusCode()).isEqualTo(201);
    assertThat(server.upload("scratch", Fixtures.realPackage(XTENSOR)).statusCode()).isEqualTo(201);
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

  private static void signIn(String user, String password) {
    browser.driver().manage().deleteAllCookies();
    browser.open(server.url() + "/signin");
    browser.find(By.id("username")).sendKeys(user);
    browser.find(By.id("password")).sendKeys(password);
    browser.navigate(() -> browser.find(By.id("sign-in-submit")).click());
    assertThat(browser.find(By.id("signed-in-user")).getText()).isEqualTo(user);
  }

  private static WebDriverWait waiting() {
    return new WebDriverWait(browser.driver(), Duration.ofSeconds(60));
  }

  private static List<WebElement> uploadRows() {
    return browser.driver().findElements(By.cssSelector("#upload-list li"));
  }

  private static void select(String packageName) {
    browser.find(By.cssSelector("#packages input.select-item[value='" + packageName + "']")).click();
  }

  private static String outcome() {
    waiting().until(d -> !d.findElement(By.id("action-outcome")).getText().isEmpty());
    return browser.find(By.id("action-outcome")).getText();
  }

  private static List<String> packagesListed() {
    return browser.driver().findElements(By.cssSelector("#packages tbody td[data-label=Package] a")).stream()
        .map(WebElement::getText).toList();
  }

  @Test
  void aMaintainerUploadsTwoPackagesAndSeesWhyACorruptOneIsRefused() throws IOException {
    // named like a package, so it passes the check before the upload and is refused once read
    Path corrupt = Files.copy(Fixtures.corruptPackage("bad_package.tar.bz2"), files.resolve("bad-1.0-0.tar.bz2"));
    signIn("mia", "mia's long password");
    browser.open(server.url() + "/channels/uploads");
    assertThat(browser.text()).contains("No packages yet");

    browser.find(By.id("upload-files")).sendKeys(String.join("\n",
        Fixtures.realPackage(ZLIB).toAbsolutePath().toString(), Fixtures.realPackage(XTENSOR).toAbsolutePath().toString(),
        corrupt.toAbsolutePath().toString()));
    waiting().until(d -> uploadRows().size() == 3
        && uploadRows().stream().allMatch(r -> r.getAttribute("data-result") != null));

    for (String f : List.of(ZLIB, XTENSOR)) {
      WebElement row = browser.find(By.cssSelector("#upload-list li[data-file='" + f + "']"));
      assertThat(row.getAttribute("data-result")).as(f).isEqualTo("done");
      assertThat(row.findElement(By.className("upload-state")).getText()).isEqualTo("done");
      assertThat(row.findElement(By.tagName("progress")).getAttribute("value")).isEqualTo("100");
    }
    WebElement bad = browser.find(By.cssSelector("#upload-list li[data-file='bad-1.0-0.tar.bz2']"));
    assertThat(bad.getAttribute("data-result")).isEqualTo("refused");
    assertThat(bad.findElement(By.className("upload-state")).getText())
        .isEqualTo("refused: bad-1.0-0.tar.bz2: the file is not bzip2-compressed, so it is not a .tar.bz2 package");
    waiting().until(d -> !d.findElements(By.id("packages")).isEmpty());
    assertThat(packagesListed()).as("the table refreshed").containsExactlyInAnyOrder("zlib", "xtensor-io");
    browser.screenshot("channel-upload");

    var served = ServedRows.served(server, "uploads", "main", SUBDIRS);
    assertThat(served.keySet()).containsExactlyInAnyOrder("linux-64/" + ZLIB, "linux-64/" + XTENSOR);
    assertThat(served).isEqualTo(ServedRows.stored(server, "uploads", "main"));
  }

  @Test
  void aMaintainerMovesASelectedPackageToAnotherChannel() {
    signIn("mia", "mia's long password");
    browser.open(server.url() + "/channels/builds");
    assertThat(browser.find(By.id("selection-bar")).isDisplayed()).as("nothing selected yet").isFalse();
    select("zlib");
    assertThat(browser.find(By.id("selection-count")).getText()).isEqualTo("1 selected");
    browser.find(By.id("action-move")).click();
    assertThat(browser.driver().switchTo().activeElement().getAttribute("id")).isEqualTo("transfer-target");
    assertThat(browser.driver().findElements(By.cssSelector("#transfer-targets option")))
        .extracting(o -> o.getAttribute("value")).contains("builds", "release");
    browser.find(By.id("transfer-target")).sendKeys("release");
    browser.find(By.id("transfer-submit")).click();

    assertThat(outcome()).contains("move: 1 file(s), builds → release", "linux-64/" + ZLIB + ": moved");
    waiting().until(d -> !packagesListed().contains("zlib"));
    assertThat(packagesListed()).containsExactly("xtensor-io");
    assertThat(browser.find(By.id("selection-bar")).isDisplayed()).isFalse();
    browser.screenshot("channel-move");

    for (String c : List.of("builds", "release")) {
      assertThat(ServedRows.served(server, c, "main", SUBDIRS)).as(c)
          .isEqualTo(ServedRows.stored(server, c, "main"));
    }
    assertThat(ServedRows.stored(server, "release", "main")).containsOnlyKeys("linux-64/" + ZLIB);
    assertThat(ServedRows.stored(server, "builds", "main")).containsOnlyKeys("linux-64/" + XTENSOR);
  }

  @Test
  void aCopyOntoAFileThatExistsListsTheCollisionAndChangesNothing() {
    signIn("mia", "mia's long password");
    browser.open(server.url() + "/channels/scratch");
    select("zlib");
    browser.find(By.id("action-copy")).click();
    browser.find(By.id("transfer-target")).sendKeys("held");
    new Select(browser.find(By.id("transfer-collision"))).selectByValue("fail");
    browser.find(By.id("transfer-submit")).click();

    assertThat(outcome()).contains("already exist in held", "linux-64/" + ZLIB + ": already there");
    assertThat(ServedRows.stored(server, "held", "main")).containsOnlyKeys("linux-64/" + ZLIB);
    assertThat(packagesListed()).contains("zlib");
  }

  @Test
  void aMaintainerDeletesASelectedFileFromThePackageFilesViewAfterConfirming() {
    signIn("mia", "mia's long password");
    browser.open(server.url() + "/channels/scratch/packages/xtensor-io");
    browser.find(By.cssSelector("#files input.select-item[value='linux-64/" + XTENSOR + "']")).click();
    browser.find(By.id("action-delete")).click();
    assertThat(browser.find(By.id("remove-question")).getText()).startsWith("Delete 1 selected item from scratch?");
    assertThat(ServedRows.stored(server, "scratch", "main")).as("not before confirming")
        .containsKey("linux-64/" + XTENSOR);
    browser.find(By.id("remove-confirm")).sendKeys(Keys.ESCAPE);
    assertThat(browser.find(By.id("remove-form")).isDisplayed()).as("Escape cancels").isFalse();
    assertThat(browser.find(By.id("selection-count")).getText()).isEqualTo("1 selected");
    browser.find(By.id("action-delete")).sendKeys(Keys.ENTER);
    assertThat(browser.driver().switchTo().activeElement().getAttribute("id")).isEqualTo("remove-confirm");
    browser.find(By.id("remove-confirm")).sendKeys(Keys.ENTER);

    assertThat(outcome()).contains("remove: 1 file(s), scratch", "linux-64/" + XTENSOR + ": removed");
    assertThat(ServedRows.stored(server, "scratch", "main")).containsOnlyKeys("linux-64/" + ZLIB);
    assertThat(ServedRows.served(server, "scratch", "main", SUBDIRS))
        .isEqualTo(ServedRows.stored(server, "scratch", "main"));
  }

  @Test
  void atPhoneWidthAMaintainerUploadsIntoALabelAndMovesThePackageFromThereToMain() {
    signIn("mia", "mia's long password");
    browser.driver().manage().window().setSize(new Dimension(390, 844));
    try {
      browser.open(server.url() + "/channels/labelled");
      browser.find(By.id("upload-label")).sendKeys("dev");
      browser.find(By.id("upload-files")).sendKeys(Fixtures.realPackage(ZLIB).toAbsolutePath().toString());
      waiting().until(d -> !uploadRows().isEmpty() && "done".equals(uploadRows().get(0).getAttribute("data-result")));
      assertThat(ServedRows.stored(server, "labelled", "dev")).containsOnlyKeys("linux-64/" + ZLIB);

      // the label appeared with the upload: the choice of where to take packages from offers it now
      waiting().until(d -> !d.findElements(By.id("from-label")).isEmpty());
      select("zlib");
      new Select(browser.find(By.id("from-label"))).selectByValue("dev");
      browser.find(By.id("action-move")).click();
      browser.find(By.id("transfer-target")).sendKeys("labelled");
      assertThat(((Number) ((JavascriptExecutor) browser.driver())
          .executeScript("return document.documentElement.scrollWidth;")).intValue())
          .as("nothing scrolls sideways").isLessThanOrEqualTo(390);
      browser.screenshot("channel-move-phone");
      browser.find(By.id("transfer-submit")).click();

      assertThat(outcome()).contains("move: 1 file(s), labelled/label/dev → labelled", ZLIB + ": moved");
      assertThat(ServedRows.stored(server, "labelled", "main")).containsOnlyKeys("linux-64/" + ZLIB);
      assertThat(ServedRows.stored(server, "labelled", "dev")).isEmpty();
      assertThat(ServedRows.served(server, "labelled", "main", SUBDIRS))
          .isEqualTo(ServedRows.stored(server, "labelled", "main"));
    } finally {
      browser.driver().manage().window().setSize(new Dimension(1280, 900));
    }
  }

  @Test
  void aRefusalThatNamesTheFileShowsItsNameAsText() throws IOException {
    Path odd = Files.copy(Fixtures.realPackage(ZLIB), files.resolve("<img src=x id=injected>.conda"));
    signIn("mia", "mia's long password");
    browser.open(server.url() + "/channels/uploads");
    browser.find(By.id("upload-files")).sendKeys(odd.toAbsolutePath().toString());
    waiting().until(d -> !uploadRows().isEmpty() && uploadRows().get(0).getAttribute("data-result") != null);

    assertThat(uploadRows().get(0).getAttribute("data-result")).isEqualTo("refused");
    assertThat(uploadRows().get(0).getText()).contains("<img src=x id=injected>.conda");
    assertThat(browser.driver().findElements(By.id("injected"))).isEmpty();
  }

  @Test
  void viewersAndAnonymousVisitorsGetNoUploadOrSelection() {
    browser.driver().manage().deleteAllCookies();
    for (String who : List.of("anonymous", "vic")) {
      if (who.equals("vic")) {
        signIn("vic", "vic's long password");
      }
      for (String path : List.of("/channels/scratch", "/channels/scratch/packages/zlib")) {
        browser.open(server.url() + path);
        assertThat(browser.driver().findElements(By.cssSelector(
            "#upload-panel, #upload-files, #selection-bar, input.select-item, input.select-all")))
            .as(who + " at " + path).isEmpty();
        assertThat(browser.driver().findElements(By.cssSelector("script[src='/static/manage.js']"))).isEmpty();
      }
    }
  }
}
