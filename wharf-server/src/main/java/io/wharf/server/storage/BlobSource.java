package io.wharf.server.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bytes of a blob to store: a local file (an upload's spool file) or bytes held in memory (the small
 * files of a bulk import, which then cost no temporary file to create, read back and delete).
 */
public sealed interface BlobSource {
  long size() throws IOException;

  InputStream open() throws IOException;

  static BlobSource of(Path file) {
    return new OfFile(file);
  }

  static BlobSource of(byte[] bytes) {
    return new OfBytes(bytes);
  }

  record OfFile(Path path) implements BlobSource {
    @Override
    public long size() throws IOException {
      return Files.size(path);
    }

    @Override
    public InputStream open() throws IOException {
      return Files.newInputStream(path);
    }
  }

  /** The array is not copied: its owner must not change it afterwards. */
  record OfBytes(byte[] bytes) implements BlobSource {
    @Override
    public long size() {
      return bytes.length;
    }

    @Override
    public InputStream open() {
      return new ByteArrayInputStream(bytes);
    }
  }
}
