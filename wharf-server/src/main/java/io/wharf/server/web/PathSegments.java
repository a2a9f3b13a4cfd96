package io.wharf.server.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Splits a raw request path into decoded segments. Only {@code %XX} is decoded ({@code +} stays a plus,
 * as versions like {@code 1.0+local} need), and a segment that decodes to a separator, {@code .},
 * {@code ..} or a control character makes the whole path invalid.
 */
final class PathSegments {
  private PathSegments() {}

  static Optional<List<String>> split(String rawPath) {
    List<String> out = new ArrayList<>();
    for (String raw : rawPath.split("/", -1)) {
      if (raw.isEmpty()) {
        continue;
      }
      Optional<String> seg = decode(raw);
      if (seg.isEmpty()) {
        return Optional.empty();
      }
      String s = seg.get();
      if (s.equals(".") || s.equals("..") || s.indexOf('/') >= 0 || s.indexOf('\\') >= 0
          || s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        return Optional.empty();
      }
      out.add(s);
    }
    return Optional.of(out);
  }

  private static Optional<String> decode(String raw) {
    if (raw.indexOf('%') < 0) {
      return Optional.of(raw);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length() || !HexFormat.isHexDigit(raw.charAt(i + 1)) || !HexFormat.isHexDigit(raw.charAt(i + 2))) {
          return Optional.empty();
        }
        bytes.write(HexFormat.fromHexDigits(raw, i + 1, i + 3));
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(b, 0, b.length);
      }
    }
    return Optional.of(bytes.toString(StandardCharsets.UTF_8));
  }
}
