package io.wharf.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Files tab of a package page offers each file's SBOM in both formats, as escaped links that work. */
class SbomLinksPageTest {
  private static final String ZLIB = "zlib-1.2.11-h7b6447c_3.conda";
  private static final Pattern SBOM_LINK = Pattern.compile("<a class=\"sbom-(spdx|cyclonedx)\" href=\"([^\"]*)\" download");

  @TempDir Path data;

  @Test
  void eachFileRowLinksItsSpdxAndCycloneDxDocumentsWithTheLabelEscaped() {
    try (TestServer server = TestServer.start(data)) {
      assertThat(server.createChannel("pages", "public").statusCode()).isEqualTo(201);
      assertThat(server.upload("pages", Fixtures.realPackage(ZLIB)).statusCode()).isEqualTo(201);
      assertThat(server.upload("pages", ZLIB, Fixtures.realPackage(ZLIB), "label=beta").statusCode()).isEqualTo(201);

      String html = new String(server.get("/channels/pages/packages/zlib").body(), StandardCharsets.UTF_8);

      String base = "/api/channels/pages/files/linux-64/" + ZLIB + "/sbom?format=";
      assertThat(html).contains("<th scope=\"col\">SBOM</th>")
          .contains("href=\"" + base + "spdx\"")
          .contains("href=\"" + base + "cyclonedx\"")
          .contains("href=\"" + base + "spdx&amp;label=beta\"")
          .contains("href=\"" + base + "cyclonedx&amp;label=beta\"")
          .doesNotContain("&label=");
      Matcher m = SBOM_LINK.matcher(html);
      List<String> hrefs = new java.util.ArrayList<>();
      while (m.find()) {
        hrefs.add(m.group(2).replace("&amp;", "&"));
      }
      assertThat(hrefs).hasSize(4);
      for (String href : hrefs) {
        HttpResponse<byte[]> res = server.get(href);
        assertThat(res.statusCode()).as(href).isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Disposition").orElseThrow()).as(href)
            .isEqualTo("attachment; filename=\"" + ZLIB + (href.contains("cyclonedx") ? ".cdx.json\"" : ".spdx.json\""));
        String body = new String(res.body(), StandardCharsets.UTF_8);
        assertThat(body).as(href).contains(href.contains("label=beta") ? "conda%2Fpages%2Flabel%2Fbeta"
            : "conda%2Fpages&subdir");
      }
    }
  }
}
