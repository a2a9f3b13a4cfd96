package io.wharf.server.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Content storage for package files and derived artifacts. Keys follow {@link BlobKeys}; every method
 * rejects an invalid key with {@link IllegalArgumentException} before touching storage.
 */
public interface BlobStore extends AutoCloseable {

  /** Copies the local file to key. Atomic: readers see no object or the complete one; a failure leaves nothing at key. */
  void put(String key, Path source) throws IOException;

  /** As {@link #put(String, Path)}, from a local file or from bytes in memory. */
  void put(String key, BlobSource source) throws IOException;

  /**
   * Stores several sources, each to its key, with the guarantees of {@link #put} for each; returns
   * once all are stored. An invalid key stores nothing; a failure while storing may leave some stored
   * and others not. Stores that can make many
   * writes durable together override this; the default puts one after another.
   */
  default void putAll(java.util.Map<String, BlobSource> puts) throws IOException {
    puts.keySet().forEach(BlobKeys::requireValid); // a bad key stores nothing
    for (java.util.Map.Entry<String, BlobSource> e : puts.entrySet()) {
      put(e.getKey(), e.getValue());
    }
  }

  /** Size in bytes, or empty when absent. */
  Optional<Long> size(String key) throws IOException;

  /** When the object was last written, or empty when absent; a put of the same key renews it. */
  Optional<java.time.Instant> modified(String key) throws IOException;

  /** Whole object; throws BlobNotFoundException when absent. */
  InputStream open(String key) throws IOException;

  /**
   * Bytes [offset, offset+length); throws BlobNotFoundException when absent and {@link java.io.EOFException}
   * when the range reaches past the end of the object. A zero-length range at any offset up to the size is empty.
   */
  InputStream openRange(String key, long offset, long length) throws IOException;

  /**
   * The object as a file on this machine, for servers that map it instead of streaming it; empty when
   * absent or when this store keeps no local files. The file is never changed in place.
   */
  default Optional<Path> localFile(String key) throws IOException {
    return Optional.empty();
  }

  /** True when something was deleted. */
  boolean delete(String key) throws IOException;

  /** Keys starting with prefix (a plain string prefix, as in S3), sorted; "" lists everything. */
  List<String> list(String prefix) throws IOException;

  /** Cheap readiness probe (directory writable / bucket reachable). */
  void check() throws IOException;

  @Override
  void close();
}
