package io.wharf.conda.license;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The license fixtures (see license/PROVENANCE.md in the fixtures directory). */
final class LicenseFixtures {

  private LicenseFixtures() {}

  /** A license string (null when the fixture has JSON null) and the family expected for it. */
  record Case(String license, String family) {}

  static JsonNode read(String name) {
    Path file = Path.of(System.getProperty("wharf.fixtures", "../fixtures")).resolve("license").resolve(name);
    try {
      return new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A data file that ships with wharf-conda beside the license classes (one copy, read by tests as it is). */
  static JsonNode bundled(String name) {
    try (InputStream in = LicenseFixtures.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Case> cases(String name, String familyField) {
    List<Case> out = new ArrayList<>();
    for (JsonNode c : read(name).path("cases")) {
      JsonNode license = c.get("license");
      out.add(new Case(license == null || license.isNull() ? null : license.asText(), c.path(familyField).asText()));
    }
    return out;
  }
}
