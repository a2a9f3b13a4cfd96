package io.wharf.server.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.testing.ChannelDirs;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.RawHttp;
import io.wharf.server.testing.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /api/channels/{channel}/import} (a tar stream in, JSON lines out) and {@code files/lookup}. */
class ImportApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> GENERATED = Set.of("appdirs", "backcall", "click", "colorama", "bzip2");

  @TempDir static Path data;
  @TempDir static Path work;
  @TempDir Path scratch;
  static TestServer server;
  static Path channelDir;
  static List<String> entries;

  @BeforeAll
  static void start() throws IOException {
    server = TestServer.start(data);
    channelDir = ChannelDirs.realAndGenerated(work.resolve("channel"), GENERATED);
    entries = ChannelDirs.entries(channelDir);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<byte[]> importTar(String channel, byte[] tar) {
    return server.send(server.admin("/api/channels/" + channel + "/import")
        .header("Content-Type", "application/x-tar").POST(HttpRequest.BodyPublishers.ofByteArray(tar)));
  }

  static List<JsonNode> lines(String body) {
    return body.lines().filter(l -> !l.isBlank()).map(l -> {
      try {
        return JSON.readTree(l);
      } catch (IOException e) {
        throw new UncheckedIOException("not a JSON line: " + l, e);
      }
    }).toList();
  }

  static List<JsonNode> lines(HttpResponse<byte[]> res) {
    assertThat(res.statusCode()).as(new String(res.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/x-ndjson"));
    return lines(new String(res.body(), StandardCharsets.UTF_8));
  }

  static Map<String, String> statusByPath(List<JsonNode> lines) {
    return lines.stream().filter(l -> l.has("path"))
        .collect(Collectors.toMap(l -> l.get("path").asText(), l -> l.get("status").asText()));
  }

  static JsonNode summary(List<JsonNode> lines) {
    assertThat(lines).isNotEmpty();
    JsonNode last = lines.get(lines.size() - 1);
    assertThat(last.has("summary")).as(last.toString()).isTrue();
    return last.get("summary");
  }

  static List<String> subdirs() {
    return entries.stream().map(e -> e.substring(0, e.indexOf('/'))).distinct().toList();
  }

  static JsonNode repodata(String channel, String subdir) {
    return server.getJson("/conda/" + channel + "/" + subdir + "/repodata.json");
  }

  @Test
  void importedRecordsAreServedExactlyAsUploadedOnes() throws IOException {
    server.createChannel("imp-same", "public");
    server.createChannel("up-same", "public");
    List<JsonNode> lines = lines(importTar("imp-same", ChannelDirs.tar(channelDir)));
    assertThat(statusByPath(lines)).hasSize(entries.size())
        .allSatisfy((p, s) -> assertThat(s).as(p).isEqualTo("imported"));
    assertThat(summary(lines).toString()).isEqualTo(
        "{\"imported\":" + entries.size() + ",\"skipped\":0,\"refused\":0,\"complete\":true}");
    for (String e : entries) {
      assertThat(server.upload("up-same", channelDir.resolve(e)).statusCode()).as(e).isEqualTo(201);
    }
    assertThat(subdirs()).containsExactly("linux-64", "noarch", "osx-64");
    for (String subdir : subdirs()) {
      JsonNode imported = repodata("imp-same", subdir);
      JsonNode uploaded = repodata("up-same", subdir);
      assertThat(imported.get("packages").size() + imported.get("packages.conda").size()).isPositive();
      assertThat(imported.get("packages")).isEqualTo(uploaded.get("packages"));
      assertThat(imported.get("packages.conda")).isEqualTo(uploaded.get("packages.conda"));
    }
    assertThat(server.getJson("/api/channels/imp-same/packages").size()).isEqualTo(
        server.getJson("/api/channels/up-same/packages").size());
  }

  @Test
  void everyImportedPackageIsSearchableWhenTheAnswerEnds() throws IOException {
    server.createChannel("imp-search", "public");
    assertThat(summary(lines(importTar("imp-search", ChannelDirs.tar(channelDir)))).get("complete").asBoolean())
        .isTrue();

    // the search index took the import's batches in the background; the answer ended once they were indexed
    List<String> names = new java.util.ArrayList<>();
    server.getJson("/api/channels/imp-search/packages?limit=1000").forEach(p -> names.add(p.get("name").asText()));
    assertThat(names).containsAll(GENERATED);
    JsonNode found = server.getJson("/api/channels/imp-search/search?q=&per_page=100");
    List<String> searchable = new java.util.ArrayList<>();
    found.get("results").forEach(h -> searchable.add(h.get("name").asText()));
    assertThat(searchable).containsExactlyInAnyOrderElementsOf(names);
    for (String name : GENERATED) {
      assertThat(server.getJson("/api/channels/imp-search/search?q=" + name).get("results").get(0).get("name")
          .asText()).isEqualTo(name);
    }
  }

  @Test
  void anImportIsInTheChannelsHistoryWithItsFileCount() throws IOException {
    server.createChannel("imp-hist", "public");
    assertThat(summary(lines(importTar("imp-hist", ChannelDirs.tar(channelDir)))).get("imported").asInt())
        .isEqualTo(entries.size());

    List<JsonNode> imports = new java.util.ArrayList<>();
    server.getJson("/api/channels/imp-hist/history?limit=100").forEach(e -> {
      if (e.get("action").asText().equals("import")) {
        imports.add(e);
      }
    });
    assertThat(imports).isNotEmpty().allSatisfy(e -> assertThat(e.get("actor").asText()).isNotBlank());
    assertThat(imports.stream().mapToInt(e -> e.get("details").get("count").asInt()).sum())
        .isEqualTo(entries.size());
  }

  @Test
  void importingTheSameDirectoryAgainSkipsEveryFile() throws IOException {
    server.createChannel("imp-again", "public");
    byte[] tar = ChannelDirs.tar(channelDir);
    assertThat(summary(lines(importTar("imp-again", tar))).get("imported").asInt()).isEqualTo(entries.size());
    byte[] before = server.get("/conda/imp-again/linux-64/repodata.json").body();

    List<JsonNode> again = lines(importTar("imp-again", tar));
    assertThat(statusByPath(again)).hasSize(entries.size()).allSatisfy((p, s) -> assertThat(s).isEqualTo("skipped"));
    assertThat(summary(again).toString()).isEqualTo(
        "{\"imported\":0,\"skipped\":" + entries.size() + ",\"refused\":0,\"complete\":true}");
    assertThat(server.get("/conda/imp-again/linux-64/repodata.json").body()).isEqualTo(before);
  }

  @Test
  void aCorruptFileIsRefusedWithItsReasonAndTheOthersAreImported() throws IOException {
    server.createChannel("imp-corrupt", "public");
    Path dir = scratch.resolve("corrupt");
    ChannelDirs.place(dir, Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda"));
    ChannelDirs.place(dir, Fixtures.realPackage("run_exports_versions-1.0-he35c369_0.tar.bz2"));
    Files.copy(Fixtures.corruptPackage("bad_package.tar.bz2"), dir.resolve("linux-64/bad-1.0-0.tar.bz2"));

    List<JsonNode> lines = lines(importTar("imp-corrupt", ChannelDirs.tar(dir)));
    JsonNode bad = lines.stream().filter(l -> l.path("path").asText().equals("linux-64/bad-1.0-0.tar.bz2"))
        .findFirst().orElseThrow();
    assertThat(bad.get("status").asText()).isEqualTo("refused");
    assertThat(bad.get("error").asText()).isEqualTo("not_a_conda_package");
    assertThat(bad.get("message").asText()).contains("bad-1.0-0.tar.bz2").contains("is not bzip2-compressed");
    assertThat(summary(lines).toString()).isEqualTo("{\"imported\":2,\"skipped\":0,\"refused\":1,\"complete\":true}");
    assertThat(repodata("imp-corrupt", "linux-64").get("packages.conda").has("zlib-1.2.11-h7b6447c_3.conda")).isTrue();
    assertThat(repodata("imp-corrupt", "linux-64").get("packages").has("bad-1.0-0.tar.bz2")).isFalse();
    assertThat(repodata("imp-corrupt", "noarch").get("packages").has("run_exports_versions-1.0-he35c369_0.tar.bz2"))
        .isTrue();
  }

  @Test
  void aFileUnderAnotherSubdirThanItsIndexJsonSaysIsRefused() throws IOException {
    server.createChannel("imp-misplaced", "public");
    byte[] tar = ChannelDirs.tar(List.of("noarch/zlib-1.2.11-h7b6447c_3.conda", "readme.txt"),
        List.of(Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda"),
            Fixtures.realPackage("other-package-0.2-0.conda")));
    List<JsonNode> lines = lines(importTar("imp-misplaced", tar));
    assertThat(lines.get(0).toString()).contains("\"path\":\"readme.txt\"", "\"error\":\"invalid_entry\"");
    JsonNode misplaced = lines.stream().filter(l -> l.path("path").asText().startsWith("noarch/")).findFirst()
        .orElseThrow();
    assertThat(misplaced.get("error").asText()).isEqualTo("subdir_mismatch");
    assertThat(misplaced.get("message").asText())
        .isEqualTo("noarch/zlib-1.2.11-h7b6447c_3.conda is under noarch/ but its info/index.json puts it in linux-64");
    assertThat(summary(lines).get("refused").asInt()).isEqualTo(2);
    assertThat(server.getJson("/api/channels/imp-misplaced/files")).isEmpty();
  }

  @Test
  void aFileOfTheSameNameWithOtherContentIsRefusedAndKept() throws IOException {
    server.createChannel("imp-differs", "public");
    Path real = Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.tar.bz2");
    assertThat(server.upload("imp-differs", real).statusCode()).isEqualTo(201);
    String sha = server.getJson("/api/channels/imp-differs/files/linux-64/zlib-1.2.11-h7b6447c_3.tar.bz2")
        .get("sha256").asText();
    Path other = scratch.resolve("zlib-1.2.11-h7b6447c_3.tar.bz2"); // same name and index.json, other bytes
    io.wharf.conda.archive.PackageWriter.writeTarBz2(other, Map.of("info/index.json", ("{\"name\": \"zlib\","
        + " \"version\": \"1.2.11\", \"build\": \"h7b6447c_3\", \"build_number\": 3,"
        + " \"subdir\": \"linux-64\"}").getBytes(StandardCharsets.UTF_8)));
    List<JsonNode> lines = lines(importTar("imp-differs", ChannelDirs.tar(
        List.of("linux-64/zlib-1.2.11-h7b6447c_3.tar.bz2"), List.of(other))));
    JsonNode refused = lines.get(0);
    assertThat(refused.get("status").asText()).as(refused.toString()).isEqualTo("refused");
    assertThat(refused.get("error").asText()).isEqualTo("file_exists");
    assertThat(refused.get("message").asText()).contains("with other content (sha256 " + sha + ")");
    assertThat(server.getJson("/api/channels/imp-differs/files/linux-64/zlib-1.2.11-h7b6447c_3.tar.bz2")
        .get("sha256").asText()).isEqualTo(sha);
  }

  @Test
  void theSameFileTwiceInOneStreamIsImportedOnceAndThenSkipped() throws IOException {
    server.createChannel("imp-twice", "public");
    Path zlib = Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda");
    List<JsonNode> lines = lines(importTar("imp-twice", ChannelDirs.tar(
        List.of("linux-64/zlib-1.2.11-h7b6447c_3.conda", "linux-64/zlib-1.2.11-h7b6447c_3.conda"),
        List.of(zlib, zlib))));
    assertThat(lines.stream().filter(l -> l.has("path")).map(l -> l.get("status").asText()).sorted().toList())
        .containsExactly("imported", "skipped");
    assertThat(server.getJson("/api/channels/imp-twice/files").size()).isEqualTo(1);
  }

  @Test
  void anImportCutOffMidwayKeepsTheFilesReadAndTheSameImportAgainFinishesIt() throws Exception {
    server.createChannel("imp-cut", "public");
    byte[] tar = ChannelDirs.tar(channelDir);
    List<JsonNode> lines;
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      OutputStream out = socket.getOutputStream();
      String head = "POST /api/channels/imp-cut/import HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Authorization: Bearer " + TestServer.ADMIN_TOKEN + "\r\nContent-Type: application/x-tar\r\n"
          + "Content-Length: " + tar.length + "\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(tar, 0, tar.length / 2);
      out.flush();
      socket.shutdownOutput(); // the client stops sending mid-stream, but still listens
      RawHttp.Response res = RawHttp.read(socket.getInputStream());
      assertThat(res.status()).isEqualTo(200);
      lines = lines(res.body());
    }
    JsonNode error = lines.get(lines.size() - 2);
    assertThat(error.get("error").asText()).as(error.toString()).isEqualTo("incomplete_body");
    JsonNode first = summary(lines);
    assertThat(first.get("complete").asBoolean()).isFalse();
    int kept = first.get("imported").asInt();
    assertThat(kept).isPositive().isLessThan(entries.size());
    assertThat(first.get("refused").asInt()).isZero();
    assertThat(server.getJson("/api/channels/imp-cut/files").size()).isEqualTo(kept);
    try (Stream<Path> spool = Files.list(data.resolve("tmp"))) {
      assertThat(spool.filter(p -> p.getFileName().toString().startsWith("upload-")).toList()).isEmpty();
    }

    List<JsonNode> again = lines(importTar("imp-cut", tar));
    assertThat(summary(again).toString()).isEqualTo("{\"imported\":" + (entries.size() - kept) + ",\"skipped\":"
        + kept + ",\"refused\":0,\"complete\":true}");
    int served = 0;
    for (String subdir : subdirs()) {
      JsonNode r = repodata("imp-cut", subdir);
      served += r.get("packages").size() + r.get("packages.conda").size();
    }
    assertThat(served).isEqualTo(entries.size());
  }

  @Test
  void lookupTellsWhichFilesAreThereWithTheirSizeAndSha256() throws IOException {
    server.createChannel("imp-lookup", "public");
    Path zlib = Fixtures.realPackage("zlib-1.2.11-h7b6447c_3.conda");
    server.upload("imp-lookup", zlib);
    String body = "{\"files\":[{\"subdir\":\"linux-64\",\"filename\":\"zlib-1.2.11-h7b6447c_3.conda\"},"
        + "{\"subdir\":\"linux-64\",\"filename\":\"zlib-1.2.11-h7b6447c_3.tar.bz2\"},"
        + "{\"subdir\":\"noarch\",\"filename\":\"zlib-1.2.11-h7b6447c_3.conda\"}]}";
    HttpResponse<byte[]> res = server.send(server.request("/api/channels/imp-lookup/files/lookup")
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(TestServer.json(res).toString()).isEqualTo("{\"present\":[{\"subdir\":\"linux-64\","
        + "\"filename\":\"zlib-1.2.11-h7b6447c_3.conda\",\"size\":" + Files.size(zlib) + ",\"sha256\":"
        + "\"f33afff2144e1d6c4cf2e3e184937db8bf825b4537df74662aea5ee207b6a31b\"}]}");

    HttpResponse<byte[]> tooMany = server.send(server.request("/api/channels/imp-lookup/files/lookup")
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
            "{\"files\":[" + String.join(",", java.util.Collections.nCopies(5_001,
                "{\"subdir\":\"noarch\",\"filename\":\"a-1-0.conda\"}")) + "]}")));
    assertThat(tooMany.statusCode()).isEqualTo(400);
    assertThat(TestServer.json(tooMany).get("error").asText()).isEqualTo("too_many_files");
  }

  @Test
  void importNeedsTheAdministratorAndAnExistingChannel() throws IOException {
    server.createChannel("imp-auth", "public");
    byte[] tar = ChannelDirs.tar(channelDir);
    HttpResponse<byte[]> anonymous = server.send(server.request("/api/channels/imp-auth/import")
        .header("Content-Type", "application/x-tar").POST(HttpRequest.BodyPublishers.ofByteArray(tar)));
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(TestServer.json(anonymous).get("error").asText()).isEqualTo("unauthorized");
    assertThat(server.getJson("/api/channels/imp-auth/files")).isEmpty();

    HttpResponse<byte[]> missing = importTar("no-such-channel", tar);
    assertThat(missing.statusCode()).isEqualTo(404);
  }

  @Test
  void aBodyThatIsNotATarStreamIsAnOrdinaryJsonError() {
    server.createChannel("imp-nottar", "public");
    HttpResponse<byte[]> res = importTar("imp-nottar", "this is not a tar stream at all".repeat(40).getBytes());
    assertThat(res.statusCode()).isEqualTo(400);
    JsonNode error = TestServer.json(res);
    assertThat(error.get("error").asText()).isEqualTo("invalid_tar");
    assertThat(error.get("message").asText()).startsWith("the body is not a tar stream");
  }

  @Test
  void anImportStopsReadingAfterTheEntryLimit() throws IOException {
    server.createChannel("imp-many", "public");
    int n = ImportService.MAX_ENTRIES + 1;
    Path tiny = Files.writeString(scratch.resolve("tiny"), "x");
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add("noarch/not-a-package-" + i + ".txt");
    }
    List<JsonNode> lines = lines(importTar("imp-many", ChannelDirs.tar(names, java.util.Collections.nCopies(n, tiny))));
    assertThat(lines.stream().filter(l -> l.has("path")).count()).isEqualTo(ImportService.MAX_ENTRIES);
    assertThat(lines.get(lines.size() - 2).get("error").asText()).isEqualTo("too_many_entries");
    assertThat(summary(lines).get("complete").asBoolean()).isFalse();
  }
}
