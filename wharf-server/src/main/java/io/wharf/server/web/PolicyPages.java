package io.wharf.server.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.wharf.server.auth.AuthServices;
import io.wharf.server.auth.Authenticator;
import io.wharf.server.error.WharfException;
import io.wharf.server.mirror.MirrorService;
import io.wharf.server.mirror.policy.Policy;
import io.wharf.server.mirror.policy.PolicyFilters;
import io.wharf.server.ui.Format;
import io.wharf.server.ui.PoliciesPage;
import io.wharf.server.ui.PolicyEditPage;
import java.util.List;

/**
 * {@code /policies} (administrators, as {@code /api/policies}): the mirror policies, a form creating one and,
 * at {@code /policies/{name}/edit}, a form replacing one's description and filters. The forms' fields become
 * the same filters object the API takes ({@link PolicyForms}), so {@link PolicyFilters#fromJson} judges both
 * alike; a refused policy shows the service's message above the form, which keeps what was typed.
 */
final class PolicyPages {
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
    routes.get("/policies/{name}/edit", this::editForm);
    routes.post("/policies/{name}/edit", this::edit);
    routes.post("/policies/{name}/delete", this::delete);
  }

  private void show(Context ctx, PoliciesPage.Form form, String error) {
    Authenticator.requireAdmin(RequestAuth.principal(ctx, auth));
    List<PoliciesPage.PolicyRow> rows = mirrors.policies().list().stream().map(PolicyPages::row).toList();
    pages.render(ctx, "policies.jte", new PoliciesPage(rows, form == null ? PolicyForms.empty() : form, error));
  }

  private void create(Context ctx) {
    Authenticator.requireAdmin(RequestAuth.principal(ctx, auth));
    try {
      mirrors.policies().create(PolicyForms.blankToNull(ctx.formParam("name")),
          PolicyForms.blankToNull(ctx.formParam("description")), PolicyFilters.fromJson(PolicyForms.filters(ctx)));
    } catch (WharfException e) {
      if (e.kind() != WharfException.Kind.INVALID && e.kind() != WharfException.Kind.CONFLICT) {
        throw e;
      }
      ctx.status(e.kind() == WharfException.Kind.CONFLICT ? 409 : 400);
      show(ctx, PolicyForms.typed(ctx), e.getMessage());
      return;
    }
    ctx.redirect("/policies", HttpStatus.SEE_OTHER);
  }

  /** The edit form, holding the policy's current description and filters; 404 for an unknown policy. */
  private void editForm(Context ctx) {
    Authenticator.requireAdmin(RequestAuth.principal(ctx, auth));
    Policy p = mirrors.policies().require(ctx.pathParam("name"));
    pages.render(ctx, "policy-edit.jte", editPage(p, PolicyForms.of(p), null));
  }

  /**
   * As the API's replace ({@code PUT /api/policies/{name}}, the same service call): the description and the
   * filters are replaced as a whole (a field left empty clears that filter); the name is the path's. A
   * refusal shows the form again as typed (400) and changes nothing.
   */
  private void edit(Context ctx) {
    Authenticator.requireAdmin(RequestAuth.principal(ctx, auth));
    Policy current = mirrors.policies().require(ctx.pathParam("name"));
    try {
      mirrors.policies().update(current.name(), PolicyForms.blankToNull(ctx.formParam("description")),
          PolicyFilters.fromJson(PolicyForms.filters(ctx)));
    } catch (WharfException e) {
      if (e.kind() != WharfException.Kind.INVALID) {
        throw e;
      }
      ctx.status(400);
      pages.render(ctx, "policy-edit.jte", editPage(current, PolicyForms.typed(ctx), e.getMessage()));
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

  private PolicyEditPage editPage(Policy p, PoliciesPage.Form form, String error) {
    return new PolicyEditPage(p.name(), Format.time(p.createdAt()), Format.time(p.updatedAt()),
        mirrors.policies().followers(p.name()), form, error);
  }

  private static PoliciesPage.PolicyRow row(Policy p) {
    return new PoliciesPage.PolicyRow(p.name(), p.description() == null ? "" : p.description(),
        PolicyForms.lines(p), Format.time(p.createdAt()));
  }
}
