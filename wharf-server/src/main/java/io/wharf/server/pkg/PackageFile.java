package io.wharf.server.pkg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * A recorded package file: one row per (channel, label, subdir, filename). {@code signaturesJson} is the
 * record's entry of repodata's top-level {@code signatures} ({@code {"<key id>":{"signature":"<hex>"}}}),
 * null while unsigned.
 */
public record PackageFile(long id, long channelId, String label, String subdir, String filename, String name,
    String version, String build, long buildNumber, String md5, String sha256, long size, String blobKey,
    Instant uploadedAt, String recordJson, String indexJson, String aboutJson, String runExportsJson,
    String pathsFlagsJson, String signaturesJson) {
  /**
   * What a row stores as its {@code indexJson} when it has no index.json but its record (a mirror's record,
   * taken as upstream wrote it): {@link #indexDocument()} is then the record less the fields only repodata
   * has. A mirror of 500,000 records would otherwise store each record twice. {@code indexJson} is what the
   * row stores, so a copy of the row keeps the record once too.
   */
  public static final String INDEX_FROM_RECORD = "";

  private static final List<String> REPODATA_ONLY = List.of("md5", "sha256", "size");

  /** The file's index.json, for showing it whole: as stored, or made from the record (see {@link #INDEX_FROM_RECORD}). */
  public JsonNode indexDocument() {
    if (!indexJson.equals(INDEX_FROM_RECORD)) {
      return StoredJson.parse(indexJson);
    }
    ObjectNode index = (ObjectNode) StoredJson.parse(recordJson);
    index.remove(REPODATA_ONLY);
    return index;
  }

  /**
   * A text to read the index.json's fields from, other than md5, sha256 and size: the stored index.json, or
   * the record it is taken from, without the copy {@link #indexDocument()} makes. For readers of a few
   * fields of every file, such as the search index's license families.
   */
  public String indexFields() {
    return indexJson.equals(INDEX_FROM_RECORD) ? recordJson : indexJson;
  }
}
