package io.wharf.server.catalog;

import io.wharf.server.pkg.StoredJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.conda.license.LicenseFamilies;
import io.wharf.conda.license.LicenseFamily;
import io.wharf.server.pkg.PackageFile;

/**
 * What a package file says about itself, read from the metadata stored at upload: license and family,
 * summary, description and links. {@code index.json} wins over {@code about.json} for the license, as
 * conda-build writes the recipe's license into both and index.json is what the channel serves.
 */
public record FileFacts(String license, LicenseFamily licenseFamily, String summary, String description,
    String home, String devUrl, String docUrl) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public static FileFacts of(PackageFile f) {
    JsonNode index = StoredJson.parse(f.indexJson());
    JsonNode about = f.aboutJson() == null ? JSON.createObjectNode() : StoredJson.parse(f.aboutJson());
    String license = firstText(index, about, "license");
    String family = firstText(index, about, "license_family");
    return new FileFacts(license, LicenseFamilies.classify(family.isEmpty() ? null : family, license),
        oneLine(text(about, "summary")), text(about, "description"), text(about, "home"),
        text(about, "dev_url"), text(about, "doc_url"));
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
