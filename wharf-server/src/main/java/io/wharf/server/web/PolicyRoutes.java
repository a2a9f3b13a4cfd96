package io.wharf.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.wharf.server.auth.Action;
import io.wharf.server.auth.AuthServices;
import io.wharf.server.auth.Authenticator;
import io.wharf.server.auth.Principal;
import io.wharf.server.error.WharfException;
import io.wharf.server.mirror.Mirror;
import io.wharf.server.mirror.MirrorService;
import io.wharf.server.mirror.policy.Decision;
import io.wharf.server.mirror.policy.Policy;
import io.wharf.server.mirror.policy.PolicyFilters;
import io.wharf.server.mirror.policy.PolicyService;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Mirror policies (administrators: create, list, show, replace, delete), a mirror's policy (set by whoever manages the
 * mirror) and a mirror's dry run: what a run would take in and why each other file is kept out, as JSON
 * or, with {@code ?format=csv}, CSV.
 */
final class PolicyRoutes {
  private final MirrorService mirrors;
  private final PolicyService policies;
  private final AuthServices auth;

  PolicyRoutes(MirrorService mirrors, AuthServices auth) {
    this.mirrors = mirrors;
    this.policies = mirrors.policies();
    this.auth = auth;
  }

  void register(RouteTable api) {
    api.add(HandlerType.GET, "/api/policies", this::list);
    api.add(HandlerType.POST, "/api/policies", this::create);
    api.add(HandlerType.GET, "/api/policies/{name}", this::show);
    api.add(HandlerType.PUT, "/api/policies/{name}", this::update);
    api.add(HandlerType.DELETE, "/api/policies/{name}", this::delete);
    api.add(HandlerType.PUT, "/api/mirrors/{name}/policy", this::attach);
    api.add(HandlerType.GET, "/api/mirrors/{name}/dry-run", this::dryRun);
  }

  private void list(Context ctx) {
    Authenticator.requireAdmin(RequestAuth.principal(ctx, auth));
    ctx.json(policies.list().stream().map(PolicyRoutes::view).toList());
  }

  /** Body: name, description?, filters (see {@link PolicyFilters#fromJson}). */
  private void create(Context ctx) {
    Authenticator.requireAdmin(RequestAuth.principal(ctx, auth));
    JsonNode body = JsonBodies.object(ctx);
    Policy p = policies.create(JsonBodies.text(body, "name"), JsonBodies.text(body, "description"),
        PolicyFilters.fromJson(body.get("filters")));
    ctx.status(201).json(view(p));
  }

  private void show(Context ctx) {
    Authenticator.requireAdmin(RequestAuth.principal(ctx, auth));
    Policy p = policies.require(ctx.pathParam("name"));
    Map<String, Object> v = view(p);
    v.put("mirrors", policies.followers(p.name()));
    ctx.json(v);
  }

  /**
   * Body: description?, filters (as on create; absent: none). The filters are replaced as a whole; a
   * description left out is kept, a null one cleared. The name is the path's: a body naming another is refused.
   */
  private void update(Context ctx) {
    Authenticator.requireAdmin(RequestAuth.principal(ctx, auth));
    JsonNode body = JsonBodies.object(ctx);
    String name = ctx.pathParam("name");
    String renamed = JsonBodies.text(body, "name");
    if (renamed != null && !renamed.equals(name)) {
      throw WharfException.invalid("invalid_field", "a policy cannot be renamed; leave 'name' out");
    }
    String description = body.has("description") ? JsonBodies.text(body, "description")
        : policies.require(name).description();
    ctx.json(view(policies.update(name, description, PolicyFilters.fromJson(body.get("filters")))));
  }

  /** 204; 409 with details.mirrors while mirrors follow the policy. */
  private void delete(Context ctx) {
    Authenticator.requireAdmin(RequestAuth.principal(ctx, auth));
    policies.delete(ctx.pathParam("name"));
    ctx.status(204);
  }

  /** Body: policy (a name, or null to follow none), remove_excluded?. */
  private void attach(Context ctx) {
    Mirror m = managed(ctx);
    JsonNode body = JsonBodies.object(ctx);
    String name = JsonBodies.text(body, "policy");
    if (name == null) {
      policies.detach(m.id());
    } else {
      policies.attach(m.id(), name, body.path("remove_excluded").asBoolean(false));
    }
    ctx.json(mirrorPolicy(m));
  }

  private void dryRun(Context ctx) {
    Mirror m = managed(ctx);
    String format = ctx.queryParam("format");
    if (format != null && !format.equals("json") && !format.equals("csv")) {
      throw WharfException.invalid("invalid_format", "format is json or csv");
    }
    MirrorService.DryRun run = mirrors.dryRun(m);
    if ("csv".equals(format)) {
      StringBuilder out = new StringBuilder("subdir,filename,admitted,filter,reason\r\n");
      for (Decision d : run.decisions()) {
        out.append(csv(d.subdir())).append(',').append(csv(d.filename())).append(',').append(d.admitted())
            .append(',').append(csv(d.filter())).append(',').append(csv(d.reason())).append("\r\n");
      }
      ctx.header("Content-Disposition", "attachment; filename=\"" + m.name() + "-dry-run.csv\"");
      ctx.contentType("text/csv; charset=utf-8").result(out.toString());
      return;
    }
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("mirror", m.name());
    v.put("policy", run.policy());
    v.put("admitted", run.decisions().stream().filter(Decision::admitted).count());
    v.put("excluded", run.decisions().stream().filter(d -> !d.admitted()).count());
    v.put("files", run.decisions().stream().map(PolicyRoutes::decision).toList());
    ctx.json(v);
  }

  /** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
  static String csv(String field) {
    if (field == null) {
      return "";
    }
    return field.matches("(?s).*[\",\r\n].*") ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
  }

  private Map<String, Object> mirrorPolicy(Mirror m) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("mirror", m.name());
    policies.ofMirror(m.id()).ifPresentOrElse(a -> {
      v.put("policy", a.policy().name());
      v.put("remove_excluded", a.removeExcluded());
    }, () -> v.put("policy", null));
    return v;
  }

  private static Map<String, Object> decision(Decision d) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("subdir", d.subdir());
    v.put("filename", d.filename());
    v.put("admitted", d.admitted());
    if (!d.admitted()) {
      v.put("filter", d.filter());
      v.put("reason", d.reason());
    }
    return v;
  }

  static Map<String, Object> view(Policy p) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("name", p.name());
    v.put("description", p.description());
    v.put("filters", p.filters().toJson());
    v.put("created_at", p.createdAt().toString());
    v.put("updated_at", p.updatedAt().toString());
    return v;
  }

  /** As for the mirror's own routes: its channel's managers, else 403 or the 404 of a missing mirror. */
  private Mirror managed(Context ctx) {
    Principal who = RequestAuth.principal(ctx, auth);
    if (who.isAnonymous()) {
      throw WharfException.unauthorized("mirrors need a token; pass it as 'Authorization: Bearer <token>'");
    }
    String name = ctx.pathParam("name");
    WharfException missing = WharfException.notFound("mirror_not_found", "no mirror named " + name);
    Mirror m = mirrors.find(name).orElseThrow(() -> missing);
    try {
      auth.channels().require(m.channelName(), null, who, Action.MANAGE);
    } catch (WharfException e) {
      throw e.kind() == WharfException.Kind.NOT_FOUND ? missing : e;
    }
    return m;
  }
}
