package io.wharf.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.wharf.conda.license.LicenseFamily;
import io.wharf.server.error.WharfException;
import io.wharf.server.mirror.policy.Policy;
import io.wharf.server.mirror.policy.PolicyFilters;
import io.wharf.server.ui.Pages;
import io.wharf.server.ui.PoliciesPage;
import io.wharf.server.vuln.CveStatus;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The policy form of the create and edit pages: its fields as the API's {@code filters} object (so
 * {@link PolicyFilters#fromJson} judges a form exactly as an API body), the form as typed, and the form
 * filled from a stored policy.
 */
final class PolicyForms {
  private static final List<String> LISTS = List.of("license_in", "license_not_in", "cve_status_in",
      "cve_status_not_in");

  private PolicyForms() {}

  /** The form's fields as the API's {@code filters} object: only those given. */
  static ObjectNode filters(Context ctx) {
    ObjectNode f = JsonNodeFactory.instance.objectNode();
    putList(f, "subdirs", split(ctx.formParam("subdirs"), "[,\\s]+"));
    putList(f, "include", split(ctx.formParam("include"), "\\R"));
    putList(f, "exclude", split(ctx.formParam("exclude"), "\\R"));
    for (String field : LISTS) {
      putList(f, field, ctx.formParams(field));
    }
    for (String field : List.of("cve_score_min", "cve_score_max")) {
      String v = blankToNull(ctx.formParam(field));
      if (v != null) {
        try {
          f.put(field, Double.parseDouble(v));
        } catch (NumberFormatException e) {
          throw invalid(field, "'" + field + "' is a number, not " + v);
        }
      }
    }
    for (String field : List.of("newer_than_days", "older_than_days")) {
      String v = blankToNull(ctx.formParam(field));
      if (v != null) {
        try {
          f.put(field, Integer.parseInt(v));
        } catch (NumberFormatException e) {
          throw invalid(field, "'" + field + "' is a whole number of days, not " + v);
        }
      }
    }
    for (String field : List.of("signed_only", "drop_tar_bz2", "include_dependencies")) {
      if ("true".equals(ctx.formParam(field))) {
        f.put(field, true);
      }
    }
    return f;
  }

  /** The form with every field empty. */
  static PoliciesPage.Form empty() {
    return new PoliciesPage.Form("", "", "", "", "", families(Set.of()), families(Set.of()), "", "",
        statuses(Set.of()), statuses(Set.of()), "", "", false, false, false);
  }

  /** The form as the request typed it, to show again with the reason it was refused. */
  static PoliciesPage.Form typed(Context ctx) {
    return new PoliciesPage.Form(text(ctx, "name"), text(ctx, "description"), text(ctx, "subdirs"),
        text(ctx, "include"), text(ctx, "exclude"), families(Set.copyOf(ctx.formParams("license_in"))),
        families(Set.copyOf(ctx.formParams("license_not_in"))), text(ctx, "cve_score_min"),
        text(ctx, "cve_score_max"), statuses(Set.copyOf(ctx.formParams("cve_status_in"))),
        statuses(Set.copyOf(ctx.formParams("cve_status_not_in"))), text(ctx, "newer_than_days"),
        text(ctx, "older_than_days"), "true".equals(ctx.formParam("signed_only")),
        "true".equals(ctx.formParam("drop_tar_bz2")), "true".equals(ctx.formParam("include_dependencies")));
  }

  /**
   * The form holding the policy's current filters, written as the form reads them back: submitted unchanged,
   * it gives the same filters.
   */
  static PoliciesPage.Form of(Policy p) {
    PolicyFilters f = p.filters();
    return new PoliciesPage.Form(p.name(), p.description() == null ? "" : p.description(),
        String.join(", ", f.subdirs()), String.join("\n", f.include()), String.join("\n", f.exclude()),
        families(f.licenseIn().stream().map(LicenseFamily::label).collect(Collectors.toSet())),
        families(f.licenseNotIn().stream().map(LicenseFamily::label).collect(Collectors.toSet())),
        number(f.cveScoreMin()), number(f.cveScoreMax()),
        statuses(f.cveStatusIn().stream().map(CveStatus::label).collect(Collectors.toSet())),
        statuses(f.cveStatusNotIn().stream().map(CveStatus::label).collect(Collectors.toSet())),
        f.newerThanDays() == null ? "" : f.newerThanDays().toString(),
        f.olderThanDays() == null ? "" : f.olderThanDays().toString(),
        f.signedOnly(), f.dropTarBz2(), f.includeDependencies());
  }

  /** A policy's filters as "name: values" lines, one per filter that is set, for the list of policies. */
  static List<String> lines(Policy p) {
    List<String> filters = new ArrayList<>();
    p.filters().toJson().fields().forEachRemaining(e -> filters.add(e.getKey() + ": " + (e.getValue().isArray()
        ? String.join(", ", texts(e.getValue())) : e.getValue().asText())));
    return filters;
  }

  static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v.trim();
  }

  /** 7.5 as "7.5" and 9.0 as "9", as a person would type them. */
  private static String number(Double v) {
    return v == null ? "" : BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  private static List<Pages.Option> families(Set<String> checked) {
    return Arrays.stream(LicenseFamily.values())
        .map(f -> new Pages.Option(f.label(), f.label(), checked.contains(f.label()))).toList();
  }

  private static List<Pages.Option> statuses(Set<String> checked) {
    return Arrays.stream(CveStatus.values())
        .map(s -> new Pages.Option(s.label(), s.label(), checked.contains(s.label()))).toList();
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }

  private static void putList(ObjectNode f, String field, List<String> values) {
    if (values != null && !values.isEmpty()) {
      values.forEach(f.putArray(field)::add);
    }
  }

  private static List<String> split(String text, String separator) {
    if (text == null) {
      return List.of();
    }
    return Arrays.stream(text.split(separator)).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static String text(Context ctx, String field) {
    String v = ctx.formParam(field);
    return v == null ? "" : v;
  }

  private static WharfException invalid(String field, String message) {
    return WharfException.invalid("invalid_policy", message, Map.of("field", field));
  }
}
