package io.wharf.server.index;

import com.github.luben.zstd.Zstd;
import io.wharf.server.index.store.Segment;
import io.wharf.server.index.store.SegmentedDoc;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

/**
 * Assembles a published JSON document from fixed text and the parts of a segmented document, in three
 * encodings: plain, zstd and gzip. The compressed forms are concatenations of one frame (or member) per
 * piece, which every zstd and gzip reader decodes as one stream (RFC 8878 §3.1, RFC 1952 §2.2), so a
 * change recompresses only the segments it touched. The ETag is a hash over the segments' hashes.
 */
final class DocArtifacts {
  private static final Map<String, byte[]> ZSTD_FRAMES = new ConcurrentHashMap<>();
  private static final Map<String, byte[]> GZIP_MEMBERS = new ConcurrentHashMap<>();
  private static final int MAX_CACHED = 4_096;

  private DocArtifacts() {}

  /** The plain JSON (with its gzip form) and the zstd form of {@code texts[0] part[0] texts[1] part[1] ... texts[n]}. */
  record Pair(Artifact json, Artifact zst) {}

  static Pair assemble(SegmentedDoc doc, List<String> texts, int[] parts, String cacheControl, long now,
      Artifact previousJson, Artifact previousZst) {
    List<ByteBuffer> plain = new ArrayList<>();
    List<ByteBuffer> zst = new ArrayList<>();
    List<ByteBuffer> gz = new ArrayList<>();
    MessageDigest md = sha256();
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      byte[] t = text.getBytes(StandardCharsets.UTF_8);
      plain.add(ByteBuffer.wrap(t).asReadOnlyBuffer());
      zst.add(ByteBuffer.wrap(zstdFrame(text)).asReadOnlyBuffer());
      gz.add(ByteBuffer.wrap(gzipMember(text)).asReadOnlyBuffer());
      md.update(t);
      md.update((byte) 0);
      if (i == parts.length) {
        break;
      }
      int part = parts[i];
      boolean first = true;
      for (Segment s : doc.segments()) {
        if (s.isEmpty(part)) {
          continue;
        }
        if (!first) {
          plain.add(ByteBuffer.wrap(COMMA).asReadOnlyBuffer());
          zst.add(ByteBuffer.wrap(zstdFrame(",")).asReadOnlyBuffer());
          gz.add(ByteBuffer.wrap(gzipMember(",")).asReadOnlyBuffer());
        }
        first = false;
        plain.add(s.text(part));
        zst.add(s.zst(part));
        gz.add(s.gz(part));
        md.update(s.hash(part));
      }
      md.update((byte) 1);
    }
    byte[] digest = md.digest();
    String etag = "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
    String zstEtag = "\"" + HexFormat.of().formatHex(digest, 16, 32) + "\"";
    Artifact json = new Artifact(Artifact.Body.of(plain), Artifact.Body.of(gz), etag, now, Artifact.JSON,
        cacheControl).since(previousJson);
    Artifact z = new Artifact(Artifact.Body.of(zst), null, zstEtag, now, Artifact.BINARY, cacheControl)
        .since(previousZst);
    return new Pair(json, z);
  }

  private static final byte[] COMMA = {','};

  static byte[] zstdFrame(String text) {
    byte[] cached = ZSTD_FRAMES.get(text);
    if (cached == null) {
      cached = Zstd.compress(text.getBytes(StandardCharsets.UTF_8), 3);
      if (ZSTD_FRAMES.size() < MAX_CACHED) {
        ZSTD_FRAMES.put(text, cached);
      }
    }
    return cached;
  }

  static byte[] gzipMember(String text) {
    byte[] cached = GZIP_MEMBERS.get(text);
    if (cached == null) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream g = new GZIPOutputStream(out)) {
        g.write(text.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      cached = out.toByteArray();
      if (GZIP_MEMBERS.size() < MAX_CACHED) {
        GZIP_MEMBERS.put(text, cached);
      }
    }
    return cached;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
