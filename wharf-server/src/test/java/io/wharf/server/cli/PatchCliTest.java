package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.testing.Fixtures;
import io.wharf.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wharf patch set|show|remove}, from a file and from conda-forge's real repodata-patches package. */
class PatchCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TAR = "zlib-1.2.11-h7b6447c_3.tar.bz2";

  @TempDir static Path data;
  @TempDir static Path work;
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(data);
    for (String c : List.of("cli", "forge")) {
      server.createChannel(c, "public");
      assertThat(server.upload(c, Fixtures.realPackage(TAR)).statusCode()).isEqualTo(201);
    }
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

  static JsonNode zlibRecord(String channel) throws Exception {
    return JSON.readTree(server.get("/conda/" + channel + "/linux-64/repodata.json").body()).get("packages").get(TAR);
  }

  @Test
  void setShowAndRemoveAFileOfInstructions() throws Exception {
    Path file = work.resolve("patch_instructions.json");
    Files.writeString(file, "{\"patch_instructions_version\":1,\"packages\":{\"" + TAR
        + "\":{\"depends\":[\"libgcc-ng >=12\"]}}}");
    CliRun set = admin("patch", "set", "--channel", "cli", "--subdir", "linux-64", file.toString());
    assertThat(set.exit()).as(set.err()).isZero();
    assertThat(set.out()).contains("cli linux-64: patches set (revision 1, 1 files named, 1 package names republished)");
    assertThat(zlibRecord("cli").get("depends").toString()).isEqualTo("[\"libgcc-ng >=12\"]");

    CliRun list = admin("patch", "show", "--channel", "cli");
    assertThat(list.rows()).anySatisfy(r -> assertThat(r).startsWith("linux-64", "1", "1"));
    CliRun shown = admin("patch", "show", "--channel", "cli", "--subdir", "linux-64");
    assertThat(shown.json().get("instructions")).isEqualTo(JSON.readTree(file.toFile()));
    assertThat(shown.json().get("source").asText()).isEqualTo("patch_instructions.json");

    CliRun removed = admin("patch", "remove", "--channel", "cli", "--subdir", "linux-64");
    assertThat(removed.exit()).isZero();
    assertThat(zlibRecord("cli").get("depends").toString()).isEqualTo("[\"libgcc-ng >=7.3.0\"]");
    CliRun again = admin("patch", "remove", "--channel", "cli", "--subdir", "linux-64");
    assertThat(again.exit()).isNotZero();
    assertThat(again.errLines()).hasSize(1);
  }

  @Test
  void badJsonIsRefusedWithOneLineAndANonZeroExit() throws Exception {
    Path file = work.resolve("broken.json");
    Files.writeString(file, "{\"packages\": {");
    CliRun r = admin("patch", "set", "--channel", "cli", "--subdir", "noarch", file.toString());
    assertThat(r.exit()).isNotZero();
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).contains("not valid JSON");
    CliRun noSubdir = admin("patch", "set", "--channel", "cli", file.toString());
    assertThat(noSubdir.exit()).isNotZero();
    assertThat(noSubdir.err()).contains("--subdir");
  }

  /** A linux-64 package with this file name and these extra index.json fields, uploaded to the channel. */
  static void upload(String channel, String filename, String extra) throws Exception {
    String[] parts = filename.replace(".tar.bz2", "").split("-(?=[^-]+-[^-]+$)|-(?=[^-]+$)");
    String index = "{\"name\":\"" + parts[0] + "\",\"version\":\"" + parts[1] + "\",\"build\":\"" + parts[2]
        + "\",\"build_number\":0,\"subdir\":\"linux-64\",\"depends\":[]" + extra + "}";
    Path p = work.resolve(filename);
    io.wharf.conda.archive.PackageWriter.writeTarBz2(p,
        java.util.Map.of("info/index.json", index.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(server.upload(channel, p).statusCode()).isEqualTo(201);
  }

  @Test
  void aRepodataPatchesPackageSetsEverySubdirItCarries() throws Exception {
    // two files conda-forge's 2018 patches name: one they remove, one whose features they clear
    String removed = "cookiecutter-1.4.0-0.tar.bz2";
    String cleared = "alps-2.3.0-np111py27_blas_openblas_0.tar.bz2";
    upload("forge", removed, "");
    upload("forge", cleared, ",\"features\":\"blas_openblas\"");
    Path pkg = Fixtures.realPackage("conda-forge-repodata-patches-20180828-0.tar.bz2");
    CliRun set = admin("patch", "set", "--channel", "forge", "--from-package", pkg.toString());
    assertThat(set.exit()).as(set.err()).isZero();
    assertThat(set.out().lines()).hasSize(7).anySatisfy(l -> assertThat(l).startsWith("forge linux-64: patches set"));
    CliRun list = admin("patch", "show", "--channel", "forge");
    List<String> subdirs = list.rows().stream().skip(1).map(r -> r.get(0)).toList();
    assertThat(subdirs).containsExactly("linux-64", "linux-armv7l", "linux-ppc64le", "noarch", "osx-64", "win-32",
        "win-64");
    JsonNode linux = server.getJson("/api/channels/forge/patches/linux-64");
    assertThat(linux.get("files").asInt()).isEqualTo(1323 + 45);
    assertThat(linux.get("source").asText()).isEqualTo("conda-forge-repodata-patches-20180828-0.tar.bz2");
    // conda-forge's patches do not name zlib: its record is published as stored
    assertThat(server.getJson("/api/channels/forge/files/linux-64/" + TAR).get("patched")).isEmpty();
    JsonNode repodata = JSON.readTree(server.get("/conda/forge/linux-64/repodata.json").body());
    assertThat(repodata.get("packages").has(removed)).isFalse();
    assertThat(repodata.get("removed").toString()).isEqualTo("[\"" + removed + "\"]");
    assertThat(repodata.get("packages").get(cleared).has("features")).isFalse();
    assertThat(repodata.get("packages").get(TAR).get("depends").toString()).isEqualTo("[\"libgcc-ng >=7.3.0\"]");
    assertThat(server.getJson("/api/channels/forge/files/linux-64/" + cleared).get("patched").toString())
        .isEqualTo("[\"features\"]");
  }
}
