package io.wharf.server.index;

import io.wharf.conda.repodata.Compression;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One published metadata file: its bytes (and a gzip copy for JSON), a strong ETag over exactly
 * those bytes, and when it last changed. Immutable; a new publication replaces the whole object.
 */
public record Artifact(byte[] bytes, byte[] gzip, String etag, long lastModified, String contentType,
    String cacheControl) {

  public static final String JSON = "application/json";
  public static final String BINARY = "application/octet-stream";

  static Artifact json(byte[] bytes, long lastModified, String cacheControl) {
    return new Artifact(bytes, Compression.gzip(bytes), etagOf(bytes), lastModified, JSON, cacheControl);
  }

  static Artifact binary(byte[] bytes, long lastModified, String cacheControl) {
    return new Artifact(bytes, null, etagOf(bytes), lastModified, BINARY, cacheControl);
  }

  /** Keeps the previous modification time when the bytes did not change, so revalidation stays cheap. */
  Artifact since(Artifact previous) {
    if (previous != null && previous.etag.equals(etag)) {
      return new Artifact(bytes, gzip, etag, previous.lastModified, contentType, cacheControl);
    }
    return this;
  }

  static String etagOf(byte[] bytes) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(d, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
