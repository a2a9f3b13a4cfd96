package io.wharf.conda.repodata;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

  /** DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519; the raw 32-byte key follows. */
  private static final String ED25519_SPKI_PREFIX = "302a300506032b6570032100";

  @Test
  void everySignatureInCondaContentTrustsSampleVerifiesOverOurSerialization() throws Exception {
    ObjectNode repodata = Fixtures.json("signing/repodata_short_signed_sample.json");
    int verified = 0;
    for (Map.Entry<String, JsonNode> fileSignatures : repodata.get("signatures").properties()) {
      String filename = fileSignatures.getKey();
      JsonNode record = repodata.get("packages").has(filename)
          ? repodata.get("packages").get(filename)
          : repodata.get("packages.conda").get(filename);
      byte[] payload = CanonicalJson.serialize(record).getBytes(StandardCharsets.UTF_8);

      for (Map.Entry<String, JsonNode> keyAndSignature : fileSignatures.getValue().properties()) {
        assertThat(keyAndSignature.getKey()).startsWith("4a044c34");
        Signature ed25519 = Signature.getInstance("Ed25519");
        ed25519.initVerify(publicKey(keyAndSignature.getKey()));
        ed25519.update(payload);
        byte[] signature = HexFormat.of().parseHex(keyAndSignature.getValue().get("signature").asText());
        assertThat(ed25519.verify(signature)).as(filename).isTrue();
        verified++;
      }
    }
    assertThat(verified).isEqualTo(3);
  }

  @Test
  void aChangedRecordNoLongerVerifies() throws Exception {
    ObjectNode repodata = Fixtures.json("signing/repodata_short_signed_sample.json");
    Map.Entry<String, JsonNode> first = repodata.get("signatures").properties().iterator().next();
    ObjectNode record = (ObjectNode) repodata.get("packages").get(first.getKey()).deepCopy();
    record.put("license", record.path("license").asText() + " ");
    Map.Entry<String, JsonNode> keyAndSignature = first.getValue().properties().iterator().next();

    Signature ed25519 = Signature.getInstance("Ed25519");
    ed25519.initVerify(publicKey(keyAndSignature.getKey()));
    ed25519.update(CanonicalJson.serialize(record).getBytes(StandardCharsets.UTF_8));

    assertThat(ed25519.verify(HexFormat.of().parseHex(keyAndSignature.getValue().get("signature").asText()))).isFalse();
  }

  @Test
  void matchesPythonJsonDumpsIndent2SortKeysEnsureAscii() throws Exception {
    JsonNode node = Fixtures.JSON.readTree(
        "{\"b\":[1,{}],\"a\":\"é\u007f\uD83D\uDE00\",\"\uD83D\uDE00\":1,\"\uFFFD\":2,\"c\":[],\"d\":null,\"e\":true}");

    // json.dumps(node, indent=2, sort_keys=True) in CPython
    assertThat(CanonicalJson.serialize(node)).isEqualTo("""
        {
          "a": "\\u00e9\\u007f\\ud83d\\ude00",
          "b": [
            1,
            {}
          ],
          "c": [],
          "d": null,
          "e": true,
          "\\ufffd": 2,
          "\\ud83d\\ude00": 1
        }""");
  }

  private static PublicKey publicKey(String rawHex) throws Exception {
    byte[] spki = HexFormat.of().parseHex(ED25519_SPKI_PREFIX + rawHex);
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
  }
}
