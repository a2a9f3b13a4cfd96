package io.wharf.server.web;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.wharf.conda.license.LicenseFamily;
import io.wharf.server.auth.AuthServices;
import io.wharf.server.auth.Authenticator;
import io.wharf.server.error.WharfException;
import io.wharf.server.mirror.MirrorService;
import io.wharf.server.mirror.policy.Policy;
import io.wharf.server.mirror.policy.PolicyFilters;
import io.wharf.server.ui.Format;
import io.wharf.server.ui.Pages;
import io.wharf.server.ui.PoliciesPage;
import io.wharf.server.vuln.CveStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /policies} (administrators, as {@code /api/policies}): the mirror policies and a form creating one.
 * The form's fields become the same filters object the API takes, so {@link PolicyFilters#fromJson} judges
 * both alike; a refused policy shows the service's message above the form, which keeps what was typed.
 */
final class PolicyPages {
  private static final List<String> LISTS = List.of("license_in", "license_not_in", "cve_status_in",
      "cve_status_not_in");
  private final MirrorService mirrors;
  private final AuthServices auth;
  private final PageRenderer pages;

  PolicyPages(MirrorService mirrors, AuthServices auth, PageRenderer pages) {
    this.mirrors = mirrors;
    this.auth = auth;
    this.pages = pages;
  }

  void register(RoutesConfig routes) {
    routes.get("/policies", ctx -> show(ctx, null, null));
    routes.post("/policies", this::create);
    routes.post("/policies/{name}/delete", this::delete);
  }

  private void show(Context ctx, PoliciesPage.Form form, String error) {
    Authenticator.requireAdmin(RequestAuth.principal(ctx, auth));
    List<PoliciesPage.PolicyRow> rows = mirrors.policies().list().stream().map(PolicyPages::row).toList();
    pages.render(ctx, "policies.jte", new PoliciesPage(rows, form == null ? form(ctx, false) : form, error));
  }

  private void create(Context ctx) {
    Authenticator.requireAdmin(RequestAuth.principal(ctx, auth));
    try {
      mirrors.policies().create(blankToNull(ctx.formParam("name")), blankToNull(ctx.formParam("description")),
          PolicyFilters.fromJson(filters(ctx)));
    } catch (WharfException e) {
      if (e.kind() != WharfException.Kind.INVALID && e.kind() != WharfException.Kind.CONFLICT) {
        throw e;
      }
      ctx.status(e.kind() == WharfException.Kind.CONFLICT ? 409 : 400);
      show(ctx, form(ctx, true), e.getMessage());
      return;
    }
    ctx.redirect("/policies", HttpStatus.SEE_OTHER);
  }

  /** As the API's delete: a policy mirrors follow stays, and the page says which mirrors (409). */
  private void delete(Context ctx) {
    Authenticator.requireAdmin(RequestAuth.principal(ctx, auth));
    try {
      mirrors.policies().delete(ctx.pathParam("name"));
    } catch (WharfException e) {
      if (e.kind() != WharfException.Kind.CONFLICT && e.kind() != WharfException.Kind.NOT_FOUND) {
        throw e;
      }
      ctx.status(e.kind() == WharfException.Kind.CONFLICT ? 409 : 404);
      show(ctx, null, e.getMessage());
      return;
    }
    ctx.redirect("/policies", HttpStatus.SEE_OTHER);
  }

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

  /** The form as typed ({@code typed}), or empty. */
  private static PoliciesPage.Form form(Context ctx, boolean typed) {
    return new PoliciesPage.Form(typed ? text(ctx, "name") : "", typed ? text(ctx, "description") : "",
        typed ? text(ctx, "subdirs") : "", typed ? text(ctx, "include") : "", typed ? text(ctx, "exclude") : "",
        families(typed ? Set.copyOf(ctx.formParams("license_in")) : Set.of()),
        families(typed ? Set.copyOf(ctx.formParams("license_not_in")) : Set.of()),
        typed ? text(ctx, "cve_score_min") : "", typed ? text(ctx, "cve_score_max") : "",
        statuses(typed ? Set.copyOf(ctx.formParams("cve_status_in")) : Set.of()),
        statuses(typed ? Set.copyOf(ctx.formParams("cve_status_not_in")) : Set.of()),
        typed ? text(ctx, "newer_than_days") : "", typed ? text(ctx, "older_than_days") : "",
        typed && "true".equals(ctx.formParam("signed_only")), typed && "true".equals(ctx.formParam("drop_tar_bz2")),
        typed && "true".equals(ctx.formParam("include_dependencies")));
  }

  private static List<Pages.Option> families(Set<String> checked) {
    return Arrays.stream(LicenseFamily.values())
        .map(f -> new Pages.Option(f.label(), f.label(), checked.contains(f.label()))).toList();
  }

  private static List<Pages.Option> statuses(Set<String> checked) {
    return Arrays.stream(CveStatus.values())
        .map(s -> new Pages.Option(s.label(), s.label(), checked.contains(s.label()))).toList();
  }

  private static PoliciesPage.PolicyRow row(Policy p) {
    List<String> filters = new ArrayList<>();
    p.filters().toJson().fields().forEachRemaining(e -> filters.add(e.getKey() + ": " + (e.getValue().isArray()
        ? String.join(", ", texts(e.getValue())) : e.getValue().asText())));
    return new PoliciesPage.PolicyRow(p.name(), p.description() == null ? "" : p.description(), filters,
        Format.time(p.createdAt()));
  }

  private static List<String> texts(com.fasterxml.jackson.databind.JsonNode array) {
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

  private static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static WharfException invalid(String field, String message) {
    return WharfException.invalid("invalid_policy", message, Map.of("field", field));
  }
}
