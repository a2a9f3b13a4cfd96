package io.wharf.server.catalog;

import io.wharf.server.pkg.StoredJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.conda.license.LicenseFamilies;
import io.wharf.conda.license.LicenseFamily;
import io.wharf.server.pkg.PackageFile;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a package file says about itself, read from the metadata stored at upload: license and family,
 * summary, description and links. {@code index.json} wins over {@code about.json} for the license, as
 * conda-build writes the recipe's license into both and index.json is what the channel serves.
 */
public record FileFacts(String license, LicenseFamily licenseFamily, String summary, String description,
    String home, String devUrl, String docUrl) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Families by (license_family, license) texts: classifying is a pure function of the two and costs
   * more than reading a file's metadata, while a channel holds few distinct pairs. Emptied when full.
   */
  private static final int MAX_CLASSIFIED = 4_096;
  private static final Map<List<String>, LicenseFamily> CLASSIFIED = new ConcurrentHashMap<>();

  public static FileFacts of(PackageFile f) {
    JsonNode index = StoredJson.parse(f.indexFields());
    JsonNode about = f.aboutJson() == null ? JSON.createObjectNode() : StoredJson.parse(f.aboutJson());
    String license = firstText(index, about, "license");
    String family = firstText(index, about, "license_family");
    return new FileFacts(license, classify(family, license),
        oneLine(text(about, "summary")), text(about, "description"), text(about, "home"),
        text(about, "dev_url"), text(about, "doc_url"));
  }

  /**
   * {@code of(f).licenseFamily()} without building the rest: the search index asks this of every file
   * stored, so only the two license fields are read from the metadata.
   */
  public static LicenseFamily licenseFamilyOf(PackageFile f) {
    Map<String, String> index = LicenseFields.read(f.indexFields());
    Map<String, String> about = null;
    String[] v = new String[2];
    for (int i = 0; i < 2; i++) {
      String field = LicenseFields.FIELDS.get(i);
      v[i] = index.getOrDefault(field, "");
      if (v[i].isEmpty() && f.aboutJson() != null) {
        about = about == null ? LicenseFields.read(f.aboutJson()) : about;
        v[i] = about.getOrDefault(field, "");
      }
    }
    return classify(v[1], v[0]);
  }

  private static LicenseFamily classify(String family, String license) {
    List<String> key = java.util.Arrays.asList(family, license);
    LicenseFamily known = CLASSIFIED.get(key);
    if (known != null) {
      return known;
    }
    LicenseFamily derived = LicenseFamilies.classify(family.isEmpty() ? null : family, license);
    if (CLASSIFIED.size() >= MAX_CLASSIFIED) {
      CLASSIFIED.clear();
    }
    CLASSIFIED.put(key, derived);
    return derived;
  }

  private static String firstText(JsonNode index, JsonNode about, String field) {
    String v = text(index, field);
    return v.isEmpty() ? text(about, field) : v;
  }

  static String text(JsonNode node, String field) {
    JsonNode n = node.get(field);
    return n == null || n.isNull() || !n.isValueNode() ? "" : n.asText().trim();
  }

  // channeldata does the same for summaries (CONDA.md §1.4).
  private static String oneLine(String s) {
    return s.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
  }

}
