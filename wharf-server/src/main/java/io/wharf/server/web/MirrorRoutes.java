package io.wharf.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.wharf.server.auth.Access;
import io.wharf.server.auth.Action;
import io.wharf.server.auth.AuthServices;
import io.wharf.server.auth.Principal;
import io.wharf.server.channel.ChannelService;
import io.wharf.server.error.WharfException;
import io.wharf.server.jobs.Job;
import io.wharf.server.jobs.JobService;
import io.wharf.server.mirror.Every;
import io.wharf.server.mirror.Mirror;
import io.wharf.server.mirror.MirrorMode;
import io.wharf.server.mirror.MirrorRecords;
import io.wharf.server.mirror.MirrorRunJob;
import io.wharf.server.mirror.MirrorRunView;
import io.wharf.server.mirror.MirrorService;
import io.wharf.server.mirror.UpstreamCredentials;
import io.wharf.server.mirror.policy.JdbcPolicies.Attached;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Mirrors: create, list, show, change (policy, schedule, removals), delete, run (queued as a background job)
 * and history.
 * Open to administrators and to whoever may manage the mirror's channel (its owners).
 */
final class MirrorRoutes {
  private final ChannelService channels;
  private final MirrorService mirrors;
  private final AuthServices auth;
  private final JobService jobs;

  MirrorRoutes(ChannelService channels, MirrorService mirrors, AuthServices auth, JobService jobs) {
    this.channels = channels;
    this.mirrors = mirrors;
    this.auth = auth;
    this.jobs = jobs;
  }

  void register(RouteTable api) {
    api.add(HandlerType.GET, "/api/mirrors", this::list);
    api.add(HandlerType.POST, "/api/mirrors", this::create);
    api.add(HandlerType.GET, "/api/mirrors/{name}", this::show);
    api.add(HandlerType.PATCH, "/api/mirrors/{name}", this::update);
    api.add(HandlerType.DELETE, "/api/mirrors/{name}", this::delete);
    api.add(HandlerType.POST, "/api/mirrors/{name}/run", this::run);
    api.add(HandlerType.GET, "/api/mirrors/{name}/runs", this::runs);
  }

  private void list(Context ctx) {
    Principal who = signedIn(ctx);
    ctx.json(mirrors.list().stream().filter(m -> mayManage(who, m)).map(this::view).toList());
  }

  /**
   * Body: name, upstream, channel, label?, mode, subdirs?, remove_deleted?, credentials? (token, bearer, or
   * username and password), policy? and remove_excluded? (files the policy newly excludes are removed),
   * every? (a schedule such as "6h"; the first scheduled run is one period on), records? (patched, the
   * default, or unpatched: upstream's repodata_from_packages.json).
   */
  private void create(Context ctx) {
    Principal who = signedIn(ctx);
    JsonNode body = JsonBodies.object(ctx);
    String channel = JsonBodies.text(body, "channel");
    if (channel == null) {
      throw WharfException.invalid("missing_channel", "name the channel to mirror into");
    }
    auth.channels().require(channel, null, who, Action.MANAGE);
    List<String> subdirs = new ArrayList<>();
    JsonNode list = body.path("subdirs");
    if (!list.isMissingNode() && !list.isNull()) {
      if (!list.isArray()) {
        throw WharfException.invalid("invalid_field", "'subdirs' must be a list of subdir names");
      }
      list.forEach(s -> subdirs.add(s.asText()));
    }
    JsonNode c = body.path("credentials");
    UpstreamCredentials creds = c.isObject() ? new UpstreamCredentials(JsonBodies.text(c, "token"),
        JsonBodies.text(c, "bearer"), JsonBodies.text(c, "username"), JsonBodies.text(c, "password"))
        : UpstreamCredentials.NONE;
    String policy = JsonBodies.text(body, "policy");
    if (policy != null) {
      mirrors.policies().require(policy); // refused before the mirror is made
    }
    Mirror m = mirrors.create(new MirrorService.NewMirror(JsonBodies.text(body, "name"), channel,
        JsonBodies.text(body, "label"), JsonBodies.text(body, "upstream"),
        MirrorMode.parse(JsonBodies.text(body, "mode")), subdirs, body.path("remove_deleted").asBoolean(false),
        creds, Every.parse(JsonBodies.text(body, "every")), MirrorRecords.parse(JsonBodies.text(body, "records"))));
    if (policy != null) {
      mirrors.policies().attach(m.id(), policy, body.path("remove_excluded").asBoolean(false));
    }
    ctx.status(201).json(view(m));
  }

  private void show(Context ctx) {
    ctx.json(view(managed(ctx)));
  }

  private static final java.util.Set<String> CHANGEABLE = java.util.Set.of("policy", "remove_excluded", "every",
      "remove_deleted", "records");

  /**
   * Body: any of policy (a name, or null for none), remove_excluded (with a policy), every (a period, or null
   * for runs only when asked; a new schedule is first due one period on), remove_deleted and records (patched
   * or unpatched; another value makes the next run read every subdir again). Fields left out stay as they
   * are; everything is checked before anything changes. 200 with the mirror.
   */
  private void update(Context ctx) {
    Mirror m = managed(ctx);
    JsonNode body = JsonBodies.object(ctx);
    if (body.isEmpty()) {
      throw WharfException.invalid("nothing_to_change",
          "give policy, remove_excluded, every, remove_deleted or records");
    }
    body.fieldNames().forEachRemaining(f -> {
      if (!CHANGEABLE.contains(f)) {
        throw WharfException.invalid("invalid_field", "'" + f + "' cannot be changed; a mirror's policy,"
            + " remove_excluded, every, remove_deleted and records can (create another mirror for another"
            + " upstream)");
      }
    });
    Boolean removeDeleted = bool(body, "remove_deleted");
    Boolean removeExcluded = bool(body, "remove_excluded");
    boolean schedule = body.has("every");
    java.time.Duration every = schedule ? Every.parse(JsonBodies.text(body, "every")) : null;
    MirrorRecords records = null;
    if (body.has("records")) {
      if (!body.get("records").isTextual()) {
        throw WharfException.invalid("invalid_records", "'records' is patched or unpatched");
      }
      records = MirrorRecords.parse(body.get("records").asText());
    }
    Optional<Attached> current = mirrors.policies().ofMirror(m.id());
    String policy = body.has("policy") ? JsonBodies.text(body, "policy")
        : current.map(a -> a.policy().name()).orElse(null);
    if (body.has("policy") && policy != null) {
      mirrors.policies().require(policy);
    }
    if (removeExcluded != null && policy == null) {
      throw WharfException.invalid("no_policy", "remove_excluded applies to a mirror that follows a policy");
    }
    Mirror updated = mirrors.update(m, new MirrorService.Settings(removeDeleted, schedule, every, records));
    if (policy == null) {
      // only a policy taken off changes what runs take; detaching forgets the validators, which must stay
      // unless a setting that does change it (records, above) forgot them
      if (current.isPresent()) {
        mirrors.policies().detach(m.id());
      }
    } else if (body.has("policy") || removeExcluded != null) {
      mirrors.policies().attach(m.id(), policy, removeExcluded != null ? removeExcluded
          : current.map(Attached::removeExcluded).orElse(false));
    }
    ctx.json(view(updated));
  }

  private static Boolean bool(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null) {
      return null;
    }
    if (!v.isBoolean()) {
      throw WharfException.invalid("invalid_field", "'" + field + "' must be true or false");
    }
    return v.booleanValue();
  }

  private void runs(Context ctx) {
    Mirror m = managed(ctx);
    int limit = Paging.limit(ctx);
    if (limit < 1 || limit > 1000) {
      throw WharfException.invalid("invalid_limit", "limit must be between 1 and 1000");
    }
    ctx.json(mirrors.history(m, limit).stream().map(MirrorRoutes::run).toList());
  }

  /**
   * Queues a run as a background job: 202 with the job and {@code Location: /api/jobs/{id}}. While a run of
   * this mirror is queued or running (asked for here, by another node, or by the schedule) the answer is 409
   * {@code mirror_running} naming that job in {@code details.job_id}, so a caller follows it instead.
   */
  private void run(Context ctx) {
    Principal who = signedIn(ctx);
    Mirror m = managed(ctx, who);
    JobService.Submitted s = jobs.submitOnce(MirrorRunJob.KIND, MirrorRunJob.params(m), who,
        MirrorRunJob.singletonKey(m));
    if (!s.queued()) {
      throw running(m, s.job());
    }
    JobRoutes.accepted(ctx, s.job());
  }

  /**
   * Deletes the mirror and its run history; 204. The files it wrote stay in the channel (delete them as any
   * file); passive files not fetched yet can no longer be fetched. Refused (409) while a run is queued or
   * running.
   */
  private void delete(Context ctx) {
    Principal who = signedIn(ctx);
    Mirror m = managed(ctx, who);
    Optional<Job> active = jobs.holder(MirrorRunJob.singletonKey(m));
    if (active.isPresent()) {
      throw running(m, active.get());
    }
    mirrors.delete(m);
    ctx.status(204);
  }

  private static WharfException running(Mirror m, Job job) {
    return new WharfException(WharfException.Kind.CONFLICT, "mirror_running", "mirror " + m.name()
        + " has a run " + job.state().label() + " as job " + job.id() + "; follow it at /api/jobs/" + job.id(),
        Map.of("job_id", job.id()));
  }

  private Principal signedIn(Context ctx) {
    Principal who = RequestAuth.principal(ctx, auth);
    if (who.isAnonymous()) {
      throw WharfException.unauthorized("mirrors need a token; pass it as 'Authorization: Bearer <token>'");
    }
    return who;
  }

  /**
   * The mirror if the caller may manage its channel; as for channels, a caller who may read the channel
   * gets 403, one who may not even read it the same 404 as for a missing mirror.
   */
  private Mirror managed(Context ctx) {
    return managed(ctx, signedIn(ctx));
  }

  private Mirror managed(Context ctx, Principal who) {
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

  private boolean mayManage(Principal who, Mirror m) {
    return who.isAdmin() || channels.find(m.channelName()).map(c -> Access.allowed(who, c, Action.MANAGE))
        .orElse(false);
  }

  /** The mirror as the API shows it, with the policy it follows (null: none). */
  private Map<String, Object> view(Mirror m) {
    return view(m, mirrors.policies() == null ? Optional.empty() : mirrors.policies().ofMirror(m.id()));
  }

  static Map<String, Object> view(Mirror m, Optional<Attached> policy) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("name", m.name());
    v.put("channel", m.channelName());
    v.put("label", m.label());
    v.put("upstream", m.upstreamUrl());
    v.put("mode", m.mode().text());
    v.put("subdirs", m.subdirs());
    v.put("records", m.records().text());
    v.put("remove_deleted", m.removeDeleted());
    v.put("credentials_set", m.hasCredentials()); // the credentials themselves are never shown again
    v.put("created_at", m.createdAt().toString());
    v.put("every", Every.text(m.every()));
    v.put("next_run_at", m.nextRunAt() == null ? null : m.nextRunAt().toString());
    v.put("policy", policy.map(a -> a.policy().name()).orElse(null));
    v.put("remove_excluded", policy.map(Attached::removeExcluded)
        .orElse(false));
    return v;
  }

  static Map<String, Object> run(MirrorRunView r) {
    return MirrorRunJob.view(r);
  }

}
