package io.wharf.server.mirror;

import static io.wharf.server.mirror.MirrorEndToEndTest.create;
import static io.wharf.server.mirror.MirrorEndToEndTest.last;
import static io.wharf.server.mirror.MirrorEndToEndTest.records;
import static io.wharf.server.mirror.MirrorEndToEndTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.wharf.server.db.Database;
import io.wharf.server.testing.TestServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A passive mirror re-run skips, without parsing, each record whose bytes (and signatures) upstream serves
 * as they were when the mirror last wrote it; the others are compared by their record digest, as rows
 * written before raw digests were kept are. The upstream serves a directory whose repodata.json files this
 * test writes byte for byte, as they are at each request and without validators, so every run reads them.
 */
class MirrorRawDigestTest {
  private static final String A = "a-1.0-0.tar.bz2";
  private static final String B = "b-1.0-0.tar.bz2";
  private static final String C = "c-1.0-0.conda";
  @TempDir static Path data;
  @TempDir static Path dir;
  static TestServer server;
  static HttpServer files;

  @BeforeAll
  static void start() throws Exception {
    files = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    files.createContext("/", exchange -> {
      Path file = dir.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
      byte[] body = file.startsWith(dir) && Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
      exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
      if (body != null) {
        exchange.getResponseBody().write(body);
      }
      exchange.close();
    });
    files.start();
    server = TestServer.start(data);
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (files != null) {
      files.stop(0);
    }
  }

  private static String record(String name, String depends, String spacing) {
    return "{\"name\": \"" + name + "\"," + spacing + "\"version\": \"1.0\", \"build\": \"0\", \"build_number\": 0,"
        + " \"depends\": [\"" + depends + "\"], \"md5\": \"" + "0".repeat(32) + "\", \"sha256\": \""
        + Integer.toHexString(name.charAt(0)).repeat(32) + "\", \"size\": 1234, \"subdir\": \"linux-64\"}";
  }

  /** Creates a mirror of its own upstream directory, in a channel of its name. */
  private static void mirror(String name) throws Exception {
    Path noarch = dir.resolve(name).resolve("noarch");
    Files.createDirectories(noarch);
    Files.writeString(noarch.resolve("repodata.json"), "{\"info\": {\"subdir\": \"noarch\"}}");
    server.createChannel(name, "public");
    create(server, name, "http://127.0.0.1:" + files.getAddress().getPort() + "/" + name, name, "passive", List.of("linux-64"));
  }

  /** Publishes the mirror's linux-64 repodata.json with exactly this text. */
  private static void publish(String mirror, String text) throws Exception {
    Path file = dir.resolve(mirror).resolve("linux-64").resolve("repodata.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private static String document(String a, String b, String c, String signatures) {
    return "{\"info\": {\"subdir\": \"linux-64\"}, \"packages\": {\"" + A + "\": " + a + ", \"" + B + "\": " + b
        + "}, \"packages.conda\": {\"" + C + "\": " + c + "}" + signatures + "}";
  }

  private static Map<String, String> rawDigests(String mirror) {
    try (Database db = Database.openSqlite(data.resolve("wharf.db"))) {
      Map<String, String> out = new TreeMap<>();
      db.jdbi().useHandle(h -> h.createQuery("SELECT r.filename, r.raw_sha256 FROM mirror_records r"
              + " JOIN mirrors m ON m.id = r.mirror_id WHERE m.name = :name").bind("name", mirror)
          .map((rs, ctx) -> out.put(rs.getString(1), rs.getString(2))).list());
      return out;
    }
  }

  private static void sql(String statement, String mirror) {
    try (Database db = Database.openSqlite(data.resolve("wharf.db"))) {
      db.jdbi().useHandle(h -> h.createUpdate(statement
          + " WHERE mirror_id = (SELECT id FROM mirrors WHERE name = :name)").bind("name", mirror).execute());
    }
  }

  private static long written(String mirror) throws Exception {
    return last(run(server, mirror)).path("files").asLong();
  }

  @Test
  void aRecordChangedInOneByteIsWrittenAgainAndOnlyIt() throws Exception {
    mirror("raw");
    publish("raw", document(record("a", "x >=1", " "), record("b", "x >=1", " "), record("c", "x >=1", " "), ""));
    assertThat(written("raw")).isEqualTo(3);
    Map<String, String> first = rawDigests("raw");
    assertThat(first).containsOnlyKeys(A, B, C).doesNotContainValue(null);

    // b: one byte of its depends; a: other spacing only, the same record once parsed; c: as it was
    publish("raw", document(record("a", "x >=1", "   "), record("b", "x >=2", " "), record("c", "x >=1", " "), ""));
    assertThat(written("raw")).isEqualTo(1);
    Map<String, JsonNode> published = records(server, "/conda/raw");
    assertThat(published.get(B).path("depends").get(0).asText()).isEqualTo("x >=2");
    assertThat(published.get(A).path("depends").get(0).asText()).isEqualTo("x >=1");
    Map<String, String> second = rawDigests("raw");
    assertThat(second.get(B)).isNotEqualTo(first.get(B));
    assertThat(second.get(A)).as("a's new bytes are noted, though its row was not written")
        .isNotEqualTo(first.get(A));
    assertThat(second.get(C)).isEqualTo(first.get(C));

    // new signatures of c alone are a change of c
    publish("raw", document(record("a", "x >=1", "   "), record("b", "x >=2", " "), record("c", "x >=1", " "),
        ", \"signatures\": {\"" + C + "\": {\"" + "ab".repeat(32) + "\": {\"signature\": \"00\"}}}"));
    assertThat(written("raw")).isEqualTo(1);
    assertThat(rawDigests("raw").get(C)).isNotEqualTo(second.get(C));
  }

  @Test
  void anUnchangedRecordIsSkippedByItsRawDigestWithoutBeingParsedOrComparedAgain() throws Exception {
    mirror("skip");
    String doc = document(record("a", "y", " "), record("b", "y", " "), record("c", "y", " "), "");
    publish("skip", doc);
    assertThat(written("skip")).isEqualTo(3);

    // the record digests no longer match anything: only the raw digests can say the records are unchanged
    sql("UPDATE mirror_records SET record_sha256 = 'not-a-digest'", "skip");
    publish("skip", doc);
    assertThat(written("skip")).isZero();
  }

  @Test
  void rowsWrittenBeforeRawDigestsWereKeptAreComparedByRecordAndThenGetOne() throws Exception {
    mirror("old");
    String doc = document(record("a", "z", " "), record("b", "z", " "), record("c", "z", " "), "");
    publish("old", doc);
    assertThat(written("old")).isEqualTo(3);
    Map<String, String> digests = rawDigests("old");

    sql("UPDATE mirror_records SET raw_sha256 = NULL", "old"); // as the migration leaves earlier rows
    publish("old", document(record("a", "z", " "), record("b", "z >=2", " "), record("c", "z", " "), ""));
    assertThat(written("old")).as("b changed; a and c are the records written before").isEqualTo(1);
    Map<String, String> after = rawDigests("old");
    assertThat(after).doesNotContainValue(null);
    assertThat(after.get(A)).isEqualTo(digests.get(A));
    assertThat(after.get(C)).isEqualTo(digests.get(C));
    assertThat(records(server, "/conda/old").get(B).path("depends").get(0).asText()).isEqualTo("z >=2");

    // and a row whose raw digest is gone and whose record changed is written again
    sql("UPDATE mirror_records SET raw_sha256 = NULL, record_sha256 = 'not-a-digest'", "old");
    publish("old", document(record("a", "z", " "), record("b", "z >=2", " "), record("c", "z", " "), ""));
    assertThat(written("old")).isEqualTo(3);
  }
}
