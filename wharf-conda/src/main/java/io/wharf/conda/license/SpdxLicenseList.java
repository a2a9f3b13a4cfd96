package io.wharf.conda.license;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The SPDX License List (version in {@link #version()}) with Wharf's family for each id, read once from the bundled
 * {@code spdx-id-to-family.json} (see PROVENANCE.md beside it).
 */
public final class SpdxLicenseList {

  /** One SPDX license id and the Wharf family it belongs to. */
  public record Entry(String spdxId, String name, boolean deprecated, boolean osiApproved, LicenseFamily family) {}

  private static final String RESOURCE = "spdx-id-to-family.json";

  private final String version;
  private final Map<String, Entry> byLowerCaseId;

  private SpdxLicenseList(String version, Map<String, Entry> byLowerCaseId) {
    this.version = version;
    this.byLowerCaseId = byLowerCaseId;
  }

  private static final class Holder {
    static final SpdxLicenseList INSTANCE = load();
  }

  public static SpdxLicenseList bundled() {
    return Holder.INSTANCE;
  }

  public String version() {
    return version;
  }

  public int size() {
    return byLowerCaseId.size();
  }

  /** The entry for an SPDX id; SPDX ids match case-insensitively (SPDX specification, annex on license expressions). */
  public Optional<Entry> find(String spdxId) {
    if (spdxId == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(byLowerCaseId.get(spdxId.toLowerCase(Locale.ROOT)));
  }

  private static SpdxLicenseList load() {
    try (InputStream in = SpdxLicenseList.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      JsonNode root = new ObjectMapper().readTree(in);
      Map<String, Entry> entries = new HashMap<>();
      for (JsonNode license : root.path("licenses")) {
        String id = license.path("spdxId").asText();
        LicenseFamily family = LicenseFamily.fromSlugOrLabel(license.path("seedFamily").asText())
            .orElseThrow(() -> new IllegalStateException("unknown family for SPDX id " + id));
        entries.put(id.toLowerCase(Locale.ROOT), new Entry(id, license.path("name").asText(),
            license.path("deprecated").asBoolean(), license.path("osiApproved").asBoolean(), family));
      }
      return new SpdxLicenseList(root.path("licenseListVersion").asText(), Map.copyOf(entries));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}
