package io.wharf.server.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.testing.ChannelDirs;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/channels/{channel}/import/directory}: the server reads a channel directory on its own
 * machine, only below {@code import.directories}, without following links below the directory named.
 */
class DirectoryImportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String METRICS_TOKEN = "directory-import-metrics-token";

  @TempDir static Path data;
  @TempDir static Path importable;
  @TempDir static Path elsewhere;
  @TempDir Path scratch;
  static TestServer server;
  static Path channelDir;
  static List<String> entries;

  @BeforeAll
  static void start() throws IOException {
    server = TestServer.start(data, Map.of("import.directories", importable.resolve("nowhere") + ","
        + importable.resolve("channels"), "metrics.token", METRICS_TOKEN));
    channelDir = ChannelDirs.realAndGenerated(importable.resolve("channels/main"), Set.of("appdirs", "click", "bzip2"));
    entries = ChannelDirs.entries(channelDir);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<byte[]> importDirectory(String channel, String body) {
    return server.importDirectory(channel, body);
  }

  static HttpResponse<byte[]> importDirectory(String channel, Path dir) {
    return importDirectory(channel, "{\"directory\":" + JSON.valueToTree(dir.toString()) + "}");
  }

  static List<JsonNode> lines(HttpResponse<byte[]> res) {
    assertThat(res.statusCode()).as(new String(res.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/x-ndjson"));
    return ImportApiTest.lines(new String(res.body(), StandardCharsets.UTF_8));
  }

  static Map<String, String> statusByPath(List<JsonNode> lines) {
    return lines.stream().filter(l -> l.has("path"))
        .collect(Collectors.toMap(l -> l.get("path").asText(), l -> l.get("status").asText(), (a, b) -> a,
            TreeMap::new));
  }

  static Set<String> served(String channel, String subdir) {
    return ChannelDirs.served(server, channel, List.of(subdir + "/"));
  }

  static String sha256(Path file) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(Files.readAllBytes(file)));
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The answer line of one file. */
  static JsonNode lineOf(List<JsonNode> lines, String path) {
    return lines.stream().filter(l -> path.equals(l.path("path").asText())).findFirst().orElseThrow();
  }

  static void assertRefused(HttpResponse<byte[]> res, int status, String code) {
    assertThat(res.statusCode()).as(new String(res.body(), StandardCharsets.UTF_8)).isEqualTo(status);
    assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/json"));
    assertThat(TestServer.json(res).get("error").asText()).isEqualTo(code);
  }

  @Test
  void everyPackageFileOfTheDirectoryIsImportedAndServedAndARunAgainSkipsThemAll() {
    server.createChannel("dir-imp", "public");
    List<JsonNode> first = lines(importDirectory("dir-imp", channelDir));
    assertThat(first.get(0).toString()).isEqualTo("{\"total\":" + entries.size() + "}");
    assertThat(statusByPath(first)).containsOnlyKeys(entries);
    assertThat(Set.copyOf(statusByPath(first).values())).containsExactly("imported");
    assertThat(first.get(first.size() - 1).toString()).isEqualTo("{\"summary\":{\"imported\":" + entries.size()
        + ",\"skipped\":0,\"refused\":0,\"complete\":true}}");
    assertThat(ChannelDirs.served(server, "dir-imp", entries)).containsExactlyElementsOf(entries);
    String sha = server.getJson("/api/channels/dir-imp/files/linux-64/zlib-1.2.11-h7b6447c_3.conda")
        .get("sha256").asText();
    assertThat(sha).isEqualTo(sha256(channelDir.resolve("linux-64/zlib-1.2.11-h7b6447c_3.conda")));

    List<JsonNode> again = lines(importDirectory("dir-imp", channelDir));
    assertThat(statusByPath(again)).containsOnlyKeys(entries);
    assertThat(Set.copyOf(statusByPath(again).values())).containsExactly("skipped");
    assertThat(again.get(again.size() - 1).toString()).isEqualTo("{\"summary\":{\"imported\":0,\"skipped\":"
        + entries.size() + ",\"refused\":0,\"complete\":true}}");
  }

  /** The subdirs the server holds published, from its metrics. */
  static int publishedSubdirs() {
    HttpResponse<byte[]> res = server.send(server.request("/metrics")
        .header("Authorization", "Bearer " + METRICS_TOKEN));
    assertThat(res.statusCode()).isEqualTo(200);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^wharf_published_subdirs (\\S+)$")
        .matcher(new String(res.body(), StandardCharsets.UTF_8));
    assertThat(m.find()).as("wharf_published_subdirs in the metrics").isTrue();
    return (int) Double.parseDouble(m.group(1));
  }

  @Test
  void theAnswerEndsOnceEverySubdirOfTheImportIsPublishedBeforeAnyClientAsks() {
    server.createChannel("dir-imp-ready", "public");
    int before = publishedSubdirs();
    List<JsonNode> answer = lines(importDirectory("dir-imp-ready", channelDir));
    assertThat(answer.get(answer.size() - 1).toString()).contains("\"complete\":true");
    // no request for the channel's repodata was made: the import itself published its subdirs (noarch
    // always exists), so the first conda client does not wait for a whole first publication
    Set<String> subdirs = new java.util.TreeSet<>(entries.stream().map(e -> e.substring(0, e.indexOf('/'))).toList());
    subdirs.add("noarch");
    assertThat(publishedSubdirs()).isEqualTo(before + subdirs.size());
  }

  @Test
  void aLabelIsHonouredAndABadFileIsRefusedWithItsReasonWhileTheOthersAreImported() throws IOException {
    server.createChannel("dir-imp-bad", "public");
    Path dir = Files.createDirectories(importable.resolve("channels/bad"));
    ChannelDirs.place(dir, Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda"));
    Files.copy(Fixtures.corruptPackage("bad_package.tar.bz2"), dir.resolve("linux-64/bad-1.0-0.tar.bz2"));
    Files.copy(Fixtures.realPackage("conda-index-pkg-a-1.0-pyhed9eced_1.tar.bz2"),
        dir.resolve("linux-64/conda-index-pkg-a-1.0-pyhed9eced_1.tar.bz2")); // a noarch package
    Files.writeString(dir.resolve("linux-64/repodata.json"), "{}"); // not a package file: not read
    Files.writeString(dir.resolve("linux-64/notes.txt"), "hello");

    List<JsonNode> lines = lines(server.send(server.admin("/api/channels/dir-imp-bad/import/directory?label=dev")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"directory\":\"" + dir + "\"}"))));
    assertThat(lines.get(0).toString()).isEqualTo("{\"total\":3}");
    assertThat(statusByPath(lines)).containsExactlyEntriesOf(new TreeMap<>(Map.of(
        "linux-64/bad-1.0-0.tar.bz2", "refused",
        "linux-64/conda-index-pkg-a-1.0-pyhed9eced_1.tar.bz2", "refused",
        "linux-64/zlib-1.2.11-h7b6447c_3.conda", "imported")));
    assertThat(lineOf(lines, "linux-64/bad-1.0-0.tar.bz2").get("error").asText()).isEqualTo("not_a_conda_package");
    assertThat(lineOf(lines, "linux-64/conda-index-pkg-a-1.0-pyhed9eced_1.tar.bz2").get("error").asText())
        .isEqualTo("subdir_mismatch");
    assertThat(server.getJson("/conda/dir-imp-bad/label/dev/linux-64/repodata.json").get("packages.conda")
        .has("zlib-1.2.11-h7b6447c_3.conda")).isTrue();
    assertThat(server.getJson("/conda/dir-imp-bad/linux-64/repodata.json").get("packages.conda").size()).isZero();
  }

  /**
   * Files the channel holds are settled by their size and sha256 before any inspection, as the CLI settles
   * them before sending: a file swapped for bytes that are not even a package is refused as a different file
   * of that name, not as a broken package.
   */
  @Test
  void aSecondRunSettlesWhatTheChannelHoldsByItsBytesAlone() throws IOException {
    server.createChannel("dir-imp-again", "public");
    Path dir = Files.createDirectories(importable.resolve("channels/again"));
    ChannelDirs.place(dir, Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda"));
    ChannelDirs.place(dir, Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.tar.bz2"));
    assertThat(statusByPath(lines(importDirectory("dir-imp-again", dir))).values()).containsOnly("imported");
    String sha = server.getJson("/api/channels/dir-imp-again/files/linux-64/zlib-1.2.11-h7b6447c_3.tar.bz2")
        .get("sha256").asText();

    Files.copy(Fixtures.corruptPackage("bad_package.tar.bz2"), dir.resolve("linux-64/zlib-1.2.11-h7b6447c_3.tar.bz2"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    List<JsonNode> again = lines(importDirectory("dir-imp-again", dir));
    assertThat(statusByPath(again)).containsExactlyEntriesOf(new TreeMap<>(Map.of(
        "linux-64/zlib-1.2.11-h7b6447c_3.conda", "skipped",
        "linux-64/zlib-1.2.11-h7b6447c_3.tar.bz2", "refused")));
    JsonNode refused = lineOf(again, "linux-64/zlib-1.2.11-h7b6447c_3.tar.bz2");
    assertThat(refused.get("error").asText()).isEqualTo("file_exists");
    assertThat(refused.get("message").asText()).isEqualTo("linux-64/zlib-1.2.11-h7b6447c_3.tar.bz2 already exists"
        + " in dir-imp-again with other content (sha256 " + sha + "); delete it first to import this one");
    assertThat(server.getJson("/api/channels/dir-imp-again/files/linux-64/zlib-1.2.11-h7b6447c_3.tar.bz2")
        .get("sha256").asText()).isEqualTo(sha);
  }

  @Test
  void linksBelowTheDirectoryAreNotFollowed() throws IOException {
    server.createChannel("dir-imp-links", "public");
    Path outside = Files.createDirectories(elsewhere.resolve("secret"));
    ChannelDirs.place(outside, Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.tar.bz2"));
    ChannelDirs.place(outside, Fixtures.realPackage("other-package-0.2-0.conda"));
    Path dir = Files.createDirectories(importable.resolve("channels/links"));
    ChannelDirs.place(dir, Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda"));
    Files.createSymbolicLink(dir.resolve("linux-64/zlib-1.2.11-h7b6447c_3.tar.bz2"),
        outside.resolve("linux-64/zlib-1.2.11-h7b6447c_3.tar.bz2"));
    Files.createSymbolicLink(dir.resolve("noarch"), outside.resolve("noarch")); // a linked subdir

    List<JsonNode> lines = lines(importDirectory("dir-imp-links", dir));
    assertThat(statusByPath(lines)).containsExactlyEntriesOf(new TreeMap<>(Map.of(
        "linux-64/zlib-1.2.11-h7b6447c_3.conda", "imported",
        "linux-64/zlib-1.2.11-h7b6447c_3.tar.bz2", "refused")));
    JsonNode link = lineOf(lines, "linux-64/zlib-1.2.11-h7b6447c_3.tar.bz2");
    assertThat(link.get("error").asText()).isEqualTo("invalid_entry");
    assertThat(link.get("message").asText()).contains("links are not followed");
    assertThat(served("dir-imp-links", "linux-64")).containsExactly("linux-64/zlib-1.2.11-h7b6447c_3.conda");
    assertThat(served("dir-imp-links", "noarch")).isEmpty();
  }

  @Test
  void aDirectoryOutsideTheImportDirectoriesIsRefusedBeforeAnythingIsRead() throws IOException {
    server.createChannel("dir-imp-out", "public");
    Path outside = Files.createDirectories(elsewhere.resolve("channel"));
    ChannelDirs.place(outside, Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda"));
    Path linkIn = importable.resolve("channels/link-to-elsewhere");
    Files.createSymbolicLink(linkIn, outside);

    assertRefused(importDirectory("dir-imp-out", outside), 403, "directory_not_allowed");
    // a way out through "..", and through a link that is itself inside
    assertThat(importable.getParent()).isEqualTo(elsewhere.getParent());
    assertRefused(importDirectory("dir-imp-out", "{\"directory\":\"" + importable.resolve("channels") + "/../../"
        + elsewhere.getFileName() + "/channel\"}"), 403, "directory_not_allowed");
    HttpResponse<byte[]> viaLink = importDirectory("dir-imp-out", linkIn);
    assertRefused(viaLink, 403, "directory_not_allowed");
    assertThat(TestServer.json(viaLink).get("message").asText()).contains("once its links are resolved");
    // the parent of the allowed directory is not below it
    assertRefused(importDirectory("dir-imp-out", importable), 403, "directory_not_allowed");

    assertRefused(importDirectory("dir-imp-out", "{\"directory\":\"channels/main\"}"), 400, "invalid_directory");
    assertRefused(importDirectory("dir-imp-out", importable.resolve("channels/none")), 404, "no_such_directory");
    assertRefused(importDirectory("dir-imp-out", channelDir.resolve("linux-64/zlib-1.2.11-h7b6447c_3.conda")), 400,
        "invalid_directory");
    assertRefused(importDirectory("dir-imp-out", "{}"), 400, "missing_field");
    assertRefused(importDirectory("dir-imp-out", "{\"directory\":7}"), 400, "missing_field");
    assertRefused(importDirectory("dir-imp-out", "not json"), 400, "invalid_json");
    assertRefused(importDirectory("dir-imp-nowhere", channelDir), 404, "channel_not_found");
    assertThat(server.getJson("/api/channels/dir-imp-out/files")).isEmpty();
  }

  @Test
  void aServerWithoutImportDirectoriesRefusesEveryDirectoryImport(@TempDir Path otherData) {
    try (TestServer plain = TestServer.start(otherData)) {
      plain.createChannel("c", "public");
      HttpResponse<byte[]> res = plain.importDirectory("c", "{\"directory\":\"" + channelDir + "\"}");
      assertThat(res.statusCode()).isEqualTo(403);
      assertThat(TestServer.json(res).get("error").asText()).isEqualTo("directory_import_off");
      assertThat(TestServer.json(res).get("message").asText()).contains("import.directories");
      assertThat(plain.getJson("/api/channels/c/files")).isEmpty();
    }
  }
}
