package io.wharf.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.conda.repodata.Shards;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.PostgresFixture;
import io.wharf.server.testing.S3Fixture;
import io.wharf.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code POST /api/admin/check} on PostgreSQL + S3, published repodata included. */
class AdminCheckPostgresS3Test {
  private static final String BUCKET = "wharf-check";
  private static final Path ZLIB_CONDA = Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda");
  private static final Path ZLIB_BZ2 = Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.tar.bz2");
  private static final Path OTHER = Fixtures.realPackage("other-package-0.2-0.conda");

  @TempDir static Path data;
  static S3Fixture s3;
  static PostgresFixture.PgDatabase pg;
  static S3Client bucket;
  static TestServer server;

  @BeforeAll
  static void start() {
    s3 = S3Fixture.start();
    pg = PostgresFixture.shared().newDatabase();
    server = TestServer.start(data, Map.of("db.url", pg.jdbcUrl(), "db.user", pg.user(),
        "db.password", pg.password(), "storage", s3.storageSpec(BUCKET)));
    bucket = S3Client.builder().endpointOverride(s3.endpoint()).region(Region.of(S3Fixture.REGION))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(S3Fixture.ACCESS_KEY, S3Fixture.SECRET_KEY)))
        .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create()).build();
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

  @Test
  void findsAMissingBlobAStaleSearchRowAndAPublishedSubdirThatDisagreesAndRepairsWhatIsSafe() throws Exception {
    assertThat(server.createChannel("chk", "public").statusCode()).isEqualTo(201);
    for (Path p : new Path[] {ZLIB_CONDA, ZLIB_BZ2, OTHER}) {
      assertThat(server.upload("chk", p).statusCode()).isEqualTo(201);
    }
    assertThat(server.get("/conda/chk/linux-64/repodata.json").statusCode()).isEqualTo(200); // published here

    JsonNode clean = check("");
    assertThat(clean.get("clean").asBoolean()).as(clean.toString()).isTrue();
    assertThat(clean.get("problem_count").asInt()).isZero();
    assertThat(clean.get("checked").get("files").asLong()).isEqualTo(3);
    assertThat(clean.get("checked").get("published_names").asLong()).isEqualTo(2);

    String otherKey = "sha256/" + sha256Of("other-package-0.2-0.conda").substring(0, 2) + "/"
        + sha256Of("other-package-0.2-0.conda");
    bucket.deleteObject(b -> b.bucket(BUCKET).key(otherKey));
    String young = "sha256/ab/" + "ab".repeat(32);
    bucket.putObject(b -> b.bucket(BUCKET).key(young), RequestBody.fromString("an upload under way"));
    sql("UPDATE package_search SET latest_version = '0.0.1' WHERE name = 'zlib'");
    // a change that reached the rows but never the publisher (no change-log entry, no event)
    sql("UPDATE package_files SET record_json = '{\"build\":\"h7b6447c_3\",\"name\":\"zlib\",\"restamped\":true}'"
        + " WHERE filename = 'zlib-1.2.11-h7b6447c_3.tar.bz2'");

    JsonNode found = check("");

    assertThat(found.get("clean").asBoolean()).isFalse();
    assertThat(lines(found)).containsExactlyInAnyOrder(
        "missing_blob chk/linux-64/other-package-0.2-0.conda false",
        "search_stale chk/zlib false",
        "published_stale chk/linux-64 zlib false");

    JsonNode repaired = check("?repair=true");

    assertThat(lines(repaired)).containsExactlyInAnyOrder(
        "missing_blob chk/linux-64/other-package-0.2-0.conda false",
        "search_stale chk/zlib true",
        "published_stale chk/linux-64 zlib true");
    assertThat(repaired.get("repaired_count").asInt()).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM package_files")).as("the row of the missing blob stays").isEqualTo(3);
    assertThat(server.getJson("/conda/chk/linux-64/repodata.json").get("packages")
        .get("zlib-1.2.11-h7b6447c_3.tar.bz2").get("restamped").asBoolean()).isTrue();
    assertThat(bucket.headObject(b -> b.bucket(BUCKET).key(young)).contentLength())
        .as("a blob within the grace period is left alone").isPositive();

    assertThat(lines(check(""))).containsExactly("missing_blob chk/linux-64/other-package-0.2-0.conda false");
  }

  @Test
  void aCorruptShardFileOfThisNodeIsFoundAndWrittenAgain() throws Exception {
    assertThat(server.createChannel("shardchk", "public").statusCode()).isEqualTo(201);
    assertThat(server.upload("shardchk", ZLIB_CONDA).statusCode()).isEqualTo(201);
    HttpResponse<byte[]> index = server.get("/conda/shardchk/linux-64/repodata_shards.msgpack.zst");
    assertThat(index.statusCode()).isEqualTo(200); // published here
    String hex = Shards.decode(index.body(), 1 << 20).path("shards").path("zlib").asText();
    String shardPath = "/conda/shardchk/linux-64/shards/" + hex + ".msgpack.zst";
    byte[] good = server.get(shardPath).body();
    assertThat(Shards.sha256Hex(good)).isEqualTo(hex);
    Path file;
    try (Stream<Path> files = Files.walk(data.resolve("published/shards"))) {
      file = files.filter(f -> f.getFileName().toString().equals(hex + ".msgpack.zst")).findFirst().orElseThrow();
    }
    Files.write(file, "bit rot".getBytes(StandardCharsets.US_ASCII));

    assertThat(lines(check(""))).filteredOn(l -> l.contains("shardchk"))
        .containsExactly("published_stale shardchk/linux-64 zlib false");
    assertThat(lines(check("?repair=true"))).filteredOn(l -> l.contains("shardchk"))
        .containsExactly("published_stale shardchk/linux-64 zlib true");

    assertThat(server.get(shardPath).body()).as("served whole again under its hash").isEqualTo(good);
    assertThat(lines(check(""))).filteredOn(l -> l.contains("shardchk")).isEmpty();
  }

  @Test
  void repairTakesOnlyTrueOrFalse() {
    HttpResponse<byte[]> res = server.send(server.admin("/api/admin/check?repair=yes")
        .POST(HttpRequest.BodyPublishers.noBody()));

    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(TestServer.json(res).get("error").asText()).isEqualTo("invalid_repair");
  }

  private static JsonNode check(String query) {
    HttpResponse<byte[]> res = server.send(server.admin("/api/admin/check" + query)
        .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(res.statusCode()).as(new String(res.body())).isEqualTo(200);
    return TestServer.json(res);
  }

  private static List<String> lines(JsonNode result) {
    List<String> out = new ArrayList<>();
    result.get("problems").forEach(p -> out.add(p.get("kind").asText() + " " + p.get("subject").asText() + " "
        + p.get("repaired").asBoolean()));
    return out;
  }

  private static String sha256Of(String filename) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT sha256 FROM package_files WHERE filename = '" + filename + "'")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static long count(String query) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void sql(String statement) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      assertThat(s.executeUpdate(statement)).isPositive();
    }
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
  }
}
