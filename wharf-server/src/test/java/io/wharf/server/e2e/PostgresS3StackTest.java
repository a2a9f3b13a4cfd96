package io.wharf.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.storage.BlobStore;
import io.wharf.server.storage.BlobStores;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.PostgresFixture;
import io.wharf.server.testing.S3Fixture;
import io.wharf.server.db.Database;
import io.wharf.server.pkg.BlobSweeper;
import io.wharf.server.pkg.JdbcPackageFileRepository;
import io.wharf.server.pkg.PackageStore;
import io.wharf.server.storage.BlobStore;
import io.wharf.server.storage.BlobStores;
import io.wharf.server.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The scale-out configuration end to end: metadata in PostgreSQL, package files in S3 (s3proxy). */
class PostgresS3StackTest {
  private static final String BUCKET = "wharf";
  private static final Path ZLIB_CONDA = Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda");
  private static final Path ZLIB_BZ2 = Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.tar.bz2");
  private static final AtomicInteger NODES = new AtomicInteger();

  @TempDir static Path data;
  @TempDir Path work;
  static S3Fixture s3;
  static PostgresFixture.PgDatabase pg;
  static S3Client bucket;
  static TestServer server;

  @BeforeAll
  static void start() {
    s3 = S3Fixture.start();
    pg = PostgresFixture.shared().newDatabase();
    server = startNode();
    bucket = S3Client.builder()
        .endpointOverride(s3.endpoint())
        .region(Region.of(S3Fixture.REGION))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(S3Fixture.ACCESS_KEY, S3Fixture.SECRET_KEY)))
        .forcePathStyle(true)
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (bucket != null) {
      bucket.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  /** Each node gets an empty data directory of its own, so anything it serves must come from PostgreSQL and S3. */
  static TestServer startNode() {
    return TestServer.start(data.resolve("node-" + NODES.incrementAndGet()), Map.of(
        "db.url", pg.jdbcUrl(),
        "db.user", pg.user(),
        "db.password", pg.password(),
        "storage", s3.storageSpec(BUCKET),
        "change.check.ms", "100"));
  }

  /** Every object in the bucket, read straight from S3 rather than through Wharf's own store. */
  static Set<String> objects() {
    Set<String> keys = new HashSet<>();
    for (S3Object o : bucket.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents()) {
      keys.add(o.key());
    }
    return keys;
  }

  static Set<String> added(Set<String> before) {
    Set<String> now = objects();
    now.removeAll(before);
    return now;
  }

  static byte[] object(String key) {
    return bucket.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
  }

  static long rowsInPostgres(String channel) throws SQLException {
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT count(*) FROM package_files f JOIN channels c ON c.id = f.channel_id"
             + " WHERE c.name = '" + channel + "'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static void create(String channel) {
    assertThat(server.createChannel(channel, "public").statusCode()).isEqualTo(201);
  }

  static JsonNode uploaded(String channel, Path file) {
    HttpResponse<byte[]> res = server.upload(channel, file);
    assertThat(res.statusCode()).as(file.getFileName() + ": " + new String(res.body())).isEqualTo(201);
    return TestServer.json(res);
  }

  @Test
  void uploadsLandAsRowsInPostgresAndObjectsInS3AndAreServedAsRepodata() throws Exception {
    create("stack");
    Set<String> before = objects();
    uploaded("stack", ZLIB_CONDA);
    uploaded("stack", ZLIB_BZ2);

    // blobs are named by their content, so an upload of bytes already stored adds no object
    assertThat(objects()).contains(contentKey(ZLIB_CONDA), contentKey(ZLIB_BZ2));
    assertThat(added(before)).allMatch(k -> k.startsWith("sha256/"));
    assertThat(object(contentKey(ZLIB_CONDA))).isEqualTo(Files.readAllBytes(ZLIB_CONDA));
    assertThat(object(contentKey(ZLIB_BZ2))).isEqualTo(Files.readAllBytes(ZLIB_BZ2));
    assertThat(rowsInPostgres("stack")).isEqualTo(2);
    assertThat(server.dataDir().resolve("wharf.db")).as("no SQLite database is used").doesNotExist();
    assertThat(server.blobCount()).as("nothing is written to the local blob directory").isZero();

    JsonNode repodata = server.getJson("/conda/stack/linux-64/repodata.json");
    JsonNode conda = repodata.get("packages.conda").get("zlib-1.2.11-h7b6447c_3.conda");
    assertThat(conda.get("md5").asText()).isEqualTo("cb23839f06da92ec92c6d2d2d5e0cb4a");
    assertThat(conda.get("sha256").asText())
        .isEqualTo("f33afff2144e1d6c4cf2e3e184937db8bf825b4537df74662aea5ee207b6a31b");
    assertThat(conda.get("size").asLong()).isEqualTo(Files.size(ZLIB_CONDA));
    JsonNode bz2 = repodata.get("packages").get("zlib-1.2.11-h7b6447c_3.tar.bz2");
    assertThat(bz2.get("md5").asText()).isEqualTo("2e5b81671cc2b53177b94b258b1658b2");
    assertThat(bz2.get("size").asLong()).isEqualTo(Files.size(ZLIB_BZ2));
  }

  @Test
  void packageFilesDownloadWholeAndByRangeFromS3() throws IOException {
    create("stack-get");
    uploaded("stack-get", ZLIB_CONDA);
    byte[] whole = Files.readAllBytes(ZLIB_CONDA);
    String url = "/conda/stack-get/linux-64/zlib-1.2.11-h7b6447c_3.conda";

    HttpResponse<byte[]> full = server.get(url);
    assertThat(full.statusCode()).isEqualTo(200);
    assertThat(full.body()).isEqualTo(whole);

    HttpResponse<byte[]> part = server.send(server.request(url).header("Range", "bytes=1000-1999").GET());
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.body()).isEqualTo(Arrays.copyOfRange(whole, 1000, 2000));
    assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 1000-1999/" + whole.length);

    HttpResponse<byte[]> tail = server.send(server.request(url).header("Range", "bytes=-22").GET());
    assertThat(tail.statusCode()).isEqualTo(206);
    assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(whole, whole.length - 22, whole.length));

    HttpResponse<byte[]> past = server.send(server.request(url).header("Range", "bytes=" + whole.length + "-").GET());
    assertThat(past.statusCode()).isEqualTo(416);
    assertThat(past.headers().firstValue("Content-Range")).hasValue("bytes */" + whole.length);
  }

  @Test
  void deletingAFileRemovesItFromRepodataAtOnceAndItsBlobAfterTheGracePeriod() throws Exception {
    create("stack-del");
    create("stack-keep");
    Path other = Fixtures.realPackage("other-package-0.2-0.conda");
    uploaded("stack-del", other);
    uploaded("stack-del", ZLIB_CONDA);
    uploaded("stack-keep", ZLIB_CONDA);

    HttpResponse<byte[]> deleted = server.send(
        server.admin("/api/channels/stack-del/files/linux-64/other-package-0.2-0.conda").DELETE());
    assertThat(deleted.statusCode()).isEqualTo(204);
    HttpResponse<byte[]> zlibGone = server.send(
        server.admin("/api/channels/stack-del/files/linux-64/zlib-1.2.11-h7b6447c_3.conda").DELETE());
    assertThat(zlibGone.statusCode()).isEqualTo(204);

    JsonNode packages = server.getJson("/conda/stack-del/linux-64/repodata.json").get("packages.conda");
    assertThat(packages.has("other-package-0.2-0.conda")).isFalse();
    assertThat(server.get("/conda/stack-del/linux-64/other-package-0.2-0.conda").statusCode()).isEqualTo(404);
    assertThat(objects()).as("kept through the grace period for nodes that still list it")
        .contains(contentKey(other));

    assertThat(sweep(System.currentTimeMillis())).as("within the grace period nothing goes").isZero();
    sweep(System.currentTimeMillis() + BlobSweeper.DEFAULT_GRACE_MILLIS + 1_000);
    assertThat(objects()).doesNotContain(contentKey(other))
        .as("the same bytes in another channel keep their blob").contains(contentKey(ZLIB_CONDA));
    assertThat(server.get("/conda/stack-keep/linux-64/zlib-1.2.11-h7b6447c_3.conda").body())
        .isEqualTo(Files.readAllBytes(ZLIB_CONDA));
  }

  @Test
  void deletingAChannelRemovesItsRowsAtOnceAndItsUnsharedBlobsAfterTheGracePeriod() throws Exception {
    create("stack-gone");
    Path only = Fixtures.realPackage("xtensor-io-0.10.3-hb585cf6_0.tar.bz2");
    uploaded("stack-gone", only);
    uploaded("stack-gone", ZLIB_BZ2);
    create("stack-stays");
    uploaded("stack-stays", ZLIB_BZ2);

    assertThat(server.send(server.admin("/api/channels/stack-gone").DELETE()).statusCode()).isEqualTo(204);
    assertThat(rowsInPostgres("stack-gone")).isZero();
    assertThat(server.get("/conda/stack-gone/linux-64/repodata.json").statusCode()).as("gone: like any channel"
        + " an anonymous caller cannot read").isEqualTo(401);

    sweep(System.currentTimeMillis() + BlobSweeper.DEFAULT_GRACE_MILLIS + 1_000);
    assertThat(objects()).doesNotContain(contentKey(only)).contains(contentKey(ZLIB_BZ2));
  }

  static String contentKey(Path file) throws IOException {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
      return PackageStore.blobKey(java.util.HexFormat.of().formatHex(digest));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs the blob sweeper over the same PostgreSQL and S3 as the nodes, as if at {@code now}. */
  static int sweep(long now) throws IOException {
    try (Database db = Database.open(pg.jdbcUrl(), pg.user(), pg.password());
         BlobStore blobs = BlobStores.open(s3.storageSpec(BUCKET), data.resolve("sweeper-blobs"))) {
      return new BlobSweeper(new JdbcPackageFileRepository(db), blobs, BlobSweeper.DEFAULT_GRACE_MILLIS).sweep(now);
    }
  }

  @Test
  void refusedUploadsLeaveNoObjectInTheBucket() throws Exception {
    create("stack-bad");
    Path corrupt = work.resolve("bad_package-1.0-0.tar.bz2");
    Files.copy(Fixtures.corruptPackage("bad_package.tar.bz2"), corrupt);
    byte[] zlib = Files.readAllBytes(ZLIB_BZ2);
    Path truncated = work.resolve("zlib-1.2.11-h7b6447c_3.tar.bz2");
    Files.write(truncated, Arrays.copyOf(zlib, zlib.length / 2));

    Set<String> before = objects();
    try (BlobStore store = BlobStores.open(s3.storageSpec(BUCKET), work.resolve("unused"))) {
      List<String> packagesBefore = store.list("sha256/");

      assertThat(server.upload("stack-bad", corrupt).statusCode()).isEqualTo(400);
      assertThat(server.upload("stack-bad", truncated).statusCode()).isEqualTo(400);
      HttpResponse<byte[]> misnamed = server.upload("stack-bad", "zlib-9.9-0.tar.bz2", ZLIB_BZ2, "");
      assertThat(misnamed.statusCode()).isEqualTo(400);
      assertThat(TestServer.json(misnamed).get("error").asText()).isEqualTo("filename_mismatch");

      assertThat(store.list("sha256/")).isEqualTo(packagesBefore);
    }
    assertThat(added(before)).as("objects left behind by refused uploads").isEmpty();
    assertThat(rowsInPostgres("stack-bad")).isZero();
    assertThat(server.getJson("/api/channels/stack-bad/files")).isEmpty();
  }

  @Test
  void aRestartedNodeServesTheSameChannelsAndFiles() throws IOException {
    create("stack-kept");
    uploaded("stack-kept", ZLIB_CONDA);
    uploaded("stack-kept", Fixtures.realPackage("run_exports_versions-1.0-he35c369_0.tar.bz2"));

    server.close();
    server = startNode();

    assertThat(server.getJson("/api/channels")).anyMatch(c -> c.get("name").asText().equals("stack-kept"));
    JsonNode conda = server.getJson("/conda/stack-kept/linux-64/repodata.json").get("packages.conda")
        .get("zlib-1.2.11-h7b6447c_3.conda");
    assertThat(conda.get("md5").asText()).isEqualTo("cb23839f06da92ec92c6d2d2d5e0cb4a");
    assertThat(server.getJson("/conda/stack-kept/noarch/repodata.json").get("packages")
        .has("run_exports_versions-1.0-he35c369_0.tar.bz2")).isTrue();
    HttpResponse<byte[]> download = server.get("/conda/stack-kept/linux-64/zlib-1.2.11-h7b6447c_3.conda");
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).isEqualTo(Files.readAllBytes(ZLIB_CONDA));
  }

  @Test
  void twoNodesOnTheSameDatabaseSeeEachOthersChanges() throws Exception {
    TestServer other = startNode();
    try {
      String repodata = "/conda/stack-two/linux-64/repodata.json";
      create("stack-two");
      uploaded("stack-two", Fixtures.realPackage("other-package-0.2-0.conda"));
      // The second node reads (and caches) the subdir before the next change.
      assertThat(other.getJson(repodata).get("packages.conda").has("other-package-0.2-0.conda")).isTrue();

      uploaded("stack-two", ZLIB_CONDA);
      eventually(() -> other.getJson(repodata).get("packages.conda").has("zlib-1.2.11-h7b6447c_3.conda"));
      assertThat(other.get(repodata).headers().firstValue("ETag"))
          .isEqualTo(server.get(repodata).headers().firstValue("ETag"));

      assertThat(other.send(other.admin("/api/channels/stack-two/files/linux-64/other-package-0.2-0.conda")
          .DELETE()).statusCode()).isEqualTo(204);
      eventually(() -> !server.getJson(repodata).get("packages.conda").has("other-package-0.2-0.conda"));

      // Deleted on one node and made again, private, on the other: the first must not keep serving
      // the public channel it had cached.
      assertThat(server.send(server.admin("/api/channels/stack-two").DELETE()).statusCode()).isEqualTo(204);
      eventually(() -> other.send(other.admin(repodata).GET()).statusCode() == 404);
      assertThat(other.createChannel("stack-two", "private").statusCode()).isEqualTo(201);
      eventually(() -> server.get(repodata).statusCode() != 200);
      assertThat(server.send(server.admin(repodata).GET()).statusCode()).isEqualTo(200);
    } finally {
      other.close();
    }
  }

  @Test
  void concurrentUploadsAndDeletesThroughTwoNodesEndWithRepodataEqualToTheRowsOnBoth() throws Exception {
    TestServer other = startNode();
    try {
      create("stack-race");
      java.util.Set<String> names = new java.util.TreeSet<>(List.of("python", "numpy", "zlib", "openssl",
          "sqlite", "xz", "tk", "readline", "ncurses", "libffi", "pip", "setuptools", "six", "certifi"));
      List<Path> packages = io.wharf.server.testing.RecordPackages.fromIndex4(
          Files.createDirectories(data.resolve("race-packages")), names);
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
      List<java.util.concurrent.Future<?>> work = new java.util.ArrayList<>();
      for (int i = 0; i < packages.size(); i++) {
        TestServer node = i % 2 == 0 ? server : other;
        Path p = packages.get(i);
        boolean thenDelete = i % 5 == 0;
        work.add(pool.submit(() -> {
          assertThat(node.upload("stack-race", p).statusCode()).isEqualTo(201);
          if (thenDelete) {
            TestServer deleter = node == server ? other : server;
            assertThat(deleter.send(deleter.admin("/api/channels/stack-race/files/linux-64/" + p.getFileName())
                .DELETE()).statusCode()).isEqualTo(204);
          }
          return null;
        }));
      }
      for (java.util.concurrent.Future<?> f : work) {
        f.get();
      }
      pool.shutdown();
      java.util.Map<String, JsonNode> rows = rowsOf("stack-race");
      assertThat(rows).isNotEmpty();
      for (TestServer node : List.of(server, other)) {
        eventually(() -> {
          JsonNode served = node.getJson("/conda/stack-race/linux-64/repodata.json");
          java.util.Map<String, JsonNode> records = new java.util.TreeMap<>();
          served.get("packages").fields().forEachRemaining(e -> records.put(e.getKey(), e.getValue()));
          served.get("packages.conda").fields().forEachRemaining(e -> records.put(e.getKey(), e.getValue()));
          return records.equals(rows);
        });
      }
      assertThat(other.get("/conda/stack-race/linux-64/repodata.json.zst").body())
          .as("both nodes publish the same bytes").isEqualTo(server.get("/conda/stack-race/linux-64/repodata.json.zst").body());
    } finally {
      other.close();
    }
  }

  /** The stored records of a channel's linux-64 files, by filename, read straight from PostgreSQL. */
  static java.util.Map<String, JsonNode> rowsOf(String channel) throws Exception {
    java.util.Map<String, JsonNode> out = new java.util.TreeMap<>();
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT f.filename, f.record_json FROM package_files f JOIN channels c"
             + " ON c.id = f.channel_id WHERE c.name = '" + channel + "' AND f.subdir = 'linux-64'")) {
      while (rs.next()) {
        out.put(rs.getString(1), json.readTree(rs.getString(2)));
      }
    }
    return out;
  }

  /** Waits for another node to notice a change; a bound against hanging, not a measure of speed. */
  static void eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("the other node did not see the change within 30 s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
