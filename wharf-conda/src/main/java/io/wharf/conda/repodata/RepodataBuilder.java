package io.wharf.conda.repodata;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * Assembles a subdir's repodata.json (CEP 36, CEP 15) by concatenating records that were serialized
 * once with {@link RepodataRecords#toJson}, so a rebuild costs a copy, not a re-parse of every record.
 * Top-level and info keys are written in sorted order, like conda-index's {@code sort_keys=True}.
 */
public final class RepodataBuilder {

  private RepodataBuilder() {}

  /**
   * @param baseUrl CEP 15 {@code base_url}: where this subdir's package files are served, already
   *     resolved for the subdir by the caller (absolute, or relative to the repodata's directory).
   *     A trailing slash is added when missing, as conda-index and rattler do. Its presence makes
   *     {@code repodata_version} 2, otherwise 1.
   */
  public static byte[] build(
      String subdir,
      SortedMap<String, String> tarBz2RecordJson,
      SortedMap<String, String> condaRecordJson,
      List<String> removed,
      Optional<String> baseUrl) {
    long estimate = 128;
    for (String json : tarBz2RecordJson.values()) {
      estimate += json.length() + 96;
    }
    for (String json : condaRecordJson.values()) {
      estimate += json.length() + 96;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(estimate, Integer.MAX_VALUE - 8));
    try {
      write(bytes, subdir, tarBz2RecordJson, condaRecordJson, removed, baseUrl);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
    }
    return bytes.toByteArray();
  }

  /** Same bytes as {@link #build}, streamed, for subdirs too large to hold twice in memory. */
  public static void write(
      OutputStream out,
      String subdir,
      SortedMap<String, String> tarBz2RecordJson,
      SortedMap<String, String> condaRecordJson,
      List<String> removed,
      Optional<String> baseUrl)
      throws IOException {
    StringBuilder head = new StringBuilder("{\"info\":{");
    if (baseUrl.isPresent()) {
      String url = baseUrl.get().endsWith("/") ? baseUrl.get() : baseUrl.get() + "/";
      head.append("\"base_url\":").append(JsonText.quote(url)).append(',');
    }
    head.append("\"subdir\":").append(JsonText.quote(subdir)).append("},\"packages\":");
    put(out, head);
    section(out, tarBz2RecordJson);
    put(out, ",\"packages.conda\":");
    section(out, condaRecordJson);
    // conda-index keeps "removed" sorted (_apply_instructions); duplicates carry no meaning.
    StringBuilder tail = new StringBuilder(",\"removed\":[");
    boolean first = true;
    for (String fn : new TreeSet<>(removed)) {
      if (!first) {
        tail.append(',');
      }
      first = false;
      tail.append(JsonText.quote(fn));
    }
    tail.append("],\"repodata_version\":").append(baseUrl.isPresent() ? 2 : 1).append('}');
    put(out, tail);
  }

  private static void section(OutputStream out, SortedMap<String, String> records) throws IOException {
    out.write('{');
    boolean first = true;
    for (Map.Entry<String, String> e : records.entrySet()) {
      String json = e.getValue();
      // Records are our own toJson output; this cheap check keeps one corrupt row from silently
      // producing a repodata.json that no client can parse.
      if (json.length() < 2 || json.charAt(0) != '{' || json.charAt(json.length() - 1) != '}') {
        throw new IllegalArgumentException("record for " + e.getKey() + " is not a JSON object");
      }
      StringBuilder entry = new StringBuilder(json.length() + e.getKey().length() + 4);
      if (!first) {
        entry.append(',');
      }
      first = false;
      entry.append(JsonText.quote(e.getKey())).append(':').append(json);
      put(out, entry);
    }
    out.write('}');
  }

  private static void put(OutputStream out, CharSequence text) throws IOException {
    out.write(text.toString().getBytes(StandardCharsets.UTF_8));
  }
}
