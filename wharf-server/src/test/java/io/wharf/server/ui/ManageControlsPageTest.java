package io.wharf.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.Personas;
import io.wharf.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server-rendered upload and selection controls: who gets them, what they offer, and that they escape. */
class ManageControlsPageTest {
  /** What only the controls put on a page. */
  static final List<String> CONTROLS = List.of("id=\"upload-panel\"", "id=\"upload-files\"", "id=\"selection-bar\"",
      "class=\"select-item\"", "class=\"select-all\"", "/static/manage.js");
  static final String EVIL = "<x-evil a=\"1\">&amp;";

  @TempDir static Path data;
  static TestServer server;
  static Personas people;

  @BeforeAll
  static void start() {
    server = TestServer.start(data);
    for (String c : List.of("shop", "other")) {
      assertThat(server.createChannel(c, "public").statusCode()).isEqualTo(201);
    }
    assertThat(server.upload("shop", Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda")).statusCode())
        .isEqualTo(201);
    people = new Personas(server);
    people.user("mia", "mia's long password", false);
    people.user("vic", "vic's long password", false);
    people.user("boss", "boss's long password", true);
    people.member("shop", "mia", "maintainer");
    people.member("other", "mia", "viewer");
    people.member("shop", "vic", "viewer");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static String page(String path, Personas.Session as) {
    var request = server.request(path).header("Accept", "text/html");
    if (as != null) {
      request.header("Cookie", "wharf_session=" + as.cookie());
    }
    HttpResponse<byte[]> res = server.send(request.GET());
    assertThat(res.statusCode()).as(path).isEqualTo(200);
    return new String(res.body(), StandardCharsets.UTF_8);
  }

  private static List<String> all(String html, String regex) {
    Matcher m = Pattern.compile(regex).matcher(html);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void aMaintainerGetsTheControlsWithTheSessionsTokenAndOnlyTheChannelsTheyMayWriteToAsTargets() {
    Personas.Session mia = people.signIn("mia", "mia's long password");
    String html = page("/channels/shop", mia);

    assertThat(html).contains(CONTROLS);
    assertThat(html).contains("data-csrf=\"" + mia.csrf() + "\"", "data-channel=\"shop\"");
    assertThat(all(html, "<input type=\"checkbox\" class=\"select-item\" value=\"([^\"]*)\"")).containsExactly("zlib");
    assertThat(all(html, "<option value=\"([^\"]*)\"></option>")).as("move and copy targets")
        .containsExactly("shop");
    assertThat(all(page("/channels/shop/packages/zlib", mia),
        "class=\"select-item\" value=\"([^\"]*)\" data-label=\"([^\"]*)\""))
        .containsExactly("linux-64/zlib-1.2.11-h7b6447c_3.conda");
    assertThat(page("/channels/other", mia)).as("mia only reads other").doesNotContain(CONTROLS.get(0))
        .doesNotContain(CONTROLS.get(2));
  }

  @Test
  void anAdministratorMayMoveIntoEveryChannel() {
    String html = page("/channels/other", people.signIn("boss", "boss's long password"));
    assertThat(html).contains(CONTROLS.get(0), CONTROLS.get(2));
    assertThat(all(html, "<option value=\"([^\"]*)\"></option>")).containsExactly("other", "shop");
  }

  @Test
  void viewersAnonymousVisitorsAndTokenHoldersWithoutASessionGetNoControls() {
    Personas.Session mia = people.signIn("mia", "mia's long password");
    String token = people.token(mia, "ci", "[\"shop\"]", "write").get("secret").asText();
    Personas.Session vic = people.signIn("vic", "vic's long password");
    for (String path : List.of("/channels/shop", "/channels/shop/packages/zlib")) {
      for (String html : List.of(page(path, vic), page(path, null), new String(server.send(server.request(path)
          .header("Authorization", "Bearer " + token).GET()).body(), StandardCharsets.UTF_8))) {
        assertThat(html).contains("/channels/shop/packages/zlib").doesNotContain(CONTROLS).doesNotContain("data-csrf");
      }
    }
  }

  @Test
  void theScriptIsServedAsJavaScript() {
    HttpResponse<byte[]> res = server.get("/static/manage.js");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
    assertThat(new String(res.body(), StandardCharsets.UTF_8)).contains("X-CSRF-Token", "upload-check");
  }

  @Test
  void everyTextTheControlsShowIsEscaped() {
    ManageControls manage = new ManageControls("c" + EVIL, "t" + EVIL, List.of("d" + EVIL), List.of("main", "l" + EVIL));
    Pages.PackageRow row = new Pages.PackageRow("p" + EVIL, "1.0", "s" + EVIL, "linux-64", 1, "now",
        List.of("l" + EVIL), false);
    String channel = render("channel.jte", new Pages.ChannelPage("c" + EVIL, "", "public", "http://x/conda/c", "",
        List.of(row), 1, 1, null, null, List.of(), false, manage));
    String actions = render("manage/actions.jte", Map.of("manage", manage, "fromLabelChoice", true));
    String upload = render("manage/upload.jte", Map.of("manage", manage));

    for (String html : List.of(channel, actions, upload)) {
      assertThat(html).doesNotContain("<x-evil");
    }
    assertThat(actions).contains("data-channel=\"c&lt;x-evil a=&#34;1&#34;>&amp;amp;\"",
        "data-csrf=\"t&lt;x-evil", "<option value=\"d&lt;x-evil", "<option value=\"l&lt;x-evil");
    assertThat(channel).contains("value=\"p&lt;x-evil", "aria-label=\"Select p&lt;x-evil");
  }

  private static String render(String template, Object model) {
    StringOutput out = new StringOutput();
    TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);
    if (model instanceof Map<?, ?> params) {
      @SuppressWarnings("unchecked")
      Map<String, Object> p = (Map<String, Object>) params;
      engine.render(template, p, out);
    } else {
      engine.render(template, model, out);
    }
    return out.toString();
  }
}
