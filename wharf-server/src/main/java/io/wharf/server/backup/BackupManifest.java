package io.wharf.server.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The first entry of a backup archive ({@code manifest.json}): what the archive holds and of which
 * moment, so that a restore can tell a whole archive from a cut-off one and a Wharf backup from any tar.
 *
 * @param snapshotAt when the database snapshot began (ISO-8601): every change committed before it is in
 *     the archive, and none that committed after the snapshot's read began
 * @param databaseId the database's identity ({@code database.id}); the restored blob store is tied to it
 */
public record BackupManifest(int version, String createdAt, String snapshotAt, String databaseId, long blobs,
    long blobBytes) {
  public static final String FORMAT = "wharf-backup";
  public static final int VERSION = 1;
  public static final String ENTRY = "manifest.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  byte[] toJson() throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("version", version);
    m.put("created_at", createdAt);
    m.put("snapshot_at", snapshotAt);
    m.put("database_id", databaseId);
    m.put("blobs", blobs);
    m.put("blob_bytes", blobBytes);
    m.put("layout", Map.of("wharf.db", "the SQLite database snapshot",
        "blobs/<key>", "each package blob the snapshot's rows refer to, under its store key"));
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m);
  }

  static BackupManifest parse(byte[] json) throws IOException {
    JsonNode m = JSON.readTree(json);
    if (m == null || !FORMAT.equals(m.path("format").asText())) {
      throw new IOException("not a Wharf backup: its manifest does not say format \"" + FORMAT + "\"");
    }
    int version = m.path("version").asInt();
    if (version != VERSION) {
      throw new IOException("backup format version " + version + " is not supported (this Wharf reads "
          + VERSION + ")");
    }
    return new BackupManifest(version, m.path("created_at").asText(), m.path("snapshot_at").asText(),
        m.path("database_id").asText(), m.path("blobs").asLong(), m.path("blob_bytes").asLong());
  }
}
