package io.wharf.server.storage;

import io.wharf.server.storage.fs.FileSystemBlobStore;
import io.wharf.server.storage.s3.S3BlobStore;
import io.wharf.server.storage.s3.S3Config;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/** Picks the blob store a storage spec (WHARF_STORAGE) asks for. */
public final class BlobStores {

  private BlobStores() {}

  /**
   * Opens the store named by spec:
   * <ul>
   *   <li>null or blank: a file store in defaultDir;</li>
   *   <li>{@code file:/abs/path}, {@code file:///abs/path} or a plain path: a file store there;</li>
   *   <li>{@code s3://ACCESS:SECRET@host:port/bucket/prefix?region=..&scheme=http}: see {@link S3Config#parse}.</li>
   * </ul>
   */
  public static BlobStore open(String spec, Path defaultDir) throws IOException {
    if (spec == null || spec.isBlank()) {
      return new FileSystemBlobStore(defaultDir);
    }
    String trimmed = spec.strip();
    String lower = trimmed.toLowerCase(Locale.ROOT);
    if (lower.startsWith("s3://")) {
      return new S3BlobStore(S3Config.parse(trimmed));
    }
    if (lower.startsWith("file://")) {
      return new FileSystemBlobStore(Path.of(URI.create(trimmed)));
    }
    if (lower.startsWith("file:")) {
      return new FileSystemBlobStore(Path.of(trimmed.substring("file:".length())));
    }
    if (lower.matches("[a-z][a-z0-9+.-]*://.*")) {
      throw new IllegalArgumentException("unsupported storage spec (use a path, file:/path or s3://...): "
          + trimmed.replaceAll("//[^@/]*@", "//***@"));
    }
    return new FileSystemBlobStore(Path.of(trimmed));
  }
}
