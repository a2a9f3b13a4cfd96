package io.wharf.server.mirror;

import static io.wharf.server.mirror.MirrorEndToEndTest.create;
import static io.wharf.server.mirror.MirrorEndToEndTest.last;
import static io.wharf.server.mirror.MirrorEndToEndTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.Wharf;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import io.wharf.server.trust.TrustMetadata;
import io.wharf.server.trust.TrustVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upstream whose repodata carries conda-content-trust signatures (conda-content-trust's own signed
 * sample, served from a static directory): a mirror keeps each record's signatures and its channel serves
 * them, so a client checks the mirrored records against upstream's key; a Wharf with signing keys of its
 * own serves its own signatures instead, since what it publishes is signed by its keys alone.
 */
class MirrorSignaturesTest {
  private static final String UPSTREAM_KEY = "4a044c3445b9d8bc5429a2b1d7d42bdb4d8404285b76322e8eacdfdae8b0e4cd";
  @TempDir static Path dir;
  static JsonNode sample;
  static Server files;

  @BeforeAll
  static void start() throws Exception {
    Path signed = Fixtures.root().resolve("real/signing/repodata_short_signed_sample.json");
    sample = new com.fasterxml.jackson.databind.ObjectMapper().readTree(signed.toFile());
    Files.createDirectories(dir.resolve("linux-64"));
    Files.copy(signed, dir.resolve("linux-64").resolve("repodata.json"));
    files = MirrorStaticDirectoryTest.serve(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    if (files != null) {
      files.stop();
    }
  }

  @Test
  void aMirrorServesUpstreamsSignaturesAndEachVerifiesWithUpstreamsKey(@TempDir Path data) throws Exception {
    try (TestServer server = TestServer.start(data)) {
      JsonNode served = mirror(server);

      assertThat(records(served)).isEqualTo(records(sample));
      assertThat(served.path("signatures")).isEqualTo(sample.path("signatures"));
      JsonNode keyMgr = TrustMetadata.keyMgr(1, new TrustMetadata.Delegation(List.of(UPSTREAM_KEY), 1), Instant.EPOCH);
      for (Map.Entry<String, JsonNode> e : records(served).entrySet()) {
        TrustVerifier.verifyRecord(e.getValue(), served.path("signatures").path(e.getKey()), keyMgr);
      }
      // the file API shows the kept entry too
      JsonNode file = fileView(server, "zstd-1.4.4-h0b5b093_3.conda");
      assertThat(file.path("signatures")).isEqualTo(sample.path("signatures").path("zstd-1.4.4-h0b5b093_3.conda"));
    }
  }

  @Test
  void aWharfWithItsOwnKeysServesItsOwnSignaturesInsteadOfUpstreams(@TempDir Path data) throws Exception {
    assertThat(Wharf.run("signing", "init", "--data-dir", data.toString())).isZero();
    try (TestServer server = TestServer.start(data)) {
      JsonNode served = mirror(server);

      assertThat(records(served)).isEqualTo(records(sample));
      JsonNode keyMgr = server.getJson("/trust/key_mgr.json");
      List<String> ours = new ArrayList<>();
      keyMgr.path("signed").path("delegations").path("pkg_mgr").path("pubkeys").forEach(k -> ours.add(k.asText()));
      assertThat(ours).isNotEmpty().doesNotContain(UPSTREAM_KEY);
      for (Map.Entry<String, JsonNode> e : records(served).entrySet()) {
        JsonNode sigs = served.path("signatures").path(e.getKey());
        assertThat(iterable(sigs.fieldNames())).as(e.getKey()).containsExactlyInAnyOrderElementsOf(ours);
        TrustVerifier.verifyRecord(e.getValue(), sigs, keyMgr);
      }
    }
  }

  @Test
  void anUpstreamThatDropsARecordsSignatureHasTheRecordWrittenAgainUnsigned(@TempDir Path data, @TempDir Path own)
      throws Exception {
    Path repodata = own.resolve("linux-64").resolve("repodata.json");
    Files.createDirectories(repodata.getParent());
    Files.copy(dir.resolve("linux-64").resolve("repodata.json"), repodata);
    Server mine = MirrorStaticDirectoryTest.serve(own);
    try (TestServer server = TestServer.start(data)) {
      server.createChannel("resigned", "public");
      create(server, "resigned", MirrorStaticDirectoryTest.url(mine), "resigned", "passive", List.of("linux-64"));
      assertThat(last(run(server, "resigned")).path("files").asLong()).isEqualTo(3);

      com.fasterxml.jackson.databind.node.ObjectNode changed = sample.deepCopy();
      ((com.fasterxml.jackson.databind.node.ObjectNode) changed.path("signatures")).remove("zstd-1.3.7-h0b5b093_0.conda");
      java.nio.file.attribute.FileTime before = Files.getLastModifiedTime(repodata);
      Files.writeString(repodata, changed.toString());
      // a static server's validators come from the file's time, to the second: a later time, as a real
      // change made a while after the last run would have
      Files.setLastModifiedTime(repodata, java.nio.file.attribute.FileTime.fromMillis(before.toMillis() + 60_000));
      awaitServed(MirrorStaticDirectoryTest.url(mine) + "/linux-64/repodata.json", changed.toString());
      JsonNode again = last(run(server, "resigned"));

      assertThat(again.path("files").asLong()).as("only the record whose signatures changed").isEqualTo(1);
      JsonNode served = server.getJson("/conda/resigned/linux-64/repodata.json");
      assertThat(records(served)).isEqualTo(records(sample));
      assertThat(served.path("signatures")).isEqualTo(changed.path("signatures"));
    } finally {
      mine.stop();
    }
  }

  /** The static server keeps what it read of a file for a while: waits until it serves the new bytes. */
  private static void awaitServed(String url, String body) throws Exception {
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
    while (!client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body().equals(body)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the static server still serves the old " + url);
      }
      Thread.sleep(100);
    }
  }

  /** Mirrors the signed upstream passively (its files are not in the fixtures) and returns the served linux-64. */
  private static JsonNode mirror(TestServer server) throws Exception {
    server.createChannel("signed", "public");
    assertThat(create(server, "signed", MirrorStaticDirectoryTest.url(files), "signed", "passive",
        List.of("linux-64")).statusCode()).isEqualTo(201);
    JsonNode summary = last(run(server, "signed"));
    assertThat(summary.path("files").asLong()).as(summary.toString()).isEqualTo(3);
    return server.getJson("/conda/signed/linux-64/repodata.json");
  }

  private static JsonNode fileView(TestServer server, String filename) {
    for (JsonNode f : server.getJson("/api/channels/signed/files")) {
      if (f.path("filename").asText().equals(filename)) {
        return f;
      }
    }
    throw new AssertionError(filename + " not listed");
  }

  private static Map<String, JsonNode> records(JsonNode repodata) {
    Map<String, JsonNode> out = new TreeMap<>();
    for (String key : List.of("packages", "packages.conda")) {
      repodata.path(key).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
    }
    return out;
  }

  private static List<String> iterable(java.util.Iterator<String> names) {
    List<String> out = new ArrayList<>();
    names.forEachRemaining(out::add);
    return out;
  }
}
