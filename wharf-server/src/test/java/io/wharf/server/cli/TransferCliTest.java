package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.conda.archive.PackageWriter;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.ServedRows;
import io.wharf.server.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wharf copy}, {@code move} and {@code remove} against a running server, with real fixtures. */
class TransferCliTest {
  private static final String ZLIB_CONDA = "zlib-1.2.11-h7b6447c_3.conda";
  private static final String ZLIB_BZ2 = "zlib-1.2.11-h7b6447c_3.tar.bz2";
  private static final String XTENSOR = "xtensor-io-0.10.3-hb585cf6_0.tar.bz2";
  private static final List<String> SUBDIRS = List.of("linux-64", "noarch");

  @TempDir static Path data;
  @TempDir Path work;
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(data);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static CliRun admin(String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(List.of("--url", server.url(), "--token", TestServer.ADMIN_TOKEN));
    return CliRun.of(all.toArray(String[]::new));
  }

  static void channels(String... names) {
    for (String name : names) {
      CliRun created = admin("channel", "create", name);
      assertThat(created.exit()).as(created.err()).isZero();
    }
  }

  static void upload(String channel, String... fixtures) {
    for (String f : fixtures) {
      CliRun up = admin("upload", "--channel", channel, Fixtures.realPackage(f).toString());
      assertThat(up.exit()).as(up.err()).isZero();
    }
  }

  /** What the location serves is exactly what it stores, record for record. */
  static Map<String, JsonNode> assertServedEqualsStored(String channel, String label) {
    Map<String, JsonNode> stored = ServedRows.stored(server, channel, label);
    assertThat(ServedRows.served(server, channel, label, SUBDIRS)).as(channel + " label " + label)
        .isEqualTo(stored);
    return stored;
  }

  @Test
  void copyThenMoveKeepServedRepodataEqualToTheRowsAndShareTheStoredBytes() throws IOException {
    channels("tr-src", "tr-dst");
    upload("tr-src", ZLIB_CONDA, ZLIB_BZ2, XTENSOR);
    long blobs = server.blobCount();

    CliRun copied = admin("copy", "--from", "tr-src", "--to", "tr-dst", "zlib");
    assertThat(copied.exit()).as(copied.err()).isZero();
    assertThat(copied.out()).contains("copied    linux-64/" + ZLIB_CONDA, "copied    linux-64/" + ZLIB_BZ2,
        "copied 2 file(s) from tr-src to tr-dst");
    assertThat(server.blobCount()).as("a copy shares the blob").isEqualTo(blobs);
    Map<String, JsonNode> src = assertServedEqualsStored("tr-src", "main");
    Map<String, JsonNode> dst = assertServedEqualsStored("tr-dst", "main");
    assertThat(dst.keySet()).containsExactlyInAnyOrder("linux-64/" + ZLIB_CONDA, "linux-64/" + ZLIB_BZ2);
    assertThat(dst.get("linux-64/" + ZLIB_CONDA)).as("the record is kept as stored")
        .isEqualTo(src.get("linux-64/" + ZLIB_CONDA));

    CliRun moved = admin("move", "--from", "tr-src", "--to", "tr-dst/label/staging", XTENSOR);
    assertThat(moved.exit()).as(moved.err()).isZero();
    assertThat(moved.out()).contains("moved 1 file(s) from tr-src to tr-dst/label/staging");
    assertThat(assertServedEqualsStored("tr-src", "main").keySet()).doesNotContain("linux-64/" + XTENSOR);
    assertThat(assertServedEqualsStored("tr-dst", "staging").keySet()).containsExactly("linux-64/" + XTENSOR);
    assertServedEqualsStored("tr-dst", "main");
    assertThat(server.blobCount()).isEqualTo(blobs);

    CliRun removed = admin("remove", "--from", "tr-src", "zlib", "--yes");
    assertThat(removed.exit()).as(removed.err()).isZero();
    assertThat(removed.out()).contains("removed   linux-64/" + ZLIB_CONDA, "removed 2 file(s) from tr-src");
    assertThat(assertServedEqualsStored("tr-src", "main")).isEmpty();
    var download = server.get("/conda/tr-dst/linux-64/" + ZLIB_CONDA);
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).as("the copy outlives its source, byte for byte")
        .isEqualTo(Files.readAllBytes(Fixtures.realPackage(ZLIB_CONDA)));
    assertThat(searchNames("tr-dst", "zlib")).as("the search index follows").contains("zlib");
    assertThat(searchNames("tr-dst", "xtensor-io")).contains("xtensor-io");
    assertThat(searchNames("tr-src", "zlib")).doesNotContain("zlib");
    assertThat(searchNames("tr-src", "xtensor-io")).doesNotContain("xtensor-io");
  }

  @Test
  void aCollisionRefusesTheWholeRequestUnlessSkippedOrReplaced() throws IOException {
    channels("col-src", "col-dst");
    upload("col-src", ZLIB_CONDA, XTENSOR);
    Path rival = rival(ZLIB_CONDA.replace(".conda", ".tar.bz2"));
    // the same file name in the target, with other content
    assertThat(server.upload("col-dst", rival).statusCode()).isEqualTo(201);
    upload("col-src", ZLIB_BZ2);
    Map<String, JsonNode> srcBefore = assertServedEqualsStored("col-src", "main");
    Map<String, JsonNode> dstBefore = assertServedEqualsStored("col-dst", "main");

    CliRun refused = admin("copy", "--from", "col-src", "--to", "col-dst", "zlib", XTENSOR);
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.errLines()).containsExactly(
        "error: linux-64/" + ZLIB_BZ2 + " already exists in the target (use --skip-existing or --replace)",
        "error: nothing was changed");
    assertThat(assertServedEqualsStored("col-src", "main")).isEqualTo(srcBefore);
    assertThat(assertServedEqualsStored("col-dst", "main")).isEqualTo(dstBefore);

    CliRun refusedMove = admin("move", "--from", "col-src", "--to", "col-dst", XTENSOR, "zlib=1.2.11");
    assertThat(refusedMove.exit()).isNotZero();
    assertThat(assertServedEqualsStored("col-src", "main")).isEqualTo(srcBefore);
    assertThat(assertServedEqualsStored("col-dst", "main")).isEqualTo(dstBefore);

    CliRun skipped = admin("copy", "--from", "col-src", "--to", "col-dst", "--skip-existing", "zlib", XTENSOR);
    assertThat(skipped.exit()).as(skipped.err()).isZero();
    assertThat(skipped.out()).contains("skipped   linux-64/" + ZLIB_BZ2, "copied    linux-64/" + ZLIB_CONDA,
        "copied    linux-64/" + XTENSOR, "copied 2 file(s)");
    Map<String, JsonNode> dst = assertServedEqualsStored("col-dst", "main");
    assertThat(dst.get("linux-64/" + ZLIB_BZ2)).as("skipped: the target keeps its own file")
        .isEqualTo(dstBefore.get("linux-64/" + ZLIB_BZ2));

    CliRun replaced = admin("move", "--from", "col-src", "--to", "col-dst", "--replace", ZLIB_BZ2);
    assertThat(replaced.exit()).as(replaced.err()).isZero();
    assertThat(replaced.out()).contains("replaced  linux-64/" + ZLIB_BZ2);
    dst = assertServedEqualsStored("col-dst", "main");
    assertThat(dst.get("linux-64/" + ZLIB_BZ2)).as("replaced by the source's file")
        .isEqualTo(srcBefore.get("linux-64/" + ZLIB_BZ2));
    assertThat(assertServedEqualsStored("col-src", "main").keySet()).doesNotContain("linux-64/" + ZLIB_BZ2);
    assertThat(server.get("/conda/col-dst/linux-64/" + ZLIB_BZ2).body())
        .isEqualTo(Files.readAllBytes(Fixtures.realPackage(ZLIB_BZ2)));
  }

  @Test
  void anItemThatMatchesNothingChangesNothingAndIsNamed() {
    channels("nm-src", "nm-dst");
    upload("nm-src", ZLIB_CONDA, XTENSOR);
    Map<String, JsonNode> before = assertServedEqualsStored("nm-src", "main");

    CliRun refused = admin("move", "--from", "nm-src", "--to", "nm-dst", XTENSOR, "zlib", "numpy", "zlib=9.9");
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.errLines()).containsExactly("error: nothing matches 'numpy'",
        "error: nothing matches 'zlib=9.9'", "error: nothing was changed");
    assertThat(assertServedEqualsStored("nm-src", "main")).isEqualTo(before);
    assertThat(assertServedEqualsStored("nm-dst", "main")).isEmpty();

    CliRun removeRefused = admin("remove", "--from", "nm-src", "zlib", "linux-64/nothing-1.0-0.conda", "--yes");
    assertThat(removeRefused.exit()).isNotZero();
    assertThat(removeRefused.errLines()).contains("error: nothing matches 'linux-64/nothing-1.0-0.conda'");
    assertThat(assertServedEqualsStored("nm-src", "main")).isEqualTo(before);
  }

  @Test
  void removeWithoutYesListsTheFilesAndRefusesWhenNotATerminal() {
    channels("rm-ask");
    upload("rm-ask", ZLIB_CONDA, ZLIB_BZ2);

    CliRun asked = admin("remove", "--from", "rm-ask", "zlib");

    assertThat(asked.exit()).isNotZero();
    assertThat(asked.out()).contains("would remove linux-64/" + ZLIB_CONDA, "would remove linux-64/" + ZLIB_BZ2);
    assertThat(asked.errLines()).containsExactly(
        "error: not removing without confirmation: stdin is not a terminal; pass --yes");
    assertThat(assertServedEqualsStored("rm-ask", "main")).hasSize(2);
  }

  @Test
  void badLocationsAndSameSourceAndTargetAreOneLineRefusals() {
    channels("loc-a");
    upload("loc-a", ZLIB_CONDA);

    CliRun bad = admin("copy", "--from", "loc-a/staging", "--to", "loc-a/label/x", "zlib");
    assertThat(bad.exit()).isNotZero();
    assertThat(bad.errLines()).containsExactly(
        "error: 'loc-a/staging' is not a channel: write 'channel' or 'channel/label/NAME'");

    CliRun same = admin("move", "--from", "loc-a", "--to", "loc-a/label/main", "zlib");
    assertThat(same.exit()).isNotZero();
    assertThat(same.errLines()).hasSize(1).first().asString().contains("source and target are both loc-a");

    CliRun missing = admin("copy", "--from", "loc-a", "--to", "no-such-channel", "zlib");
    assertThat(missing.exit()).isNotZero();
    assertThat(missing.errLines()).hasSize(1).first().asString().contains("no such channel");
  }

  @Test
  void channelHistoryPrintsEachEntryAsALineOrAsJson() {
    channels("hist-cli", "hist-cli2");
    upload("hist-cli", ZLIB_CONDA);
    assertThat(admin("copy", "--from", "hist-cli", "--to", "hist-cli2", "zlib").exit()).isZero();

    CliRun text = admin("channel", "history", "hist-cli");
    assertThat(text.exit()).as(text.err()).isZero();
    List<String> lines = text.out().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).matches("\\S+Z\\s+copy\\s+admin\\s+127\\.0\\.0\\.1\\s+hist-cli -> hist-cli2 \\(linux-64/"
        + java.util.regex.Pattern.quote(ZLIB_CONDA) + " copied\\)");
    assertThat(lines.get(1)).contains("upload", "admin", "linux-64/" + ZLIB_CONDA);
    assertThat(lines.get(2)).contains("channel_create");

    CliRun privacy = admin("channel", "set", "hist-cli2", "--privacy", "authenticated");
    assertThat(privacy.exit()).as(privacy.err()).isZero();
    assertThat(privacy.out()).contains("channel hist-cli2 is authenticated");

    CliRun json = admin("channel", "history", "hist-cli2", "--json");
    assertThat(json.exit()).as(json.err()).isZero();
    List<String> actions = json.out().lines().map(TransferCliTest::action).toList();
    assertThat(actions).containsExactly("channel_privacy", "copy", "channel_create");
  }

  private static String action(String jsonLine) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(jsonLine).get("action").asText();
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + jsonLine, e);
    }
  }

  private static List<String> searchNames(String channel, String q) {
    List<String> names = new ArrayList<>();
    server.getJson("/api/channels/" + channel + "/search?q=" + q).get("results")
        .forEach(r -> names.add(r.get("name").asText()));
    return names;
  }

  /** A package of the given zlib file name whose content differs from the fixture's. */
  private Path rival(String filename) throws IOException {
    String index = "{\"name\":\"zlib\",\"version\":\"1.2.11\",\"build\":\"h7b6447c_3\",\"build_number\":3,"
        + "\"subdir\":\"linux-64\",\"arch\":\"x86_64\",\"platform\":\"linux\",\"depends\":[],\"license\":\"rival\"}";
    Path p = work.resolve(filename);
    PackageWriter.writeTarBz2(p, Map.of("info/index.json", index.getBytes(StandardCharsets.UTF_8)));
    return p;
  }
}
