package io.wharf.server.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.error.WharfException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepodataStreamTest {
  private static final String URL = "http://upstream.example/c/linux-64/repodata.json";
  @TempDir Path dir;

  @Test
  void headAndRecordsComeFromAnyPlaceInTheDocumentWithFloatsNotRounded() throws Exception {
    // signatures after the records (sorted keys put it last), info in between, other members skipped
    Path file = write("""
        {"packages": {"a-1-0.tar.bz2": {"name": "a", "version": "1", "build": "0", "x": 1.0000000000000001}},
         "info": {"subdir": "linux-64", "base_url": "../files/"},
         "removed": ["gone-1-0.tar.bz2"],
         "packages.conda": {"b-2-0.conda": {"name": "b", "version": "2", "build": "0", "depends": ["a"]},
                            "c-3-0.conda": {"name": "c", "version": "3", "build": "0"}},
         "signatures": {"b-2-0.conda": {"key": {"signature": "00"}}}}
        """);

    RepodataStream.Head head = RepodataStream.head(file, URL);
    assertThat(head.info().path("base_url").asText()).isEqualTo("../files/");
    assertThat(head.signatures().path("b-2-0.conda").path("key").path("signature").asText()).isEqualTo("00");

    List<String> names = new ArrayList<>();
    List<JsonNode> records = new ArrayList<>();
    RepodataStream.records(file, URL, (filename, raw) -> {
      names.add(filename);
      records.add(RepodataStream.parse(raw, URL));
    });
    assertThat(names).containsExactly("a-1-0.tar.bz2", "b-2-0.conda", "c-3-0.conda");
    assertThat(records.get(0).get("x").toString()).as("no rounding through double").isEqualTo("1.0000000000000001");
    assertThat(records.get(1).path("depends").get(0).asText()).isEqualTo("a");
  }

  @Test
  void eachRecordComesAsTheExactBytesUpstreamServedForIt() throws Exception {
    // multi-byte UTF-8 before and inside a record, odd spacing, a record that is no object
    Path file = write("{\"info\": {\"note\": \"\u00e9t\u00e9 \u2603\"}, \"packages\": {\n"
        + "  \"a-1-0.tar.bz2\" :  {\"name\": \"a\", \"summary\": \"caf\u00e9 \u2603\", \"x\": [1, {}]} ,\n"
        + "  \"b-1-0.tar.bz2\": 5}}");
    java.util.Map<String, String> raw = new java.util.LinkedHashMap<>();
    RepodataStream.records(file, URL, (filename, bytes) -> raw.put(filename,
        new String(bytes, java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(raw).containsExactly(
        java.util.Map.entry("a-1-0.tar.bz2", "{\"name\": \"a\", \"summary\": \"caf\u00e9 \u2603\", \"x\": [1, {}]}"),
        java.util.Map.entry("b-1-0.tar.bz2", "5"));
  }

  @Test
  void aDocumentWithoutRecordsOrHeadReadsAsEmpty() throws Exception {
    Path file = write("{\"packages\": [], \"repodata_version\": 1}");
    RepodataStream.Head head = RepodataStream.head(file, URL);
    assertThat(head.info().isMissingNode()).isTrue();
    assertThat(head.signatures().isMissingNode()).isTrue();
    List<String> names = new ArrayList<>();
    RepodataStream.records(file, URL, (filename, raw) -> names.add(filename));
    assertThat(names).isEmpty();
  }

  @Test
  void brokenOrNonObjectDocumentsAreUpstreamInvalidBeforeAnyRecordIsRead() throws Exception {
    for (String text : List.of("[1, 2]", "{\"packages\": {\"a-1-0.tar.bz2\": {\"name\": ", "{} {}", "",
        "{\"packages\": {\"a-1-0.tar.bz2\": {} \"b-1-0.tar.bz2\": {}}}", "{\"info\": }",
        "{\"info\": {\"subdir\": \"linux-64\"}, \"packages\": {\"a-1-0.tar.bz2\" {}}}", "{\"info\": {\"x\": tru}}",
        "{\"removed\": ]}")) {
      Path file = write(text);
      assertThatThrownBy(() -> RepodataStream.head(file, URL)).as(text)
          .isInstanceOfSatisfying(WharfException.class, e -> {
            assertThat(e.code()).isEqualTo("upstream_invalid");
            assertThat(e.kind()).isEqualTo(WharfException.Kind.BAD_GATEWAY);
          })
          .hasMessageContaining(URL);
    }
  }

  @Test
  void recordsOfARealRepodataAreTheSpansJacksonsByteParserFinds() throws Exception {
    Path file = io.wharf.server.testing.Fixtures.root().resolve("real/large/pytorch-linux-64/repodata.json");
    java.util.Map<String, String> expected = new java.util.LinkedHashMap<>();
    byte[] all = Files.readAllBytes(file);
    try (com.fasterxml.jackson.core.JsonParser p = new com.fasterxml.jackson.core.JsonFactory().createParser(all)) {
      p.nextToken();
      while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String member = p.currentName();
        p.nextToken();
        if (!member.startsWith("packages")) {
          p.skipChildren();
          continue;
        }
        while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
          String filename = p.currentName();
          p.nextToken();
          int start = (int) p.currentTokenLocation().getByteOffset();
          p.skipChildren();
          int end = (int) p.currentLocation().getByteOffset();
          expected.put(filename, new String(all, start, end - start, java.nio.charset.StandardCharsets.UTF_8));
        }
      }
    }
    java.util.Map<String, String> found = new java.util.LinkedHashMap<>();
    RepodataStream.head(file, URL);
    RepodataStream.records(file, URL, (filename, raw) -> found.put(filename,
        new String(raw, java.nio.charset.StandardCharsets.UTF_8)));

    assertThat(expected).hasSizeGreaterThan(100);
    assertThat(found).containsExactlyEntriesOf(expected);
  }

  @Test
  void escapesBracketsInStringsAndOddSpacingDoNotMoveARecordsEnd() throws Exception {
    String a = "{\"name\":\"a\",\"summary\":\"a } ] { [ \\\" quoted \\\\\",\"x\":[[],{\"y\":[1,2.5e3,null,true]}]}";
    String big = "{\"name\": \"" + "z".repeat(200_000) + "\"}"; // longer than one read of the file
    Path file = write("{\"removed\": [\"}\"],\t\"packages\"\n:\r\n{ \"a-1-0.tar.bz2\"\t:" + a + " ,"
        + "\"b\\u002d1-0.tar.bz2\":\"text, with } and \\\"\" , \"c-1-0.tar.bz2\": -12.5e-3,"
        + "\"d-1-0.tar.bz2\":" + big + "}, \"packages.conda\": {}, \"info\": {\"x\": \"{\"}}");
    java.util.Map<String, String> raw = new java.util.LinkedHashMap<>();
    RepodataStream.head(file, URL);
    RepodataStream.records(file, URL, (filename, bytes) -> raw.put(filename,
        new String(bytes, java.nio.charset.StandardCharsets.UTF_8)));

    assertThat(raw).containsExactly(java.util.Map.entry("a-1-0.tar.bz2", a),
        java.util.Map.entry("b-1-0.tar.bz2", "\"text, with } and \\\"\""),
        java.util.Map.entry("c-1-0.tar.bz2", "-12.5e-3"), java.util.Map.entry("d-1-0.tar.bz2", big));
    assertThat(RepodataStream.parse(raw.get("a-1-0.tar.bz2").getBytes(java.nio.charset.StandardCharsets.UTF_8), URL)
        .path("summary").asText()).isEqualTo("a } ] { [ \" quoted \\");
  }

  @Test
  void quotesAndBackslashesAtEveryOffsetAndAcrossReadBuffersKeepEachRecordWhole() throws Exception {
    // strings of every length up to 40 with an escaped quote, an escaped backslash and brackets at each place,
    // repeated until records straddle many 64 KiB reads of the file at every offset
    StringBuilder doc = new StringBuilder("{\"packages\":{");
    java.util.Map<String, String> expected = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 6_000; i++) {
      int n = i % 41;
      String text = "x".repeat(n % 7) + "\\\"" + "y".repeat(n) + "\\\\" + "]}".repeat(n % 3) + "z".repeat(i % 9);
      String record = "{\"name\":\"p" + i + "\",\"s\":\"" + text + "\",\"d\":[\"" + text + "\",[{}]]}";
      if (i > 0) {
        doc.append(',');
      }
      String filename = "p" + i + "-1-0.conda";
      doc.append('"').append(filename).append("\":").append(record);
      expected.put(filename, record);
    }
    Path file = write(doc.append("}}").toString());
    java.util.Map<String, String> raw = new java.util.LinkedHashMap<>();
    RepodataStream.head(file, URL);
    RepodataStream.records(file, URL, (filename, bytes) -> raw.put(filename,
        new String(bytes, java.nio.charset.StandardCharsets.UTF_8)));

    assertThat(Files.size(file)).isGreaterThan(8 * 64 * 1024);
    assertThat(raw).containsExactlyEntriesOf(expected);
  }

  @Test
  void aDocumentThatEndsEarlyWhenItsRecordsAreReadIsUpstreamInvalid() throws Exception {
    // as when the file changed after its head was read: the records pass does not run past the end
    Path file = write("{\"packages\": {\"a-1-0.tar.bz2\": {\"name\": \"a\"}, \"b-1-0.tar.bz2\": {\"name\": [");
    List<String> names = new ArrayList<>();
    assertThatThrownBy(() -> RepodataStream.records(file, URL, (filename, raw) -> names.add(filename)))
        .isInstanceOfSatisfying(WharfException.class, e -> assertThat(e.code()).isEqualTo("upstream_invalid"))
        .hasMessageContaining("ended early");
    assertThat(names).containsExactly("a-1-0.tar.bz2");
  }

  @Test
  void anExceptionOfTheSinkPassesThroughAsItIs() throws Exception {
    Path file = write("{\"packages\": {\"a-1-0.tar.bz2\": {}}}");
    java.io.IOException own = new java.io.IOException("the sink's own");
    assertThatThrownBy(() -> RepodataStream.records(file, URL, (filename, raw) -> {
      throw own;
    })).isSameAs(own);
  }

  private Path write(String text) throws Exception {
    Path file = Files.createTempFile(dir, "repodata-", ".json");
    return Files.writeString(file, text);
  }
}
