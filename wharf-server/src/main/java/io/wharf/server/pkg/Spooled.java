package io.wharf.server.pkg;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The size and checksums the server computed itself of a received package file (spooled or in memory). */
record Spooled(long size, String md5, String sha256) {

  /** Copies at most {@code maxBytes}; returns null when the body is longer (the caller refuses it). */
  static Spooled copy(InputStream in, Path target, long maxBytes) throws IOException {
    MessageDigest md5 = digest("MD5");
    MessageDigest sha256 = digest("SHA-256");
    byte[] buf = new byte[64 * 1024];
    long total = 0;
    try (OutputStream out = Files.newOutputStream(target)) {
      int n;
      while ((n = in.read(buf)) != -1) {
        total += n;
        if (total > maxBytes) {
          return null;
        }
        md5.update(buf, 0, n);
        sha256.update(buf, 0, n);
        out.write(buf, 0, n);
      }
    }
    HexFormat hex = HexFormat.of();
    return new Spooled(total, hex.formatHex(md5.digest()), hex.formatHex(sha256.digest()));
  }

  /** The checksums of bytes already in memory. */
  static Spooled of(byte[] bytes) {
    HexFormat hex = HexFormat.of();
    return new Spooled(bytes.length, hex.formatHex(digest("MD5").digest(bytes)),
        hex.formatHex(digest("SHA-256").digest(bytes)));
  }

  private static MessageDigest digest(String name) {
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(name + " is required by the Java platform", e);
    }
  }
}
