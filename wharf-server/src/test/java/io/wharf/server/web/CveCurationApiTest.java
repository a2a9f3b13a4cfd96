package io.wharf.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.testing.CveChannels;
import io.wharf.server.testing.Personas;
import io.wharf.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Curation through the API by channel role, the per-file filter of {@code GET /api/cves}, and a CVE that only
 * unreadable files carry answering 404. "triage" (private) has requests 2.19.0 and 2.30.0 and "cora" as its
 * curator; "shelf" (public) has requests 2.19.0, where cora is only a viewer; "vault" (private) has the real
 * zlib, readable by nobody but administrators.
 */
class CveCurationApiTest {
  private static final String PASSWORD = "a long curator password";
  private static final String OLD = "requests-2.19.0-0.tar.bz2";
  private static final String RECENT = "requests-2.30.0-0.tar.bz2";

  @TempDir static Path data;
  @TempDir static Path work;
  static TestServer server;
  static Personas people;
  static Personas.Session cora;
  static Personas.Session vic;

  @BeforeAll
  static void start() {
    server = TestServer.start(data);
    people = new Personas(server);
    server.createChannel("triage", "private");
    server.createChannel("shelf", "public");
    server.createChannel("vault", "private");
    CveChannels.uploadRequests(server, work, "triage", "2.19.0");
    CveChannels.uploadRequests(server, work, "triage", "2.30.0");
    CveChannels.uploadRequests(server, work, "shelf", "2.19.0");
    CveChannels.uploadZlib(server, "vault");
    CveChannels.importNvd(server);
    people.user("cora", PASSWORD, false);
    people.user("vic", PASSWORD, false);
    people.member("triage", "cora", "curator");
    people.member("shelf", "cora", "viewer");
    people.member("triage", "vic", "viewer");
    cora = people.signIn("cora", PASSWORD);
    vic = people.signIn("vic", PASSWORD);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<byte[]> setStatus(HttpRequest.Builder as, String body) {
    return server.send(as.header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static HttpRequest.Builder as(Personas.Session s, String path) {
    return s.apply(server.request(path));
  }

  private static JsonNode json(Personas.Session s, String path) {
    HttpResponse<byte[]> r = server.send(as(s, path));
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return TestServer.json(r);
  }

  @Test
  void aCuratorSetsEveryVersionOfAPackageInTheirChannelAndTheHistoryKeepsWhoAndWhen() {
    Instant before = Instant.now().minusSeconds(1);
    HttpResponse<byte[]> r = setStatus(as(cora, "/api/cves/CVE-2023-32681/status"),
        "{\"channel\":\"triage\",\"package\":\"requests\",\"status\":\"Mitigated\",\"note\":\"proxy stripped\"}");

    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
    assertThat(TestServer.json(r).findValuesAsText("filename")).containsExactlyInAnyOrder(OLD, RECENT);
    JsonNode cve = json(cora, "/api/cves/CVE-2023-32681");
    assertThat(cve.path("affected_files")).allSatisfy(f -> {
      assertThat(f.path("channel").asText()).isIn("triage", "shelf");
      if (f.path("channel").asText().equals("triage")) {
        assertThat(f.path("status").asText()).isEqualTo("Mitigated");
        assertThat(f.path("curator").asText()).isEqualTo("cora");
        assertThat(Instant.parse(f.path("curated_at").asText())).isAfter(before);
      } else {
        assertThat(f.path("status").asText()).isEqualTo("Reported");
      }
    });
    assertThat(cve.path("history")).hasSize(2).allSatisfy(h -> {
      assertThat(h.path("channel").asText()).isEqualTo("triage");
      assertThat(h.path("status").asText()).isEqualTo("Mitigated");
      assertThat(h.path("curator").asText()).isEqualTo("cora");
      assertThat(h.path("note").asText()).isEqualTo("proxy stripped");
    });
  }

  @Test
  void aCuratorIsRefusedWhereTheyAreOnlyAViewerAndAViewerIsRefusedEverywhere() {
    HttpResponse<byte[]> elsewhere = setStatus(as(cora, "/api/cves/CVE-2018-18074/status"),
        "{\"channel\":\"shelf\",\"subdir\":\"noarch\",\"filename\":\"" + OLD + "\",\"status\":\"Cleared\"}");
    HttpResponse<byte[]> viewer = setStatus(as(vic, "/api/cves/CVE-2018-18074/status"),
        "{\"channel\":\"triage\",\"subdir\":\"noarch\",\"filename\":\"" + OLD + "\",\"status\":\"Cleared\"}");
    HttpResponse<byte[]> hidden = setStatus(as(cora, "/api/cves/CVE-2022-37434/status"),
        "{\"channel\":\"vault\",\"package\":\"zlib\",\"status\":\"Cleared\"}");

    assertThat(elsewhere.statusCode()).isEqualTo(403);
    assertThat(TestServer.json(elsewhere).path("message").asText())
        .isEqualTo("you may not curate the CVEs of channel 'shelf'");
    assertThat(viewer.statusCode()).isEqualTo(403);
    assertThat(hidden.statusCode()).as("a channel the caller may not read is missing").isEqualTo(404);
    JsonNode shelf = server.getJson("/api/channels/shelf/files/noarch/" + OLD + "/cves");
    assertThat(shelf.path("cves").findValuesAsText("status")).containsOnly("Reported");
  }

  @Test
  void aReadTokenOfACuratorCuratesNothingAndAWriteTokenDoes() {
    String read = people.token(cora, "read", "[\"triage\"]", "read").get("secret").asText();
    String write = people.token(cora, "write", "[\"triage\"]", "write").get("secret").asText();
    String body = "{\"channel\":\"triage\",\"subdir\":\"noarch\",\"filename\":\"" + OLD + "\",\"status\":\"Disputed\"}";

    HttpResponse<byte[]> byRead = setStatus(server.request("/api/cves/CVE-2018-18074/status")
        .header("Authorization", "Bearer " + read), body);
    HttpResponse<byte[]> byWrite = setStatus(server.request("/api/cves/CVE-2018-18074/status")
        .header("Authorization", "Bearer " + write), body);

    assertThat(byRead.statusCode()).isEqualTo(403);
    assertThat(byWrite.statusCode()).isEqualTo(200);
    JsonNode file = json(cora, "/api/channels/triage/files/noarch/" + OLD + "/cves");
    assertThat(file.path("cves").findValuesAsText("id")).contains("CVE-2018-18074");
    for (JsonNode c : file.path("cves")) {
      if (c.path("id").asText().equals("CVE-2018-18074")) {
        assertThat(c.path("status").asText()).isEqualTo("Disputed");
      }
    }
  }

  @Test
  void theListKeepsOneFilesCvesWhenAFileIsNamed() {
    JsonNode old = json(vic, "/api/cves?channel=triage&file=noarch/" + OLD);
    JsonNode recent = json(vic, "/api/cves?channel=triage&file=noarch/" + RECENT);
    JsonNode both = json(vic, "/api/cves?channel=triage");

    assertThat(old.findValuesAsText("id")).containsExactly("CVE-2018-18074", "CVE-2023-32681");
    assertThat(recent.findValuesAsText("id")).containsExactly("CVE-2023-32681");
    assertThat(recent.get(0).path("files").asInt()).as("counted over that file only").isEqualTo(1);
    assertThat(both.findValuesAsText("id")).containsExactly("CVE-2018-18074", "CVE-2023-32681");
    assertThat(server.send(as(vic, "/api/cves?file=noarch/" + OLD)).statusCode()).as("needs a channel")
        .isEqualTo(400);
    assertThat(server.send(as(vic, "/api/cves?channel=triage&file=" + OLD)).statusCode()).as("needs a subdir")
        .isEqualTo(400);
    HttpResponse<byte[]> missing = server.send(as(vic, "/api/cves?channel=triage&file=noarch/requests-9-0.tar.bz2"));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(TestServer.json(missing).path("error").asText()).isEqualTo("file_not_found");
  }

  @Test
  void aCveLinkedOnlyToFilesTheCallerCannotReadIsMissingInTheApiAsInThePages() {
    HttpResponse<byte[]> api = server.send(as(cora, "/api/cves/CVE-2022-37434"));
    HttpResponse<byte[]> page = server.send(as(cora, "/cves/CVE-2022-37434"));
    HttpResponse<byte[]> unknown = server.send(as(cora, "/api/cves/CVE-1999-0001"));

    assertThat(api.statusCode()).isEqualTo(404);
    assertThat(page.statusCode()).isEqualTo(404);
    assertThat(api.body()).as("the same answer as a CVE never imported")
        .isEqualTo(new String(unknown.body()).replace("CVE-1999-0001", "CVE-2022-37434").getBytes());
    assertThat(server.send(server.admin("/api/cves/CVE-2022-37434")).statusCode()).isEqualTo(200);
  }
}
