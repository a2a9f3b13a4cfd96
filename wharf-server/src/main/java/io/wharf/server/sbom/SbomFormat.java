package io.wharf.server.sbom;

import io.wharf.server.error.WharfException;
import java.util.Locale;
import java.util.Map;

/** The SBOM formats Wharf writes: SPDX 2.3 JSON (the default) and CycloneDX 1.6 JSON. */
public enum SbomFormat {
  SPDX("spdx", ".spdx.json", "application/spdx+json"),
  CYCLONEDX("cyclonedx", ".cdx.json", "application/vnd.cyclonedx+json; version=1.6");

  private final String key;
  private final String suffix;
  private final String contentType;

  SbomFormat(String key, String suffix, String contentType) {
    this.key = key;
    this.suffix = suffix;
    this.contentType = contentType;
  }

  public String key() {
    return key;
  }

  /** The download's file name suffix (the SPDX and CycloneDX specifications' recommended extensions). */
  public String suffix() {
    return suffix;
  }

  public String contentType() {
    return contentType;
  }

  /** {@code spdx} (also when absent) or {@code cyclonedx}. */
  public static SbomFormat parse(String value) {
    if (value == null || value.isEmpty()) {
      return SPDX;
    }
    for (SbomFormat f : values()) {
      if (f.key.equals(value.toLowerCase(Locale.ROOT))) {
        return f;
      }
    }
    throw WharfException.invalid("invalid_format", "format must be spdx or cyclonedx, not '" + value + "'",
        Map.of("format", value));
  }
}
