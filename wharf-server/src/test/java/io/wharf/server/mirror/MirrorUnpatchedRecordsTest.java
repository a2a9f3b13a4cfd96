package io.wharf.server.mirror;

import static io.wharf.server.mirror.MirrorEndToEndTest.last;
import static io.wharf.server.mirror.MirrorEndToEndTest.records;
import static io.wharf.server.mirror.MirrorEndToEndTest.run;
import static io.wharf.server.mirror.MirrorStaticDirectoryTest.serve;
import static io.wharf.server.mirror.MirrorStaticDirectoryTest.url;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.ZstdOutputStream;
import com.sun.net.httpserver.HttpServer;
import io.wharf.server.db.Database;
import io.wharf.server.testing.MirrorUpstreams;
import io.wharf.server.testing.RattlerSolver;
import io.wharf.server.testing.TestServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mirror set to take unpatched records reads upstream's repodata_from_packages.json, so the mirror
 * channel's own repodata patches are the only ones its clients see. The upstream is a static directory laid
 * out as conda-index writes one: each subdir's records as the packages say them in
 * repodata_from_packages.json (linux-64 offers only its .zst, noarch only the plain document) and, in
 * repodata.json, the same records after upstream's own patch of zlib's depends. A second directory serves
 * repodata.json alone.
 */
class MirrorUnpatchedRecordsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String CONDA = "zlib-1.2.11-h7b6447c_3.conda";
  static final String TAR = "zlib-1.2.11-h7b6447c_3.tar.bz2";
  static final String UPSTREAM_DEP = "upstream-patched-dep >=1";
  /** Listed upstream as well: a solve for zlib takes it in only through the own patch. */
  static final String OWN_DEP = "other-package >=0.1";
  @TempDir static Path upData;
  @TempDir static Path data;
  @TempDir static Path both;
  @TempDir static Path patchedOnly;
  static TestServer server;
  static Server bothFiles;
  static Server patchedOnlyFiles;
  static String packagedTarDepends;
  static final String SHARED_ETAG = "\"channel-1\"";
  static final String SHARED_LAST_MODIFIED = "Tue, 01 Dec 2026 00:00:00 GMT";

  @BeforeAll
  static void start() throws Exception {
    MirrorUpstreams.directory(upData, both, patchedOnly);
    for (String subdir : MirrorUpstreams.SUBDIRS) {
      Path dir = both.resolve(subdir);
      byte[] unpatched = Files.readAllBytes(dir.resolve("repodata.json"));
      if (subdir.equals("linux-64")) {
        try (OutputStream out = new ZstdOutputStream(Files.newOutputStream(
            dir.resolve("repodata_from_packages.json.zst")))) {
          out.write(unpatched);
        }
      } else {
        Files.write(dir.resolve("repodata_from_packages.json"), unpatched);
      }
    }
    // upstream's patch: both zlib files get a dependency the packages do not declare
    ObjectNode rd = (ObjectNode) JSON.readTree(both.resolve("linux-64/repodata.json").toFile());
    packagedTarDepends = rd.get("packages").get(TAR).get("depends").toString();
    for (JsonNode record : List.of(rd.get("packages").get(TAR), rd.get("packages.conda").get(CONDA))) {
      ((ObjectNode) record).putArray("depends").add(UPSTREAM_DEP);
    }
    JSON.writeValue(both.resolve("linux-64/repodata.json").toFile(), rd);
    bothFiles = serve(both);
    patchedOnlyFiles = serve(patchedOnly);
    server = TestServer.start(data);
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    for (Server s : new Server[] {bothFiles, patchedOnlyFiles}) {
      if (s != null) {
        s.stop();
      }
    }
  }

  @Test
  void unpatchedRecordsCarryOnlyTheChannelsOwnPatchesAndSwitchingToPatchedReadsUpstreamAgain() throws Exception {
    server.createChannel("own", "public");
    HttpResponse<byte[]> created = create("unp", url(bothFiles), "own", "unpatched");
    assertThat(created.statusCode()).as(new String(created.body())).isEqualTo(201);
    assertThat(TestServer.json(created).path("records").asText()).isEqualTo("unpatched");
    HttpResponse<byte[]> patch = server.send(server.admin("/api/channels/own/patches/linux-64")
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(
            "{\"patch_instructions_version\":1,\"packages.conda\":{\"" + CONDA + "\":{\"depends\":[\"" + OWN_DEP
                + "\"]}}}")));
    assertThat(patch.statusCode()).as(new String(patch.body())).isEqualTo(200);

    JsonNode first = last(run(server, "unp"));
    assertThat(first.path("status").asText()).as(first.toString()).isEqualTo("succeeded");
    assertThat(first.path("files").asLong()).isEqualTo(MirrorUpstreams.PACKAGES.size());
    Map<String, JsonNode> served = records(server, "/conda/own");
    assertThat(served.get(CONDA).get("depends").toString()).isEqualTo("[\"" + OWN_DEP + "\"]");
    assertThat(served.get(TAR).get("depends").toString()).isEqualTo(packagedTarDepends);
    assertThat(served.values().toString()).doesNotContain("upstream-patched-dep");

    assertThat(validatorRows("unp")).isEqualTo(2); // linux-64 and noarch, taken in completely
    HttpResponse<byte[]> set = server.send(server.admin("/api/mirrors/unp").header("Content-Type",
        "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString("{\"records\":\"patched\"}")));
    assertThat(set.statusCode()).as(new String(set.body())).isEqualTo(200);
    assertThat(TestServer.json(set).path("records").asText()).isEqualTo("patched");
    assertThat(validatorRows("unp")).isZero(); // so the next run reads the other document in full
    JsonNode second = last(run(server, "unp"));
    assertThat(second.path("files").asLong()).as(second.toString()).isEqualTo(2); // the two zlib records changed
    served = records(server, "/conda/own");
    assertThat(served.get(TAR).get("depends").toString()).isEqualTo("[\"" + UPSTREAM_DEP + "\"]");
    assertThat(served.get(CONDA).get("depends").toString()).isEqualTo("[\"" + OWN_DEP + "\"]");

    RattlerSolver.assumeAvailable();
    RattlerSolver.SolveResult solved = RattlerSolver.solve(List.of("zlib"), List.of(server.url() + "/conda/own"),
        List.of("linux-64", "noarch"));
    // a client sees the own patch: zlib's .conda brings other-package along
    assertThat(solved.ok()).as(solved.error()).isTrue();
    assertThat(solved.record("zlib").orElseThrow().url()).endsWith(CONDA);
    assertThat(solved.record("other-package")).isPresent();
  }

  @Test
  void switchingRecordsReadsTheOtherDocumentEvenWhenUpstreamGivesBothTheSameValidators() throws Exception {
    HttpServer sameValidators = serveWithOneValidator(both);
    try {
      server.createChannel("samev", "public");
      String upstream = "http://127.0.0.1:" + sameValidators.getAddress().getPort();
      assertThat(create("samev", upstream, "samev", "unpatched").statusCode()).isEqualTo(201);
      JsonNode first = last(run(server, "samev"));
      assertThat(first.path("status").asText()).as(first.toString()).isEqualTo("succeeded");
      assertThat(records(server, "/conda/samev").get(TAR).get("depends").toString()).isEqualTo(packagedTarDepends);
      HttpResponse<byte[]> other = server.send(server.admin("/api/mirrors/samev").header("Content-Type",
          "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString("{\"remove_deleted\":false}")));
      assertThat(other.statusCode()).as(new String(other.body())).isEqualTo(200);
      assertThat(validatorRows("samev")).as("another setting keeps linux-64's and noarch's").isEqualTo(2);
      HttpResponse<byte[]> set = server.send(server.admin("/api/mirrors/samev").header("Content-Type",
          "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString("{\"records\":\"patched\"}")));
      assertThat(set.statusCode()).as(new String(set.body())).isEqualTo(200);

      // Had the mirror kept the unpatched document's ETag, upstream would answer 304 for repodata.json too
      // and the run would take nothing.
      JsonNode second = last(run(server, "samev"));

      assertThat(second.path("status").asText()).as(second.toString()).isEqualTo("succeeded");
      assertThat(second.path("files").asLong()).as(second.toString()).isEqualTo(2);
      Map<String, JsonNode> served = records(server, "/conda/samev");
      assertThat(served.get(TAR).get("depends").toString()).isEqualTo("[\"" + UPSTREAM_DEP + "\"]");
      assertThat(served.get(CONDA).get("depends").toString()).isEqualTo("[\"" + UPSTREAM_DEP + "\"]");
    } finally {
      sameValidators.stop(0);
    }
  }

  @Test
  void unpatchedRecordsFromAnUpstreamServingOnlyRepodataJsonFailTheRunNamingTheDocument() throws Exception {
    server.createChannel("nounp", "public");
    assertThat(create("nounp", url(patchedOnlyFiles), "nounp", "unpatched").statusCode()).isEqualTo(201);

    JsonNode job = run(server, "nounp");

    assertThat(job.path("state").asText()).isEqualTo("failed");
    String expected = url(patchedOnlyFiles) + "/linux-64/repodata_from_packages.json";
    assertThat(job.path("error").path("message").asText()).contains("does not serve " + expected);
    JsonNode runs = TestServer.json(server.send(server.admin("/api/mirrors/nounp/runs")));
    assertThat(runs.get(0).path("status").asText()).isEqualTo("failed");
    assertThat(runs.get(0).path("message").asText()).contains(expected).contains("records=patched");
    assertThat(records(server, "/conda/nounp")).isEmpty();
  }

  @Test
  void recordsOtherThanPatchedOrUnpatchedAreRefused() throws Exception {
    server.createChannel("badrec", "public");
    HttpResponse<byte[]> bad = create("badrec", url(bothFiles), "badrec", "raw");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(TestServer.json(bad).path("error").asText()).isEqualTo("invalid_records");
    assertThat(TestServer.json(bad).path("message").asText()).contains("patched").contains("not raw");
    assertThat(create("badrec", url(bothFiles), "badrec", "patched").statusCode()).isEqualTo(201);
    HttpResponse<byte[]> notText = server.send(server.admin("/api/mirrors/badrec").header("Content-Type",
        "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString("{\"records\":true}")));
    assertThat(notText.statusCode()).isEqualTo(400);
    assertThat(TestServer.json(notText).path("error").asText()).isEqualTo("invalid_records");
  }

  /**
   * Serves the files under {@code root} with one ETag and one Last-Modified for all of them, as a server that
   * derives its validators from the directory rather than the file would, and answers 304 to a request that
   * presents them: asking with one document's validators for another then looks unchanged.
   */
  private static HttpServer serveWithOneValidator(Path root) throws Exception {
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/", exchange -> {
      try {
        Path file = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
          exchange.sendResponseHeaders(404, -1);
          return;
        }
        exchange.getResponseHeaders().set("ETag", SHARED_ETAG);
        exchange.getResponseHeaders().set("Last-Modified", SHARED_LAST_MODIFIED);
        if (SHARED_ETAG.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
          exchange.sendResponseHeaders(304, -1);
          return;
        }
        if (exchange.getRequestMethod().equals("HEAD")) {
          exchange.sendResponseHeaders(200, -1);
          return;
        }
        byte[] bytes = Files.readAllBytes(file);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
      } finally {
        exchange.close();
      }
    });
    http.start();
    return http;
  }

  /** How many subdirs' validators (ETag, Last-Modified) the mirror keeps for its next run. */
  private static int validatorRows(String mirror) {
    try (Database db = Database.openSqlite(data.resolve("wharf.db"))) {
      return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM mirror_subdirs s JOIN mirrors m"
          + " ON m.id = s.mirror_id WHERE m.name = :m").bind("m", mirror).mapTo(Integer.class).one());
    }
  }

  private static HttpResponse<byte[]> create(String name, String upstream, String channel, String records)
      throws Exception {
    String body = JSON.writeValueAsString(Map.of("name", name, "upstream", upstream, "channel", channel,
        "mode", "passive", "subdirs", List.of("linux-64"), "records", records));
    return server.send(server.admin("/api/mirrors").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }
}
