package io.wharf.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.testing.CveChannels;
import io.wharf.server.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CVE pages show only what the viewer may read, escape what records say, and link only http(s). */
class CvePagesTest {
  /** An advisory whose text tries to inject markup and whose references include a script address. */
  private static final String HOSTILE = """
      {"id": "PYSEC-2099-1", "aliases": ["CVE-2099-0001"], "modified": "2099-01-02T00:00:00Z",
       "published": "2099-01-01T00:00:00Z",
       "summary": "<script>alert('summary')</script> & \\"quoted\\"",
       "affected": [{"package": {"ecosystem": "PyPI", "name": "requests"},
         "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "99"}]}]}],
       "references": [{"type": "WEB", "url": "javascript:alert('ref')"},
         {"type": "WEB", "url": "https://example.org/advisory?a=1&b=2"}]}
      """;

  @TempDir static Path data;
  @TempDir static Path work;
  static TestServer server;

  @BeforeAll
  static void start() throws IOException {
    server = TestServer.start(data);
    assertThat(server.createChannel("open", "public").statusCode()).isEqualTo(201);
    assertThat(server.createChannel("secret", "private").statusCode()).isEqualTo(201);
    CveChannels.uploadRequests(server, work, "open", "2.30.0");
    CveChannels.uploadZlib(server, "secret");
    CveChannels.importRecords(server, Files.writeString(work.resolve("PYSEC-2099-1.json"), HOSTILE));
    CveChannels.importNvd(server);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String page(String path) {
    HttpResponse<byte[]> r = server.get(path);
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void anAnonymousViewerDoesNotSeeThePrivateChannelsCves() {
    String anonymous = page("/cves");
    assertThat(anonymous).contains("CVE-2023-32681").doesNotContain("CVE-2022-37434");
    assertThat(server.get("/cves/CVE-2022-37434").statusCode()).isEqualTo(404);
    assertThat(server.get("/channels/secret/packages/zlib?tab=cves").statusCode()).isIn(401, 404);

    String admin = new String(server.send(server.admin("/cves")).body(), StandardCharsets.UTF_8);
    assertThat(admin).contains("CVE-2022-37434", "CVE-2023-32681");
  }

  @Test
  void whatTheRecordSaysIsEscapedAndOnlyHttpReferencesAreLinks() {
    String list = page("/cves?name=2099");
    assertThat(list).contains("&lt;script&gt;alert(").doesNotContain("<script>alert");
    String detail = page("/cves/CVE-2099-0001");
    assertThat(detail).contains("&lt;script&gt;alert(").doesNotContain("<script>alert")
        .doesNotContain("href=\"javascript:")
        .contains("<span class=\"mono\">javascript:alert(")
        .contains("href=\"https://example.org/advisory?a=1&amp;b=2\"");
  }

  @Test
  void filterValuesAreEscapedBackIntoTheForm() {
    String html = page("/cves?name=%22%3E%3Cb%3Ex");
    // the quote that would end the attribute is escaped; what follows stays inside the value
    assertThat(html).contains("value=\"&#34;").doesNotContain("\"><b>x");
  }

  @Test
  void theApiListsByCuratedRangeAndSaysWhenEachCveWasLastCurated() {
    assertThat(server.getJson("/api/cves?curated_from=2000-01-01").size()).as("nothing curated yet").isZero();

    java.time.Instant before = java.time.Instant.now().minusSeconds(1);
    CveChannels.setStatus(server, "CVE-2099-0001", "open", "noarch", "requests-2.30.0-0.tar.bz2", "Disputed");

    var curated = server.getJson("/api/cves?curated_from=2000-01-01");
    assertThat(curated.findValuesAsText("id")).containsExactly("CVE-2099-0001");
    assertThat(java.time.Instant.parse(curated.get(0).path("curated").asText())).isAfter(before);
    assertThat(server.getJson("/api/cves?curated_to=2000-01-01").size()).isZero();
    assertThat(server.get("/api/cves?curated_from=soon").statusCode()).isEqualTo(400);
  }

  @Test
  void aMalformedFilterIsACleanBadRequest() {
    assertThat(server.get("/cves?min_score=high").statusCode()).isEqualTo(400);
    assertThat(server.get("/cves?published_from=yesterday").statusCode()).isEqualTo(400);
    assertThat(server.get("/cves?status=Fixed").statusCode()).isEqualTo(400);
  }
}
