package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import io.wharf.server.trust.SigningKey;
import io.wharf.server.trust.TrustMetadata;
import io.wharf.server.trust.TrustVerifier;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wharf signing ...} on a data directory, and {@code wharf verify} against a running server. */
class SigningCliTest {
  private static final String ZLIB = "zlib-1.2.11-h7b6447c_3.conda";

  @TempDir Path data;
  @TempDir Path work;

  private CliRun signing(String... args) {
    List<String> all = new ArrayList<>(List.of("signing"));
    all.addAll(List.of(args));
    all.addAll(List.of("--data-dir", data.toString()));
    return CliRun.of(all.toArray(String[]::new));
  }

  private static List<Path> keyFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".pri")).toList();
    }
  }

  private static List<JsonNode> roots(TestServer s) {
    List<JsonNode> roots = new ArrayList<>();
    for (int v = 1; s.get("/trust/" + v + ".root.json").statusCode() == 200; v++) {
      roots.add(TestServer.json(s.get("/trust/" + v + ".root.json")));
    }
    return roots;
  }

  @Test
  void initWritesOneKeyPerRoleReadableOnlyByTheOwnerAndRefusesASecondTime() throws IOException {
    CliRun first = signing("init");
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out()).contains("root: ", "key_mgr: ", "pkg_mgr: ", "/trust/1.root.json");

    List<Path> keys = keyFiles(data.resolve("signing"));
    assertThat(keys).hasSize(3);
    for (Path k : keys) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(k))).isEqualTo("rw-------");
      assertThat(first.out()).contains(k.getFileName().toString().replace(".pri", ""));
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("signing/pkg_mgr"))))
        .isEqualTo("rwx------");
    CliRun again = signing("init");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("already has trust metadata");
  }

  @Test
  void aKeyFileOthersMayReadStopsTheServerFromStarting() throws IOException {
    assertThat(signing("init").exit()).isZero();
    Path pkg = keyFiles(data.resolve("signing/pkg_mgr")).get(0);
    Files.setPosixFilePermissions(pkg, PosixFilePermissions.fromString("rw-r--r--"));

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestServer.start(data))
        .hasMessageContaining("chmod 600");
  }

  @Test
  void rotatingTheRootChainsEachVersionToTheLastAndRetiresTheOldKey() throws Exception {
    assertThat(signing("init").exit()).isZero();
    String firstRootKey = keyFiles(data.resolve("signing/root")).get(0).getFileName().toString();

    CliRun r2 = signing("rotate-root");
    CliRun r3 = signing("rotate-root");

    assertThat(r2.exit()).as(r2.err()).isZero();
    assertThat(r3.out()).contains("wrote 3.root.json");
    assertThat(data.resolve("signing/root/retired/" + firstRootKey)).exists();
    assertThat(keyFiles(data.resolve("signing/root")).stream().filter(p -> !p.toString().contains("retired")))
        .hasSize(1);
    try (TestServer s = TestServer.start(data)) {
      List<JsonNode> roots = roots(s);
      assertThat(roots).hasSize(3);
      JsonNode newest = TrustVerifier.verifyRootChain(roots);
      TrustVerifier.verifyDelegation("key_mgr", TestServer.json(s.get("/trust/key_mgr.json")), newest);
    }
  }

  @Test
  void importTakesAnExistingHierarchyAndTheServerSignsWithItsPkgMgrKey() throws Exception {
    Path source = work.resolve("existing");
    Instant now = Instant.parse("2026-03-01T00:00:00Z");
    SigningKey root = SigningKey.generate();
    SigningKey keyMgr = SigningKey.generate();
    SigningKey pkgMgr = SigningKey.generate();
    ObjectNode rootMeta = TrustMetadata.root(1, new TrustMetadata.Delegation(List.of(root.keyId()), 1),
        new TrustMetadata.Delegation(List.of(keyMgr.keyId()), 1), now);
    TrustMetadata.signRoot(rootMeta, root, now);
    ObjectNode keyMgrMeta = TrustMetadata.keyMgr(1, new TrustMetadata.Delegation(List.of(pkgMgr.keyId()), 1), now);
    TrustMetadata.signRaw(keyMgrMeta, keyMgr);
    Files.createDirectories(source);
    Files.writeString(source.resolve("1.root.json"), TrustMetadata.text(rootMeta));
    Files.writeString(source.resolve("key_mgr.json"), TrustMetadata.text(keyMgrMeta));
    new io.wharf.server.trust.KeyDirectory(source).write("pkg_mgr", pkgMgr);

    CliRun imported = signing("import", source.toString());

    assertThat(imported.exit()).as(imported.err()).isZero();
    assertThat(imported.out()).contains("pkg_mgr: " + pkgMgr.keyId());
    try (TestServer s = TestServer.start(data)) {
      s.createChannel("imp", "public");
      assertThat(s.upload("imp", Fixtures.realPackage(ZLIB)).statusCode()).isEqualTo(201);
      JsonNode repodata = s.getJson("/conda/imp/linux-64/repodata.json");
      assertThat(repodata.path("signatures").path(ZLIB).has(pkgMgr.keyId())).isTrue();
      assertThat(s.get("/trust/1.root.json").body()).isEqualTo(Files.readAllBytes(source.resolve("1.root.json")));
    }
  }

  @Test
  void importRefusesAPrivateKeyTheMetadataDoesNotDelegateTo() throws IOException {
    Path source = work.resolve("mismatch");
    Instant now = Instant.parse("2026-03-01T00:00:00Z");
    SigningKey root = SigningKey.generate();
    ObjectNode rootMeta = TrustMetadata.root(1, new TrustMetadata.Delegation(List.of(root.keyId()), 1),
        new TrustMetadata.Delegation(List.of(root.keyId()), 1), now);
    TrustMetadata.signRoot(rootMeta, root, now);
    ObjectNode keyMgrMeta = TrustMetadata.keyMgr(1, new TrustMetadata.Delegation(
        List.of(SigningKey.generate().keyId()), 1), now);
    TrustMetadata.signRaw(keyMgrMeta, root);
    Files.createDirectories(source);
    Files.writeString(source.resolve("1.root.json"), TrustMetadata.text(rootMeta));
    Files.writeString(source.resolve("key_mgr.json"), TrustMetadata.text(keyMgrMeta));
    new io.wharf.server.trust.KeyDirectory(source).write("pkg_mgr", SigningKey.generate());

    CliRun r = signing("import", source.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("is not among the pkg_mgr keys");
    assertThat(data.resolve("signing")).doesNotExist();
  }

  @Test
  void filesStoredBeforeTheKeysAreSignedAtStartAndRepublishedByteStable() throws Exception {
    try (TestServer s = TestServer.start(data)) {
      s.createChannel("old", "public");
      assertThat(s.upload("old", Fixtures.realPackage(ZLIB)).statusCode()).isEqualTo(201);
      assertThat(s.getJson("/conda/old/linux-64/repodata.json").has("signatures")).isFalse();
      CliRun unsigned = CliRun.of("verify", "--url", s.url(), "--channel", "old",
          Fixtures.realPackage(ZLIB).toString());
      assertThat(unsigned.exit()).isEqualTo(1);
      assertThat(unsigned.out()).contains("NOT trusted", "not signed");
    }
    assertThat(signing("init").exit()).isZero();

    String etag;
    try (TestServer s = TestServer.start(data)) {
      JsonNode repodata = awaitSigned(s, "/conda/old/linux-64/repodata.json");
      JsonNode keyMgr = TestServer.json(s.get("/trust/key_mgr.json"));
      TrustVerifier.verifyRecord(repodata.path("packages.conda").get(ZLIB), repodata.path("signatures").get(ZLIB),
          keyMgr);
      etag = s.get("/conda/old/linux-64/repodata.json").headers().firstValue("ETag").orElseThrow();
    }
    try (TestServer s = TestServer.start(data)) {
      HttpResponse<byte[]> again = s.get("/conda/old/linux-64/repodata.json");
      assertThat(again.headers().firstValue("ETag")).contains(etag);
    }
  }

  private static JsonNode awaitSigned(TestServer s, String path) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      JsonNode repodata = s.getJson(path);
      if (repodata.has("signatures") || System.nanoTime() > deadline) {
        assertThat(repodata.has("signatures")).as("signed within 30 s").isTrue();
        return repodata;
      }
      Thread.sleep(50);
    }
  }

  @Test
  void verifySaysTrustedForTheServedFileAndWhyNotForAnAlteredOne() throws Exception {
    assertThat(signing("init").exit()).isZero();
    try (TestServer s = TestServer.start(data)) {
      s.createChannel("rel", "private");
      assertThat(s.upload("rel", Fixtures.realPackage(ZLIB)).statusCode()).isEqualTo(201);
      Path altered = Files.createDirectories(work.resolve("altered")).resolve(ZLIB);
      byte[] bytes = Files.readAllBytes(Fixtures.realPackage(ZLIB));
      bytes[bytes.length - 1] ^= 1;
      Files.write(altered, bytes);
      Path pinned = work.resolve("1.root.json");
      Files.write(pinned, s.get("/trust/1.root.json").body());

      CliRun ok = CliRun.of("verify", "--url", s.url(), "--token", TestServer.ADMIN_TOKEN, "--channel", "rel",
          "--root", pinned.toString(), Fixtures.realPackage(ZLIB).toString());
      CliRun bad = CliRun.of("verify", "--url", s.url(), "--token", TestServer.ADMIN_TOKEN, "--channel", "rel",
          "--subdir", "linux-64", altered.toString());
      CliRun foreignRoot = CliRun.of("verify", "--url", s.url(), "--token", TestServer.ADMIN_TOKEN, "--channel",
          "rel", "--root", writeForeignRoot().toString(), Fixtures.realPackage(ZLIB).toString());

      assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
      assertThat(ok.out()).startsWith("trusted: " + ZLIB + " in rel/linux-64").contains("pinned root");
      assertThat(bad.exit()).isEqualTo(1);
      assertThat(bad.out()).contains("NOT trusted", "sha256 differs");
      assertThat(foreignRoot.exit()).isEqualTo(1);
      assertThat(foreignRoot.out()).contains("NOT trusted", "key_mgr.json does not verify");
    }
  }

  /** A valid root of someone else's hierarchy: the served key_mgr is not signed by its key_mgr key. */
  private Path writeForeignRoot() throws IOException {
    SigningKey k = SigningKey.generate();
    ObjectNode root = TrustMetadata.root(1, new TrustMetadata.Delegation(List.of(k.keyId()), 1),
        new TrustMetadata.Delegation(List.of(k.keyId()), 1), Instant.now());
    TrustMetadata.signRoot(root, k, Instant.now());
    Path p = work.resolve("foreign.root.json");
    Files.writeString(p, TrustMetadata.text(root));
    return p;
  }
}
