package io.wharf.server.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.conda.archive.PackageWriter;
import io.wharf.conda.archive.PackageWriter.Entry;
import io.wharf.server.testing.CphPackages;
import io.wharf.server.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wharf accepts a .conda exactly when conda's own extractor (Debian's conda-package-handling, over
 * conda-package-streaming) can extract it, over a set of well-formed and malformed containers built here.
 * The only exceptions are rules CEP 35 and CEP 34 state that cph does not check, listed in
 * {@link #STRICTER_THAN_CPH}: there Wharf refuses and cph extracts.
 */
class CondaContainerCrossCheckTest {
  private static final String STEM = "demo-1.0-h0_0";
  private static final String FILENAME = STEM + ".conda";
  private static final String INFO = "info-" + STEM + ".tar.zst";
  private static final String PKG = "pkg-" + STEM + ".tar.zst";
  private static final byte[] METADATA = "{\"conda_pkg_format_version\": 2}".getBytes(StandardCharsets.UTF_8);
  private static final String INDEX = "{\"name\": \"demo\", \"version\": \"1.0\", \"build\": \"h0_0\","
      + " \"build_number\": 0, \"depends\": [], \"subdir\": \"linux-64\"}";

  /** CEP 35: metadata.json present with format version 2, components stored; CEP 34: info/index.json. */
  private static final List<String> STRICTER_THAN_CPH = List.of(
      "no metadata.json", "metadata.json of format version 3", "components deflated", "info without index.json");

  @TempDir static Path data;
  @TempDir static Path work;
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(data);
    server.createChannel("cross", "public");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void wharfAcceptsExactlyTheContainersCphCanExtract() throws IOException {
    CphPackages.assumeAvailable();
    Map<String, Path> cases = containers();
    Map<String, String> cphVerdicts = new LinkedHashMap<>();
    Map<String, String> wharfVerdicts = new LinkedHashMap<>();
    Map<String, String> messages = new LinkedHashMap<>();
    for (Map.Entry<String, Path> c : cases.entrySet()) {
      CphPackages.Extraction cph = CphPackages.extract(c.getValue(), work);
      cphVerdicts.put(c.getKey(), cph.extracted() ? "extracts" : "refuses: " + cph.error());
      HttpResponse<byte[]> res = server.upload("cross", FILENAME, c.getValue(), "replace=true");
      assertThat(res.statusCode()).as(c.getKey()).isIn(201, 400);
      wharfVerdicts.put(c.getKey(), res.statusCode() == 201 ? "extracts" : "refuses");
      if (res.statusCode() == 400) {
        JsonNode error = TestServer.json(res);
        messages.put(c.getKey(), error.get("message").asText());
        assertThat(error.get("message").asText()).as(c.getKey()).startsWith(FILENAME + ": ")
            .doesNotContain(".part");
      }
    }

    List<String> disagreements = new ArrayList<>();
    for (String c : cases.keySet()) {
      boolean cphExtracts = cphVerdicts.get(c).equals("extracts");
      boolean wharfAccepts = wharfVerdicts.get(c).equals("extracts");
      boolean expected = cphExtracts && !STRICTER_THAN_CPH.contains(c);
      if (wharfAccepts != expected) {
        disagreements.add(c + ": cph " + cphVerdicts.get(c) + ", Wharf " + wharfVerdicts.get(c) + " "
            + messages.getOrDefault(c, ""));
      }
    }
    assertThat(disagreements).isEmpty();
    // Every stricter rule is one cph really does not apply, and the set holds both verdicts.
    assertThat(STRICTER_THAN_CPH).allSatisfy(c -> assertThat(cphVerdicts.get(c)).as(c).isEqualTo("extracts"));
    assertThat(cphVerdicts.values()).contains("extracts").anyMatch(v -> v.startsWith("refuses"));
    assertThat(wharfVerdicts).containsEntry("as cph writes it", "extracts")
        .containsEntry("components named after another file", "refuses")
        .containsEntry("components under a folder", "refuses");
  }

  private static Map<String, Path> containers() throws IOException {
    Map<String, Path> cases = new LinkedHashMap<>();
    cases.put("as cph writes it",
        named(CphPackages.build(work.resolve("cph"), "demo", "1.0", "h0_0", 0, "linux-64", List.of(), "conda")));
    byte[] info = zstd(info(true));
    byte[] pkg = zstd(payload());
    cases.put("as Wharf's writer writes it", stored("writer", new String[] {"metadata.json", PKG, INFO},
        METADATA, pkg, info));
    cases.put("info first, metadata.json last", stored("order", new String[] {INFO, PKG, "metadata.json"},
        info, pkg, METADATA));
    cases.put("an extra unrelated member", stored("extra", new String[] {"metadata.json", PKG, INFO, "README.txt"},
        METADATA, pkg, info, "hello".getBytes(StandardCharsets.UTF_8)));
    cases.put("components named after another file", stored("stem", new String[] {"metadata.json",
        "pkg-other-2.0-0.tar.zst", "info-other-2.0-0.tar.zst"}, METADATA, pkg, info));
    cases.put("components under a folder", stored("folder", new String[] {STEM + "/metadata.json",
        STEM + "/" + PKG, STEM + "/" + INFO}, METADATA, pkg, info));
    cases.put("no pkg component", stored("nopkg", new String[] {"metadata.json", INFO}, METADATA, info));
    cases.put("no info component", stored("noinfo", new String[] {"metadata.json", PKG}, METADATA, pkg));
    cases.put("info component twice", stored("twice", new String[] {"metadata.json", PKG, INFO, INFO},
        METADATA, pkg, info, info));
    cases.put("a member sharing the info prefix", stored("prefix", new String[] {"metadata.json", PKG, INFO,
        INFO + ".sig"}, METADATA, pkg, info, "sig".getBytes(StandardCharsets.UTF_8)));
    cases.put("info not zstd", stored("infoplain", new String[] {"metadata.json", PKG, INFO},
        METADATA, pkg, PackageWriter.tar(info(true))));
    cases.put("pkg not zstd", stored("pkgplain", new String[] {"metadata.json", PKG, INFO},
        METADATA, PackageWriter.tar(payload()), info));
    cases.put("pkg zstd but not a tar", stored("pkgtext", new String[] {"metadata.json", PKG, INFO},
        METADATA, zstd("plain text, not a tar archive ".repeat(40).getBytes(StandardCharsets.UTF_8)), info));
    cases.put("pkg damaged", damagedPkg(stored("damaged", new String[] {"metadata.json", PKG, INFO},
        METADATA, pkg, info), pkg));
    cases.put("info entry escaping the prefix", stored("escape", new String[] {"metadata.json", PKG, INFO},
        METADATA, pkg, zstd(withExtra(info(true), Entry.file("info/../../escaped", "x")))));
    cases.put("not a ZIP", write("notzip", "this is not a zip".getBytes(StandardCharsets.UTF_8)));
    cases.put("no metadata.json", stored("nometa", new String[] {PKG, INFO}, pkg, info));
    cases.put("metadata.json of format version 3", stored("v3", new String[] {"metadata.json", PKG, INFO},
        "{\"conda_pkg_format_version\": 3}".getBytes(StandardCharsets.UTF_8), pkg, info));
    cases.put("components deflated", deflated("deflated", new String[] {"metadata.json", PKG, INFO},
        METADATA, pkg, info));
    cases.put("info without index.json", stored("noindex", new String[] {"metadata.json", PKG, INFO},
        METADATA, pkg, zstd(info(false))));
    return cases;
  }

  private static List<Entry> info(boolean withIndex) {
    List<Entry> entries = new ArrayList<>();
    if (withIndex) {
      entries.add(Entry.file("info/index.json", INDEX));
    }
    entries.add(Entry.file("info/paths.json", "{\"paths\": [], \"paths_version\": 1}"));
    return entries;
  }

  private static List<Entry> payload() {
    return List.of(Entry.file("share/demo/README.txt", "demo"));
  }

  private static List<Entry> withExtra(List<Entry> entries, Entry extra) {
    List<Entry> all = new ArrayList<>(entries);
    all.add(extra);
    return all;
  }

  private static byte[] zstd(List<Entry> entries) throws IOException {
    return PackageWriter.zstd(PackageWriter.tar(entries));
  }

  private static byte[] zstd(byte[] bytes) {
    return PackageWriter.zstd(bytes);
  }

  private static Path target(String folder) throws IOException {
    return Files.createDirectories(work.resolve(folder)).resolve(FILENAME);
  }

  private static Path named(Path built) {
    assertThat(built.getFileName().toString()).isEqualTo(FILENAME);
    return built;
  }

  private static Path stored(String folder, String[] names, byte[]... contents) throws IOException {
    Path file = target(folder);
    PackageWriter.writeZip(file, names, contents);
    return file;
  }

  private static Path write(String folder, byte[] bytes) throws IOException {
    return Files.write(target(folder), bytes);
  }

  private static Path deflated(String folder, String[] names, byte[]... contents) throws IOException {
    Path file = target(folder);
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(file)) {
      for (int i = 0; i < names.length; i++) {
        ZipArchiveEntry entry = new ZipArchiveEntry(names[i]);
        entry.setMethod(ZipArchiveEntry.DEFLATED);
        zip.putArchiveEntry(entry);
        zip.write(contents[i]);
        zip.closeArchiveEntry();
      }
    }
    return file;
  }

  /** Flips one byte in the middle of the stored pkg component, as a damaged transfer would. */
  private static Path damagedPkg(Path file, byte[] pkg) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    int at = indexOf(bytes, pkg) + pkg.length / 2;
    bytes[at] ^= 0x55;
    return Files.write(file, bytes);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalStateException("component bytes not found in the ZIP");
  }
}
