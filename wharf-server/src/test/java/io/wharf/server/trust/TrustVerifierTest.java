package io.wharf.server.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.server.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Wharf's serializer and verifier against conda-content-trust's own signed test data. */
class TrustVerifierTest {

  static JsonNode fixture(String name) throws IOException {
    return TrustFormats.JSON.readTree(Fixtures.root().resolve("real/signing").resolve(name).toFile());
  }

  /** key_mgr metadata delegating pkg_mgr to the given key, standing in for the sample's (absent) key_mgr. */
  private static JsonNode keyMgrFor(String keyId) {
    return TrustMetadata.keyMgr(1, new TrustMetadata.Delegation(List.of(keyId), 1), Instant.EPOCH);
  }

  @Test
  void theThreeSignaturesOfTheSignedSampleVerify() throws Exception {
    JsonNode repodata = fixture("repodata_short_signed_sample.json");
    int verified = 0;
    for (Map.Entry<String, JsonNode> e : repodata.get("signatures").properties()) {
      String fn = e.getKey();
      JsonNode record = record(repodata, fn);
      String keyId = e.getValue().fieldNames().next();
      TrustVerifier.verifyRecord(record, e.getValue(), keyMgrFor(keyId));
      verified++;
    }
    assertThat(verified).isEqualTo(3);
  }

  @Test
  void aTamperedSampleRecordFails() throws Exception {
    JsonNode repodata = fixture("repodata_short_signed_sample.json");
    String fn = "zstd-1.4.4-h0b5b093_3.conda";
    ObjectNode record = (ObjectNode) record(repodata, fn).deepCopy();
    record.put("depends", "evil");
    JsonNode sigs = repodata.get("signatures").get(fn);

    assertThatThrownBy(() -> TrustVerifier.verifyRecord(record, sigs, keyMgrFor(sigs.fieldNames().next())))
        .isInstanceOf(TrustException.class).hasMessageContaining("found 0");
  }

  @Test
  void aSignatureByAKeyTheKeyMgrDoesNotListCountsForNothing() throws Exception {
    JsonNode repodata = fixture("repodata_short_signed_sample.json");
    String fn = "zstd-1.4.4-h0b5b093_3.conda";

    assertThatThrownBy(() -> TrustVerifier.verifyRecord(record(repodata, fn),
        repodata.get("signatures").get(fn), keyMgrFor(SigningKey.generate().keyId())))
        .isInstanceOf(TrustException.class);
  }

  @Test
  void conda_content_trustsRootVersionTwoChainsFromVersionOne() throws Exception {
    JsonNode root = TrustVerifier.verifyRootChain(List.of(fixture("1.root.json"), fixture("2.root.json")));

    assertThat(TrustMetadata.version(root)).isEqualTo(2);
  }

  @Test
  void conda_content_trustsKeyMgrVerifiesAgainstItsRoot() throws Exception {
    TrustVerifier.verifyDelegation("key_mgr", fixture("key_mgr.json"), fixture("2.root.json"));
  }

  @Test
  void aRootThatSkipsAVersionOrLacksTheOldKeysSignatureIsRefused() throws Exception {
    JsonNode one = fixture("1.root.json");
    ObjectNode two = (ObjectNode) fixture("2.root.json");
    ((ObjectNode) two.get("signatures")).remove("c8bd83b3bfc991face417d97b9c0db011b5d256476b602b92fec92849fc2b36c");

    assertThatThrownBy(() -> TrustVerifier.verifyRoot(one, two)).isInstanceOf(TrustException.class)
        .hasMessageContaining("needs good signatures");
    assertThatThrownBy(() -> TrustVerifier.verifyRoot(one, one)).isInstanceOf(TrustException.class)
        .hasMessageContaining("does not follow");
  }

  @Test
  void keyMgrSignedByAnotherKeyIsRefused() throws Exception {
    ObjectNode keyMgr = (ObjectNode) fixture("key_mgr.json");
    ((ObjectNode) keyMgr.get("signed")).put("version", 2);

    assertThatThrownBy(() -> TrustVerifier.verifyDelegation("key_mgr", keyMgr, fixture("2.root.json")))
        .isInstanceOf(TrustException.class);
  }

  @Test
  void rootSignaturesWeWriteVerifyLikeTheOpenPgpOnesOfTheFixture() throws Exception {
    SigningKey key = SigningKey.generate();
    ObjectNode root = TrustMetadata.root(1, new TrustMetadata.Delegation(List.of(key.keyId()), 1),
        new TrustMetadata.Delegation(List.of(SigningKey.generate().keyId()), 1), Instant.parse("2026-01-02T03:04:05Z"));
    TrustMetadata.signRoot(root, key, Instant.parse("2026-01-02T03:04:05Z"));

    JsonNode sig = root.get("signatures").get(key.keyId());
    // the same header layout as the fixture's: v4, binary, EdDSA, SHA-256, 29 bytes of hashed subpackets
    assertThat(sig.get("other_headers").asText()).startsWith("04001608001d162104").hasSize(70);
    assertThat(TrustVerifier.verifyRootChain(List.of(root))).isSameAs(root);
    ((ObjectNode) root.get("signed")).put("expiration", "2099-01-01T00:00:00Z");
    assertThatThrownBy(() -> TrustVerifier.verifyRootChain(List.of(root))).isInstanceOf(TrustException.class);
  }

  @Test
  void privateKeysRoundTripThroughTheirHexForm() {
    SigningKey key = SigningKey.generate();
    SigningKey again = SigningKey.fromHex(key.privateHex());

    assertThat(again.keyId()).isEqualTo(key.keyId());
    byte[] data = "payload".getBytes();
    assertThat(SigningKey.verify(key.keyId(), again.sign(data), data)).isTrue();
    assertThat(key.toString()).doesNotContain(key.privateHex());
  }

  /** The sample lists its .conda files under "packages" too, so look in both maps. */
  private static JsonNode record(JsonNode repodata, String fn) {
    JsonNode r = repodata.path("packages").get(fn);
    return r != null ? r : repodata.path("packages.conda").get(fn);
  }

  static Path signingFixtures() {
    return Fixtures.root().resolve("real/signing");
  }
}
