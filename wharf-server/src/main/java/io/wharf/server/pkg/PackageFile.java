package io.wharf.server.pkg;

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
   * What a row stores as its index.json when it has none but its record (a mirror's record, taken as upstream
   * wrote it): {@link #indexJson()} is then the record less the fields only repodata has. A mirror of 500,000
   * records would otherwise store each record twice.
   */
  public static final String INDEX_FROM_RECORD = "";

  private static final List<String> REPODATA_ONLY = List.of("md5", "sha256", "size");

  /** The file's index.json, as stored, or as its record gives it (see {@link #INDEX_FROM_RECORD}). */
  @Override
  public String indexJson() {
    return indexJson.equals(INDEX_FROM_RECORD) ? indexFromRecord(recordJson) : indexJson;
  }

  /**
   * A text to read the index.json's fields from, other than md5, sha256 and size: the stored index.json, or
   * the record it is taken from, without making the copy {@link #indexJson()} makes. For readers of a few
   * fields of every file, such as the search index's license families.
   */
  public String indexFields() {
    return indexJson.equals(INDEX_FROM_RECORD) ? recordJson : indexJson;
  }

  /** A record less the fields only repodata has, as the index.json of a file known by its record alone. */
  public static String indexFromRecord(String recordJson) {
    ObjectNode index = (ObjectNode) StoredJson.parse(recordJson);
    index.remove(REPODATA_ONLY);
    return index.toString();
  }
}
