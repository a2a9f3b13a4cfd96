package io.wharf.conda.metadata;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * {@code info/about.json} (CEP 34). Only descriptive text lives here, so fields of an unexpected type read
 * as absent instead of failing the package; the file itself must still be a JSON object.
 */
public final class AboutJson {
  private final ObjectNode raw;

  private AboutJson(ObjectNode raw) {
    this.raw = raw;
  }

  public static AboutJson parse(byte[] json) throws InvalidMetadataException {
    return new AboutJson(Json.readObject(json, "invalid_about_json", "info/about.json"));
  }

  public ObjectNode raw() {
    return raw.deepCopy();
  }

  public Optional<String> summary() {
    return Json.text(raw, "summary");
  }

  public Optional<String> description() {
    return Json.text(raw, "description");
  }

  public Optional<String> home() {
    return Json.text(raw, "home");
  }

  public Optional<String> devUrl() {
    return Json.text(raw, "dev_url");
  }

  public Optional<String> docUrl() {
    return Json.text(raw, "doc_url");
  }

  public Optional<String> license() {
    return Json.text(raw, "license");
  }

  public Optional<String> licenseFamily() {
    return Json.text(raw, "license_family");
  }

  public List<String> keywords() {
    return Json.lenientStrings(raw, "keywords");
  }

  public List<String> tags() {
    return Json.lenientStrings(raw, "tags");
  }

  public List<String> identifiers() {
    return Json.lenientStrings(raw, "identifiers");
  }
}
