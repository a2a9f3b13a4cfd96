package io.wharf.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The conda channel protocol as clients see it (CONDA.md §3-4). */
class CondaProtocolTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path data;
  static TestServer server;
  static final Path ZLIB = Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda");

  @BeforeAll
  static void start() {
    server = TestServer.start(data);
    server.createChannel("proto", "public");
    server.createChannel("secret", "private");
    assertThat(server.upload("proto", ZLIB).statusCode()).isEqualTo(201);
    assertThat(server.upload("proto", Fixtures.realPackage("run_exports_versions-1.0-he35c369_0.tar.bz2"))
        .statusCode()).isEqualTo(201);
    assertThat(server.upload("secret", ZLIB).statusCode()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void repodataZstHasTheSameContentAsRepodataJson() {
    HttpResponse<byte[]> json = server.get("/conda/proto/linux-64/repodata.json");
    HttpResponse<byte[]> zst = server.get("/conda/proto/linux-64/repodata.json.zst");
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(zst.statusCode()).isEqualTo(200);
    assertThat(json.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
    assertThat(zst.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(Zstd.decompress(zst.body(), 10_000_000)).isEqualTo(json.body());
  }

  @Test
  void noarchAndKnownPlatformsAlwaysExistEvenWhenEmpty() throws IOException {
    server.createChannel("empty", "public");
    JsonNode noarch = server.getJson("/conda/empty/noarch/repodata.json");
    assertThat(noarch.get("info").get("subdir").asText()).isEqualTo("noarch");
    assertThat(noarch.get("packages")).isEmpty();
    assertThat(server.get("/conda/empty/osx-arm64/repodata.json").statusCode()).isEqualTo(200);
    assertThat(server.get("/conda/empty/not-a-platform/repodata.json").statusCode()).isEqualTo(404);
    assertThat(server.get("/conda/missing/noarch/repodata.json").statusCode()).as("a token may help").isEqualTo(401);
  }

  @Test
  void currentRepodataAndChanneldataAreServed() {
    JsonNode current = server.getJson("/conda/proto/linux-64/current_repodata.json");
    assertThat(current.get("packages.conda").has("zlib-1.2.11-h7b6447c_3.conda")).isTrue();
    JsonNode channeldata = server.getJson("/conda/proto/channeldata.json");
    assertThat(channeldata.get("channeldata_version").asInt()).isEqualTo(1);
    assertThat(channeldata.get("packages").get("zlib").get("version").asText()).isEqualTo("1.2.11");
    assertThat(channeldata.get("packages").get("run_exports_versions").get("run_exports").get("1.0").get("weak")
        .get(0).asText()).isEqualTo("run_exports_version 1.0");
    assertThat(channeldata.get("subdirs")).extracting(JsonNode::asText).contains("linux-64", "noarch");
  }

  @Test
  void metadataRevalidatesWithEtagAndLastModified() {
    HttpResponse<byte[]> first = server.get("/conda/proto/linux-64/repodata.json");
    String etag = first.headers().firstValue("ETag").orElseThrow();
    String lastModified = first.headers().firstValue("Last-Modified").orElseThrow();
    assertThat(etag).startsWith("\"").endsWith("\"");
    assertThat(first.headers().firstValue("Cache-Control").orElseThrow()).contains("max-age=");
    HttpResponse<byte[]> byEtag = server.send(server.request("/conda/proto/linux-64/repodata.json")
        .header("If-None-Match", etag).GET());
    assertThat(byEtag.statusCode()).isEqualTo(304);
    assertThat(byEtag.body()).isEmpty();
    HttpResponse<byte[]> byDate = server.send(server.request("/conda/proto/linux-64/repodata.json")
        .header("If-Modified-Since", lastModified).GET());
    assertThat(byDate.statusCode()).isEqualTo(304);
    HttpResponse<byte[]> stale = server.send(server.request("/conda/proto/linux-64/repodata.json")
        .header("If-None-Match", "\"something-else\"").GET());
    assertThat(stale.statusCode()).isEqualTo(200);
  }

  @Test
  void etagChangesWhenTheChannelChanges() throws IOException {
    server.createChannel("changing", "public");
    String before = server.get("/conda/changing/linux-64/repodata.json").headers().firstValue("ETag").orElseThrow();
    server.upload("changing", ZLIB);
    HttpResponse<byte[]> after = server.send(server.request("/conda/changing/linux-64/repodata.json")
        .header("If-None-Match", before).GET());
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(after.body()).get("packages.conda").has(ZLIB.getFileName().toString())).isTrue();
  }

  @Test
  void headAnswersLikeGetWithoutABody() {
    HttpResponse<byte[]> head = server.send(server.request("/conda/proto/linux-64/repodata.json.zst")
        .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    HttpResponse<byte[]> get = server.get("/conda/proto/linux-64/repodata.json.zst");
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValue("Content-Length").orElseThrow())
        .isEqualTo(String.valueOf(get.body().length));
    assertThat(head.headers().firstValue("ETag")).isEqualTo(get.headers().firstValue("ETag"));
  }

  @Test
  void jsonIsGzippedWhenAskedAndZstNever() throws IOException {
    HttpResponse<byte[]> gz = server.send(server.request("/conda/proto/linux-64/repodata.json")
        .header("Accept-Encoding", "gzip").GET());
    assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
    byte[] plain = server.get("/conda/proto/linux-64/repodata.json").body();
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
      assertThat(in.readAllBytes()).isEqualTo(plain);
    }
    HttpResponse<byte[]> zst = server.send(server.request("/conda/proto/linux-64/repodata.json.zst")
        .header("Accept-Encoding", "gzip").GET());
    assertThat(zst.headers().firstValue("Content-Encoding")).isEmpty();
  }

  @Test
  void packageFilesDownloadWithChecksumEtagAndRanges() throws IOException {
    byte[] whole = Files.readAllBytes(ZLIB);
    String url = "/conda/proto/linux-64/" + ZLIB.getFileName();
    HttpResponse<byte[]> full = server.get(url);
    assertThat(full.statusCode()).isEqualTo(200);
    assertThat(full.body()).isEqualTo(whole);
    assertThat(full.headers().firstValue("ETag")).hasValue(
        "\"f33afff2144e1d6c4cf2e3e184937db8bf825b4537df74662aea5ee207b6a31b\"");
    assertThat(full.headers().firstValue("Accept-Ranges")).hasValue("bytes");

    HttpResponse<byte[]> part = server.send(server.request(url).header("Range", "bytes=10-19").GET());
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.body()).isEqualTo(Arrays.copyOfRange(whole, 10, 20));
    assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 10-19/" + whole.length);

    HttpResponse<byte[]> suffix = server.send(server.request(url).header("Range", "bytes=-100").GET());
    assertThat(suffix.statusCode()).isEqualTo(206);
    assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(whole, whole.length - 100, whole.length));

    HttpResponse<byte[]> open = server.send(server.request(url).header("Range", "bytes=" + (whole.length - 5) + "-")
        .GET());
    assertThat(open.body()).isEqualTo(Arrays.copyOfRange(whole, whole.length - 5, whole.length));

    HttpResponse<byte[]> beyond = server.send(server.request(url).header("Range", "bytes=" + whole.length + "-")
        .GET());
    assertThat(beyond.statusCode()).isEqualTo(416);
    assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */" + whole.length);

    // Positions too large for a long are beyond the file: 416 or the whole file, never a server error.
    assertThat(server.send(server.request(url).header("Range", "bytes=9999999999999999999-").GET()).statusCode())
        .isEqualTo(416);
    HttpResponse<byte[]> hugeEnd = server.send(server.request(url).header("Range", "bytes=0-9999999999999999999")
        .GET());
    assertThat(hugeEnd.statusCode()).isEqualTo(206);
    assertThat(hugeEnd.body()).isEqualTo(whole);

    HttpResponse<byte[]> staleIfRange = server.send(server.request(url).header("Range", "bytes=0-9")
        .header("If-Range", "\"other\"").GET());
    assertThat(staleIfRange.statusCode()).isEqualTo(200);
    assertThat(staleIfRange.body()).hasSize(whole.length);

    HttpResponse<byte[]> notModified = server.send(server.request(url)
        .header("If-None-Match", full.headers().firstValue("ETag").orElseThrow()).GET());
    assertThat(notModified.statusCode()).isEqualTo(304);
  }

  @Test
  void shardedRepodataIndexPointsAtContentAddressedShardsHoldingTheRepodataRecords() throws IOException {
    HttpResponse<byte[]> indexRes = server.get("/conda/proto/linux-64/repodata_shards.msgpack.zst");
    assertThat(indexRes.statusCode()).isEqualTo(200);
    JsonNode index = io.wharf.conda.repodata.Shards.decode(indexRes.body(), 10_000_000);
    assertThat(index.get("info").get("subdir").asText()).isEqualTo("linux-64");
    JsonNode shardRef = index.get("shards").get("zlib");
    assertThat(shardRef).isNotNull();
    String hex = shardRef.asText(); // decode() renders msgpack bin as lowercase hex
    HttpResponse<byte[]> shardRes = server.get("/conda/proto/linux-64/shards/" + hex + ".msgpack.zst");
    assertThat(shardRes.statusCode()).isEqualTo(200);
    assertThat(io.wharf.conda.repodata.Shards.sha256Hex(shardRes.body())).isEqualTo(hex);
    assertThat(shardRes.headers().firstValue("Cache-Control").orElseThrow()).contains("immutable");
    JsonNode shard = io.wharf.conda.repodata.Shards.decode(shardRes.body(), 10_000_000);
    JsonNode record = shard.get("packages.conda").get("zlib-1.2.11-h7b6447c_3.conda");
    JsonNode fromRepodata = server.getJson("/conda/proto/linux-64/repodata.json").get("packages.conda")
        .get("zlib-1.2.11-h7b6447c_3.conda");
    assertThat(record.get("version").asText()).isEqualTo("1.2.11");
    assertThat(record.get("depends")).isEqualTo(fromRepodata.get("depends"));
    assertThat(record.get("sha256").asText()).isEqualTo(fromRepodata.get("sha256").asText());
  }

  @Test
  void privateChannelsNeedATokenInThePathOrHeader() {
    assertThat(server.get("/conda/secret/linux-64/repodata.json").statusCode()).isEqualTo(401);
    assertThat(server.get("/t/" + TestServer.ADMIN_TOKEN + "/conda/secret/linux-64/repodata.json").statusCode())
        .isEqualTo(200);
    assertThat(server.send(server.admin("/conda/secret/linux-64/repodata.json").GET()).statusCode())
        .isEqualTo(200);
    String basic = java.util.Base64.getEncoder().encodeToString(("user:" + TestServer.ADMIN_TOKEN).getBytes());
    assertThat(server.send(server.request("/conda/secret/linux-64/" + ZLIB.getFileName())
        .header("Authorization", "Basic " + basic).GET()).statusCode()).isEqualTo(200);
    assertThat(server.get("/t/wrong-token-0123456789/conda/secret/linux-64/repodata.json").statusCode())
        .isEqualTo(401);
    assertThat(server.send(server.admin("/conda/secret/linux-64/repodata.json").GET()).headers()
        .firstValue("Cache-Control").orElseThrow()).startsWith("private");
  }

  @Test
  void unknownFilesAndTraversalAreNotFound() {
    assertThat(server.get("/conda/proto/linux-64/nothing-1.0-0.conda").statusCode()).isEqualTo(404);
    assertThat(server.get("/conda/proto/linux-64/%2e%2e/%2e%2e/wharf.db").statusCode()).isIn(400, 404);
    JsonNode err = server.getJson("/conda/proto/linux-64/nothing-1.0-0.conda");
    assertThat(err.get("error").asText()).isEqualTo("not_found");
  }

  @Test
  void requestsJettyRefusesBeforeRoutingStillGetAJsonError() throws IOException {
    for (String path : new String[] {"/conda/proto%00/linux-64/repodata.json", "/api/channels/a%2F..%2Fb"}) {
      HttpResponse<byte[]> r = server.send(server.admin(path).GET());
      assertThat(r.statusCode()).as(path).isIn(400, 404);
      assertThat(r.headers().firstValue("Content-Type").orElseThrow()).as(path).startsWith("application/json");
      JsonNode body = JSON.readTree(r.body());
      assertThat(body.get("error").asText()).as(path).isNotBlank();
      assertThat(body.get("message").asText()).as(path).isNotBlank();
    }
    HttpResponse<byte[]> nul = server.get("/conda/proto%00/linux-64/repodata.json");
    assertThat(nul.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(nul.body()).get("error").asText()).isEqualTo("invalid_request");
    // The server keeps serving afterwards.
    assertThat(server.get("/conda/proto/linux-64/repodata.json").statusCode()).isEqualTo(200);
  }
}
