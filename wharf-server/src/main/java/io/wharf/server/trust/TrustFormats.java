package io.wharf.server.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.conda.repodata.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Shared pieces of the conda-content-trust formats (CONDA.md §6). */
public final class TrustFormats {
  public static final ObjectMapper JSON = new ObjectMapper();
  /** The metadata specification version conda-content-trust writes and expects. */
  public static final String SPEC_VERSION = "0.6.0";
  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
      .withZone(ZoneOffset.UTC);

  private TrustFormats() {}

  /** The bytes signed for {@code node}: {@code json.dumps(node, indent=2, sort_keys=True)} as UTF-8. */
  public static byte[] canonical(JsonNode node) {
    return CanonicalJson.serialize(node).getBytes(StandardCharsets.UTF_8);
  }

  /** {@code YYYY-MM-DDTHH:MM:SSZ}, the only date form the metadata accepts. */
  public static String date(Instant t) {
    return UTC.format(t.truncatedTo(ChronoUnit.SECONDS));
  }

  /** Lowercase hex of exactly {@code length} characters (conda-content-trust refuses uppercase). */
  public static boolean isHex(String s, int length) {
    if (s == null || s.length() != length) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** Any non-empty lowercase hex string of even length. */
  public static boolean isHex(String s) {
    return s != null && !s.isEmpty() && s.length() % 2 == 0 && isHex(s, s.length());
  }
}
