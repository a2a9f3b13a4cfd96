package io.wharf.conda.repodata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.junit.jupiter.api.Test;

class PatchInstructionsTest {
  private static final String FOO = "{\"build\":\"0\",\"depends\":[\"bar\"],\"license\":\"MIT\",\"md5\":\"x\","
      + "\"name\":\"foo\",\"sha256\":\"y\",\"size\":1,\"version\":\"1.0\"}";

  private static PatchInstructions parse(String json) {
    return PatchInstructions.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode json(String text) throws Exception {
    return Fixtures.JSON.readTree(text);
  }

  @Test
  void untouchedRecordKeepsItsExactText() {
    PatchInstructions p = parse("{\"patch_instructions_version\":1,\"packages\":{\"other-1-0.tar.bz2\":{\"depends\":[]}}}");
    PatchInstructions.Patched r = p.apply("foo-1.0-0.tar.bz2", FOO);
    assertSame(FOO, r.json().orElseThrow());
    assertTrue(r.changedFields().isEmpty());
  }

  @Test
  void packagesEntryReplacesAndAddsKeysAndNullRemovesOne() throws Exception {
    PatchInstructions p = parse("{\"packages\":{\"foo-1.0-0.tar.bz2\":"
        + "{\"depends\":[\"bar >=2\"],\"constrains\":[\"baz <3\"],\"license\":null}}}");
    PatchInstructions.Patched r = p.apply("foo-1.0-0.tar.bz2", FOO);
    JsonNode out = json(r.json().orElseThrow());
    assertEquals(json("[\"bar >=2\"]"), out.get("depends"));
    assertEquals(json("[\"baz <3\"]"), out.get("constrains"));
    assertFalse(out.has("license"));
    assertEquals("y", out.get("sha256").asText());
    assertEquals(Set.of("constrains", "depends", "license"), r.changedFields());
    // compact with sorted keys, like every stored record
    assertTrue(r.json().orElseThrow().startsWith("{\"build\":\"0\",\"constrains\":[\"baz <3\"],\"depends\""));
  }

  @Test
  void tarBz2EntryAlsoPatchesTheCondaTwinAndCondaEntryComesLast() throws Exception {
    PatchInstructions p = parse("{\"packages\":{\"foo-1.0-0.tar.bz2\":{\"depends\":[\"a\"],\"license\":\"BSD\"}},"
        + "\"packages.conda\":{\"foo-1.0-0.conda\":{\"depends\":[\"b\"]}}}");
    JsonNode conda = json(p.apply("foo-1.0-0.conda", FOO).json().orElseThrow());
    assertEquals(json("[\"b\"]"), conda.get("depends"));
    assertEquals("BSD", conda.get("license").asText());
    JsonNode tar = json(p.apply("foo-1.0-0.tar.bz2", FOO).json().orElseThrow());
    assertEquals(json("[\"a\"]"), tar.get("depends"));
  }

  @Test
  void condaEntryDoesNotTouchTheTarBz2() {
    PatchInstructions p = parse("{\"packages.conda\":{\"foo-1.0-0.conda\":{\"depends\":[\"b\"]}}}");
    assertSame(FOO, p.apply("foo-1.0-0.tar.bz2", FOO).json().orElseThrow());
  }

  @Test
  void revokeMarksTheRecordAndAddsAnUnsatisfiableDependency() throws Exception {
    PatchInstructions p = parse("{\"revoke\":[\"foo-1.0-0.tar.bz2\"]}");
    for (String fn : List.of("foo-1.0-0.tar.bz2", "foo-1.0-0.conda")) {
      PatchInstructions.Patched r = p.apply(fn, FOO);
      JsonNode out = json(r.json().orElseThrow());
      assertTrue(out.get("revoked").asBoolean());
      assertEquals(json("[\"bar\",\"package_has_been_revoked\"]"), out.get("depends"));
      assertEquals(Set.of("depends", "revoked"), r.changedFields());
    }
  }

  @Test
  void removeDropsTheRecordAndACondaNameCoversOnlyItself() {
    PatchInstructions p = parse("{\"remove\":[\"foo-1.0-0.tar.bz2\",\"qux-2-0.conda\"]}");
    assertTrue(p.apply("foo-1.0-0.tar.bz2", FOO).removed());
    assertTrue(p.apply("foo-1.0-0.conda", FOO).json().isEmpty());
    assertTrue(p.apply("qux-2-0.conda", FOO).removed());
    assertFalse(p.apply("qux-2-0.tar.bz2", FOO).removed());
  }

  @Test
  void packageNamesAreTheNamesOfEveryListedFile() {
    PatchInstructions p = parse("{\"packages\":{\"foo-bar-1.0-0.tar.bz2\":{}},\"packages.conda\":{\"a-1-0.conda\":{}},"
        + "\"revoke\":[\"b-1-0.tar.bz2\"],\"remove\":[\"c-1-0.conda\",\"not a filename\"]}");
    assertEquals(List.of("a", "b", "c", "foo-bar"), List.copyOf(p.packageNames()));
  }

  @Test
  void badInstructionsAreRefusedWithACode() {
    assertEquals("invalid_json", assertThrows(InvalidPatchException.class, () -> parse("{\"packages\":")).code());
    assertEquals("invalid_patch", assertThrows(InvalidPatchException.class, () -> parse("[]")).code());
    assertEquals("invalid_patch", assertThrows(InvalidPatchException.class,
        () -> parse("{\"packages\":{\"foo-1.0-0.tar.bz2\":[]}}")).code());
    assertEquals("invalid_patch", assertThrows(InvalidPatchException.class,
        () -> parse("{\"revoke\":\"foo-1.0-0.tar.bz2\"}")).code());
    assertEquals("unsupported_patch_version", assertThrows(InvalidPatchException.class,
        () -> parse("{\"patch_instructions_version\":2}")).code());
    InvalidPatchException sha = assertThrows(InvalidPatchException.class,
        () -> parse("{\"packages\":{\"foo-1.0-0.tar.bz2\":{\"sha256\":\"00\"}}}"));
    assertTrue(sha.getMessage().contains("sha256"), sha.getMessage());
  }

  /** A record's name places it (shard, channeldata, current_repodata): a patch may not change it. */
  @Test
  void aPatchThatRenamesARecordIsRefusedAndAStoredOneKeepsTheName() throws Exception {
    String renaming = "{\"packages\":{\"foo-1.0-0.tar.bz2\":{\"name\":\"bar\",\"license\":\"BSD\"}}}";
    InvalidPatchException e = assertThrows(InvalidPatchException.class, () -> parse(renaming));
    assertEquals("invalid_patch", e.code());
    assertTrue(e.getMessage().contains("patches name"), e.getMessage());
    assertThrows(InvalidPatchException.class,
        () -> parse("{\"packages.conda\":{\"foo-1.0-0.conda\":{\"name\":\"bar\"}}}"));

    PatchInstructions stored = PatchInstructions.parseStored(renaming.getBytes(StandardCharsets.UTF_8));
    PatchInstructions.Patched out = stored.apply("foo-1.0-0.tar.bz2", FOO);
    JsonNode record = json(out.json().orElseThrow());
    assertEquals("foo", record.get("name").asText());
    assertEquals("BSD", record.get("license").asText());
    assertEquals(List.of("license"), List.copyOf(out.changedFields()));
  }

  /** rattler's test channel: its instructions applied to its unpatched records. */
  @Test
  void rattlerPatchChannelRecordsArePatched() throws Exception {
    PatchInstructions p = PatchInstructions.parse(
        Files.readAllBytes(Fixtures.real("patch/linux-64/patch_instructions.json")));
    ObjectNode repodata = Fixtures.json("patch/linux-64/repodata_from_packages.json");
    String tarFn = "cross-python_emscripten-32-3.10.1-h60d57d3_8.tar.bz2";
    String tar = RepodataRecords.toJson((ObjectNode) repodata.get("packages").get(tarFn));
    JsonNode patched = json(p.apply(tarFn, tar).json().orElseThrow());
    assertEquals("WOLF LICENSE", patched.get("license").asText());
    assertEquals(json("[\"curl >5.0\"]"), patched.get("constrains"));
    assertTrue(patched.get("depends").toString().contains("wolfssl 12.0"));
    String condaFn = "cross-python_emscripten-32-3.10.1-h60d57d3_8.conda";
    JsonNode twin = json(p.apply(condaFn, RepodataRecords.toJson((ObjectNode) repodata.get("packages.conda")
        .get(condaFn))).json().orElseThrow());
    assertEquals("WOLF LICENSE", twin.get("license").asText()); // the .tar.bz2 entry reaches the twin
    String other = "emscripten_emscripten-32-3.1.27-h60d57d3_5.tar.bz2";
    String otherJson = RepodataRecords.toJson((ObjectNode) repodata.get("packages").get(other));
    assertSame(otherJson, p.apply(other, otherJson).json().orElseThrow());
  }

  /** conda-forge's patches package: every subdir's instructions parse, and its removals apply. */
  @Test
  void condaForgePatchesPackageInstructionsParseAndApply() throws Exception {
    Map<String, byte[]> members = new java.util.TreeMap<>();
    try (InputStream in = Files.newInputStream(Fixtures.real("packages/conda-forge-repodata-patches-20180828-0.tar.bz2"));
         TarArchiveInputStream tar = new TarArchiveInputStream(new BZip2CompressorInputStream(in))) {
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        if (e.getName().endsWith("/patch_instructions.json")) {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          tar.transferTo(out);
          members.put(e.getName(), out.toByteArray());
        }
      }
    }
    assertEquals(7, members.size());
    PatchInstructions linux = PatchInstructions.parse(members.get("linux-64/patch_instructions.json"));
    assertTrue(linux.size() > 1300, "conda-forge's linux-64 patches name " + linux.size() + " files");
    String alps = "alps-2.3.0-np111py27_blas_openblas_0.tar.bz2";
    String record = "{\"build\":\"np111py27_blas_openblas_0\",\"features\":\"blas_openblas\",\"name\":\"alps\"}";
    PatchInstructions.Patched r = linux.apply(alps, record);
    assertEquals(Set.of("features"), r.changedFields());
    assertFalse(json(r.json().orElseThrow()).has("features"));
    assertTrue(linux.apply("cookiecutter-1.4.0-0.tar.bz2", "{}").removed());
  }
}
