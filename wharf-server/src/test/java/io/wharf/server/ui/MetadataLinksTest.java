package io.wharf.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.conda.archive.PackageWriter;
import io.wharf.server.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Links in about.json are written by whoever uploads: only http(s) and mailto become links on the page. */
class MetadataLinksTest {
  @TempDir Path data;
  @TempDir Path work;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"https://zlib.net/", "http://example.org/a?b=1&c=2#d", "HTTPS://Example.org/x",
      "mailto:maintainers@example.org"})
  void webAndMailLinksAreKept(String url) {
    assertThat(Links.safeHref(url)).isEqualTo(url);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"vbscript:msgbox(1)", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)",
      "data:text/html,<script>alert(1)</script>", "file:///etc/passwd", "//evil.example/x", "/relative/path",
      "zlib.net", "https:///no-host", "http:evil", "mailto:", "mailto:nobody", "ftp://example.org/x", " https://x.org",
      "https://exa mple.org", "\u0001javascript:alert(1)"})
  void everythingElseIsNotALink(String url) {
    assertThat(Links.safeHref(url)).isNull();
  }

  @Test
  void thePackagePageLinksOnlySafeUrlsAndShowsTheRestAsText() throws IOException {
    try (TestServer server = TestServer.start(data)) {
      assertThat(server.createChannel("links", "public").statusCode()).isEqualTo(201);
      Map<String, byte[]> files = new LinkedHashMap<>();
      files.put("info/index.json", ("{\"name\":\"linked\",\"version\":\"1.0\",\"build\":\"0\",\"build_number\":0,"
          + "\"depends\":[],\"subdir\":\"noarch\",\"noarch\":\"generic\"}").getBytes(StandardCharsets.UTF_8));
      files.put("info/about.json", ("{\"home\":\"vbscript:msgbox(1)\",\"dev_url\":\"javascript:alert(1)\","
          + "\"doc_url\":\"https://docs.example.org/linked\"}").getBytes(StandardCharsets.UTF_8));
      Path pkg = work.resolve("linked-1.0-0.tar.bz2");
      PackageWriter.writeTarBz2(pkg, files);
      assertThat(server.upload("links", pkg).statusCode()).isEqualTo(201);

      String html = new String(server.get("/channels/links/packages/linked").body(), StandardCharsets.UTF_8);

      assertThat(html).contains("<a href=\"https://docs.example.org/linked\" rel=\"nofollow noopener\">")
          .contains("<dt>Home</dt><dd><span class=\"mono\">vbscript:msgbox(1)</span></dd>")
          .contains("<dt>Development</dt><dd><span class=\"mono\">javascript:alert(1)</span></dd>")
          .doesNotContainPattern("href=\"\\s*(vbscript|javascript)")
          .doesNotContain("href=\"\"");
    }
  }
}
