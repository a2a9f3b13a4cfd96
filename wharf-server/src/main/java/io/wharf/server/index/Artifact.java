package io.wharf.server.index;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One published metadata file: its body as a list of byte buffers (mapped segments of a larger
 * document, or one small buffer), an optional gzip body for JSON, a strong ETag over exactly those
 * bytes, and when it last changed. Immutable; a new publication replaces the whole object.
 */
public record Artifact(Body body, Body gzip, String etag, long lastModified, String contentType,
    String cacheControl) {

  public static final String JSON = "application/json";
  public static final String BINARY = "application/octet-stream";

  /** Bytes in pieces; the pieces are read-only views and may live outside the heap. */
  public record Body(List<ByteBuffer> parts, long length) {
    public static Body of(List<ByteBuffer> parts) {
      long n = 0;
      for (ByteBuffer b : parts) {
        n += b.remaining();
      }
      return new Body(List.copyOf(parts), n);
    }

    public static Body of(byte[] bytes) {
      return new Body(List.of(ByteBuffer.wrap(bytes).asReadOnlyBuffer()), bytes.length);
    }

    public void writeTo(OutputStream out) throws IOException {
      WritableByteChannel ch = Channels.newChannel(out);
      for (ByteBuffer b : parts) {
        ByteBuffer view = b.duplicate();
        while (view.hasRemaining()) {
          ch.write(view);
        }
      }
    }

    /** The whole body in one array; for tests and small artifacts. */
    public byte[] bytes() {
      byte[] out = new byte[Math.toIntExact(length)];
      int at = 0;
      for (ByteBuffer b : parts) {
        ByteBuffer view = b.duplicate();
        int n = view.remaining();
        view.get(out, at, n);
        at += n;
      }
      return out;
    }
  }

  /** The identity bytes, in one array; for tests and small artifacts. */
  public byte[] bytes() {
    return body.bytes();
  }

  public static Artifact small(byte[] bytes, long lastModified, String contentType, String cacheControl) {
    return new Artifact(Body.of(bytes), null, etagOf(bytes), lastModified, contentType, cacheControl);
  }

  /** Keeps the previous modification time when the bytes did not change, so revalidation stays cheap. */
  Artifact since(Artifact previous) {
    if (previous != null && previous.etag.equals(etag)) {
      return new Artifact(body, gzip, etag, previous.lastModified, contentType, cacheControl);
    }
    return this;
  }

  static String etagOf(byte[] bytes) {
    return "\"" + HexFormat.of().formatHex(sha256(bytes), 0, 16) + "\"";
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
