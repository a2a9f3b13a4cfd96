package io.wharf.server.mirror.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.conda.license.LicenseFamily;
import io.wharf.conda.pkg.Subdirs;
import io.wharf.conda.spec.MatchSpec;
import io.wharf.server.error.WharfException;
import io.wharf.server.vuln.CveStatus;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The filters of a mirror policy. Every filter left empty (or null) admits everything. Kept as JSON in
 * {@code policies.filters_json}; {@link #fromJson} refuses unknown fields and bad values, naming them.
 *
 * @param include names or MatchSpecs; when given, a record must match one of them
 * @param exclude names or MatchSpecs; a record matching one is excluded
 * @param licenseIn license families (labels or slugs, see {@link LicenseFamily}) a record must be in
 * @param cveScoreMin a file's open CVE score must be at least this (files without open CVEs pass)
 * @param cveScoreMax a file's open CVE score must be at most this
 * @param newerThanDays the record's timestamp must be within this many days
 * @param olderThanDays the record's timestamp must be at least this many days old
 * @param dropTarBz2 drop a {@code .tar.bz2} when a {@code .conda} of the same name-version-build is listed
 * @param includeDependencies widen {@code include} to the dependency closure of the included records
 */
public record PolicyFilters(List<String> subdirs, List<String> include, List<String> exclude,
    List<LicenseFamily> licenseIn, List<LicenseFamily> licenseNotIn, Double cveScoreMin, Double cveScoreMax,
    List<CveStatus> cveStatusIn, List<CveStatus> cveStatusNotIn, Integer newerThanDays, Integer olderThanDays,
    boolean signedOnly, boolean dropTarBz2, boolean includeDependencies) {

  public static final PolicyFilters NONE = new PolicyFilters(List.of(), List.of(), List.of(), List.of(), List.of(),
      null, null, List.of(), List.of(), null, null, false, false, false);

  private static final Set<String> FIELDS = Set.of("subdirs", "include", "exclude", "license_in", "license_not_in",
      "cve_score_min", "cve_score_max", "cve_status_in", "cve_status_not_in", "newer_than_days", "older_than_days",
      "signed_only", "drop_tar_bz2", "include_dependencies");

  public PolicyFilters {
    subdirs = List.copyOf(subdirs);
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
    licenseIn = List.copyOf(licenseIn);
    licenseNotIn = List.copyOf(licenseNotIn);
    cveStatusIn = List.copyOf(cveStatusIn);
    cveStatusNotIn = List.copyOf(cveStatusNotIn);
    for (String s : subdirs) {
      if (!Subdirs.isKnown(s)) {
        throw bad("subdirs", s + " is not a known conda subdir");
      }
    }
    for (String spec : concat(include, exclude)) {
      try {
        MatchSpec.parse(spec);
      } catch (RuntimeException e) {
        throw bad("include", "'" + spec + "' is not a package name or MatchSpec: " + e.getMessage());
      }
    }
    for (Double score : new Double[] {cveScoreMin, cveScoreMax}) {
      if (score != null && (score.isNaN() || score < 0 || score > 10)) {
        throw bad("cve_score", "a CVE score is between 0 and 10, not " + score);
      }
    }
    for (Integer days : new Integer[] {newerThanDays, olderThanDays}) {
      if (days != null && days < 0) {
        throw bad("days", "a number of days is not negative, not " + days);
      }
    }
  }

  public static PolicyFilters fromJson(JsonNode json) {
    if (json == null || json.isNull() || json.isMissingNode()) {
      return NONE;
    }
    if (!json.isObject()) {
      throw bad("filters", "the filters are a JSON object");
    }
    for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw bad(f, "unknown filter '" + f + "'; known: " + String.join(", ", new java.util.TreeSet<>(FIELDS)));
      }
    }
    return new PolicyFilters(texts(json, "subdirs"), texts(json, "include"), texts(json, "exclude"),
        families(json, "license_in"), families(json, "license_not_in"), number(json, "cve_score_min"),
        number(json, "cve_score_max"), statuses(json, "cve_status_in"), statuses(json, "cve_status_not_in"),
        days(json, "newer_than_days"), days(json, "older_than_days"), flag(json, "signed_only"),
        flag(json, "drop_tar_bz2"), flag(json, "include_dependencies"));
  }

  /** Only the filters that are set, in snake_case, as {@link #fromJson} reads them. */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    putList(o, "subdirs", subdirs);
    putList(o, "include", include);
    putList(o, "exclude", exclude);
    putList(o, "license_in", licenseIn.stream().map(LicenseFamily::label).toList());
    putList(o, "license_not_in", licenseNotIn.stream().map(LicenseFamily::label).toList());
    if (cveScoreMin != null) {
      o.put("cve_score_min", cveScoreMin);
    }
    if (cveScoreMax != null) {
      o.put("cve_score_max", cveScoreMax);
    }
    putList(o, "cve_status_in", cveStatusIn.stream().map(CveStatus::label).toList());
    putList(o, "cve_status_not_in", cveStatusNotIn.stream().map(CveStatus::label).toList());
    if (newerThanDays != null) {
      o.put("newer_than_days", newerThanDays);
    }
    if (olderThanDays != null) {
      o.put("older_than_days", olderThanDays);
    }
    if (signedOnly) {
      o.put("signed_only", true);
    }
    if (dropTarBz2) {
      o.put("drop_tar_bz2", true);
    }
    if (includeDependencies) {
      o.put("include_dependencies", true);
    }
    return o;
  }

  private static void putList(ObjectNode o, String field, List<String> values) {
    if (!values.isEmpty()) {
      values.forEach(o.putArray(field)::add);
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static List<String> texts(JsonNode json, String field) {
    JsonNode v = json.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return List.of();
    }
    if (v.isTextual()) {
      return List.of(v.asText());
    }
    if (!v.isArray()) {
      throw bad(field, "'" + field + "' is a list of strings");
    }
    List<String> out = new ArrayList<>();
    v.forEach(e -> {
      if (!e.isTextual() || e.asText().isBlank()) {
        throw bad(field, "'" + field + "' is a list of strings");
      }
      out.add(e.asText().trim());
    });
    return out;
  }

  private static List<LicenseFamily> families(JsonNode json, String field) {
    return texts(json, field).stream().map(t -> LicenseFamily.fromSlugOrLabel(t).orElseThrow(() -> bad(field,
        "'" + t + "' is not a license family (AGPL, GPL2, GPL3, LGPL, BSD, MIT, Apache, PSF, Public Domain,"
            + " Proprietary, Other, None)"))).toList();
  }

  private static List<CveStatus> statuses(JsonNode json, String field) {
    return texts(json, field).stream().map(CveStatus::parse).toList();
  }

  private static Double number(JsonNode json, String field) {
    JsonNode v = json.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      throw bad(field, "'" + field + "' is a number");
    }
    return v.asDouble();
  }

  private static Integer days(JsonNode json, String field) {
    JsonNode v = json.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw bad(field, "'" + field + "' is a whole number of days");
    }
    return v.asInt();
  }

  private static boolean flag(JsonNode json, String field) {
    JsonNode v = json.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw bad(field, "'" + field + "' is true or false");
    }
    return v.asBoolean();
  }

  private static WharfException bad(String field, String message) {
    return WharfException.invalid("invalid_policy", message, java.util.Map.of("field", field));
  }
}
