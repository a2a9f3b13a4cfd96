package io.wharf.server.badge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A rendered badge: what it says and its SVG. */
public record Badge(String label, String message, String svg) {

  public byte[] bytes() {
    return svg.getBytes(StandardCharsets.UTF_8);
  }

  /** A strong validator of the bytes: equal badges give equal ETags on every node. */
  public String etag() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes());
      return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
