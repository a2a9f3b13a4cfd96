package io.wharf.server.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.Zstd;
import io.wharf.server.Wharf;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.PythonClients;
import io.wharf.server.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A channel of an instance with signing keys: what it serves verifies with Wharf's verifier and with
 * conda-content-trust's rules as a Python client applies them.
 */
class SignedChannelTest {
  @TempDir static Path data;
  static TestServer server;

  @BeforeAll
  static void start() {
    assertThat(Wharf.run("signing", "init", "--data-dir", data.toString())).isZero();
    server = TestServer.start(data);
    server.createChannel("signed", "public");
    server.createChannel("copies", "private");
    for (String f : List.of("zlib-1.2.11-h7b6447c_3.conda", "zlib-1.2.11-h7b6447c_3.tar.bz2",
        "other-package-0.2-0.conda", "run_exports_versions-1.0-he35c369_0.tar.bz2")) {
      HttpResponse<byte[]> res = server.upload("signed", Fixtures.realPackage(f));
      assertThat(res.statusCode()).as(new String(res.body())).isEqualTo(201);
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static List<JsonNode> roots(TestServer s) {
    List<JsonNode> roots = new ArrayList<>();
    for (int v = 1; s.get("/trust/" + v + ".root.json").statusCode() == 200; v++) {
      roots.add(TestServer.json(s.get("/trust/" + v + ".root.json")));
    }
    return roots;
  }

  /** Every record of a repodata document checked as a client does; returns how many verified. */
  static int verifyAll(TestServer s, JsonNode repodata) throws TrustException {
    JsonNode root = TrustVerifier.verifyRootChain(roots(s));
    JsonNode keyMgr = TestServer.json(s.get("/trust/key_mgr.json"));
    TrustVerifier.verifyDelegation("key_mgr", keyMgr, root);
    int n = 0;
    for (String section : List.of("packages", "packages.conda")) {
      for (Map.Entry<String, JsonNode> e : repodata.path(section).properties()) {
        JsonNode sigs = repodata.path("signatures").get(e.getKey());
        assertThat(sigs).as("signature of " + e.getKey()).isNotNull();
        TrustVerifier.verifyRecord(e.getValue(), sigs, keyMgr);
        n++;
      }
    }
    return n;
  }

  @Test
  void everyRecordOfRepodataCarriesASignatureThatVerifiesUnderTheServedChain() throws Exception {
    JsonNode repodata = server.getJson("/conda/signed/linux-64/repodata.json");

    assertThat(verifyAll(server, repodata)).isEqualTo(3);
    assertThat(repodata.get("signatures").size()).isEqualTo(3);
    assertThat(verifyAll(server, server.getJson("/conda/signed/noarch/repodata.json"))).isEqualTo(1);
  }

  @Test
  void theZstdFormAndCurrentRepodataCarryTheSameVerifiableSignatures() throws Exception {
    byte[] plain = server.get("/conda/signed/linux-64/repodata.json").body();
    byte[] zst = server.get("/conda/signed/linux-64/repodata.json.zst").body();
    assertThat(Zstd.decompress(zst, plain.length)).isEqualTo(plain);

    JsonNode current = server.getJson("/conda/signed/linux-64/current_repodata.json");
    // the .conda twin's current record gains legacy_bz2_md5: signed as served, not as stored
    assertThat(current.path("packages.conda").path("zlib-1.2.11-h7b6447c_3.conda").has("legacy_bz2_md5")).isTrue();
    assertThat(verifyAll(server, current)).isEqualTo(current.path("packages").size()
        + current.path("packages.conda").size());
  }

  @Test
  void aClientApplyingConda_content_trustsRulesTrustsEveryRecordAndRejectsATamperedOne() throws IOException {
    PythonClients.assumeModules("cryptography");
    String script;
    try (InputStream in = SignedChannelTest.class.getResourceAsStream("content_trust_check.py")) {
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String repodata = server.url() + "/conda/signed/linux-64/repodata.json";

    JsonNode clean = TrustFormats.JSON.readTree(PythonClients.run(script, data, server.url() + "/trust", repodata));
    JsonNode tampered = TrustFormats.JSON.readTree(PythonClients.run(script, data, server.url() + "/trust", repodata,
        "other-package-0.2-0.conda"));

    assertThat(clean.get("trusted")).hasSize(3);
    assertThat(clean.get("untrusted")).isEmpty();
    assertThat(clean.get("unsigned")).isEmpty();
    assertThat(tampered.get("untrusted").toString()).isEqualTo("[\"other-package-0.2-0.conda\"]");
    assertThat(tampered.get("trusted")).hasSize(2);
    JsonNode current = TrustFormats.JSON.readTree(PythonClients.run(script, data, server.url() + "/trust",
        server.url() + "/conda/signed/linux-64/current_repodata.json"));
    JsonNode served = server.getJson("/conda/signed/linux-64/current_repodata.json");
    assertThat(current.get("trusted")).hasSize(served.path("packages").size() + served.path("packages.conda").size());
    assertThat(current.get("trusted").toString()).contains("zlib-1.2.11-h7b6447c_3.conda");
    assertThat(current.get("untrusted")).isEmpty();
  }

  @Test
  void theSignaturesSectionFollowsUploadsAndDeletionsNameByName() throws Exception {
    server.createChannel("moving", "public");
    assertThat(server.upload("moving", Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda")).statusCode())
        .isEqualTo(201);
    JsonNode before = server.getJson("/conda/moving/linux-64/repodata.json");
    assertThat(server.upload("moving", Fixtures.realPackage("other-package-0.2-0.conda")).statusCode())
        .isEqualTo(201);
    JsonNode both = server.getJson("/conda/moving/linux-64/repodata.json");
    assertThat(server.send(server.admin("/api/channels/moving/files/linux-64/zlib-1.2.11-h7b6447c_3.conda")
        .DELETE()).statusCode()).isEqualTo(204);
    JsonNode after = server.getJson("/conda/moving/linux-64/repodata.json");

    assertThat(verifyAll(server, both)).isEqualTo(2);
    assertThat(both.path("signatures").get("zlib-1.2.11-h7b6447c_3.conda"))
        .isEqualTo(before.path("signatures").get("zlib-1.2.11-h7b6447c_3.conda"));
    assertThat(after.path("signatures").has("zlib-1.2.11-h7b6447c_3.conda")).isFalse();
    assertThat(verifyAll(server, after)).isEqualTo(1);
  }

  @Test
  void aTamperedRecordOrASignatureFromAnotherRecordFails() throws Exception {
    JsonNode repodata = server.getJson("/conda/signed/linux-64/repodata.json");
    JsonNode keyMgr = TestServer.json(server.get("/trust/key_mgr.json"));
    ObjectNode record = (ObjectNode) repodata.path("packages.conda").get("other-package-0.2-0.conda").deepCopy();
    record.put("size", record.get("size").asLong() + 1);

    assertThatThrownBy(() -> TrustVerifier.verifyRecord(record, repodata.path("signatures")
        .get("other-package-0.2-0.conda"), keyMgr)).isInstanceOf(TrustException.class);
    assertThatThrownBy(() -> TrustVerifier.verifyRecord(repodata.path("packages.conda").get("other-package-0.2-0.conda"),
        repodata.path("signatures").get("zlib-1.2.11-h7b6447c_3.conda"), keyMgr)).isInstanceOf(TrustException.class);
  }

  @Test
  void aCopiedRecordVerifiesInItsNewChannel() throws Exception {
    HttpResponse<byte[]> res = server.send(server.admin("/api/channels/signed/copy")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"copies\",\"items\":[\"other-package\"]}")));
    assertThat(res.statusCode()).as(new String(res.body())).isEqualTo(200);

    JsonNode copied = TestServer.json(server.send(server.admin("/conda/copies/linux-64/repodata.json").GET()));
    assertThat(copied.path("packages.conda").has("other-package-0.2-0.conda")).isTrue();
    assertThat(verifyAll(server, copied)).isEqualTo(1);
  }

  @Test
  void trustMetadataIsServedWithoutCredentialsAndUnknownNamesAre404() {
    HttpResponse<byte[]> root = server.get("/trust/1.root.json");
    assertThat(root.statusCode()).isEqualTo(200);
    assertThat(root.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    assertThat(root.headers().firstValue("ETag")).isPresent();
    assertThat(server.get("/trust/key_mgr.json").statusCode()).isEqualTo(200);
    assertThat(server.get("/trust/9.root.json").statusCode()).isEqualTo(404);
    assertThat(server.get("/trust/secrets.json").statusCode()).isEqualTo(404);
    assertThat(TestServer.json(server.get("/trust/key_mgr.json")).path("signed").path("type").asText())
        .isEqualTo("key_mgr");
  }

  @Test
  void theFileJsonCarriesTheSignatureAndTheFilesTabShowsIt() {
    JsonNode files = server.getJson("/api/channels/signed/files?subdir=linux-64");
    JsonNode first = files.get(0);
    String keyId = first.path("signatures").fieldNames().next();
    assertThat(first.path("signatures").path(keyId).path("signature").asText()).hasSize(128);

    String page = new String(server.get("/channels/signed/packages/other-package").body(), StandardCharsets.UTF_8);
    assertThat(page).contains("<span class=\"tag signed-tag\"", ">signed</span>", "signature-key\">" + keyId);
  }

  @Test
  void publishedBytesAndETagsStayTheSameWhenNothingChanged() {
    HttpResponse<byte[]> first = server.get("/conda/signed/noarch/repodata.json");
    server.createChannel("unrelated", "public");
    HttpResponse<byte[]> second = server.get("/conda/signed/noarch/repodata.json");

    assertThat(second.headers().firstValue("ETag")).isEqualTo(first.headers().firstValue("ETag"));
    assertThat(second.body()).isEqualTo(first.body());
  }
}
