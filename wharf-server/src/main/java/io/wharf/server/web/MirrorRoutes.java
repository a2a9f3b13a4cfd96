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
import io.wharf.server.index.IndexService;
import io.wharf.server.mirror.Mirror;
import io.wharf.server.mirror.MirrorMode;
import io.wharf.server.mirror.MirrorProgress;
import io.wharf.server.mirror.MirrorRunView;
import io.wharf.server.mirror.MirrorService;
import io.wharf.server.mirror.UpstreamCredentials;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Mirrors: create, list, show, run (the answer is JSON lines of progress, then the run) and history.
 * Open to administrators and to whoever may manage the mirror's channel (its owners).
 */
final class MirrorRoutes {
  private static final long VISIBLE_WAIT_MILLIS = 60_000;
  private final ChannelService channels;
  private final MirrorService mirrors;
  private final AuthServices auth;
  private final IndexService index;

  MirrorRoutes(ChannelService channels, MirrorService mirrors, AuthServices auth, IndexService index) {
    this.channels = channels;
    this.mirrors = mirrors;
    this.auth = auth;
    this.index = index;
  }

  void register(RouteTable api) {
    api.add(HandlerType.GET, "/api/mirrors", this::list);
    api.add(HandlerType.POST, "/api/mirrors", this::create);
    api.add(HandlerType.GET, "/api/mirrors/{name}", this::show);
    api.add(HandlerType.POST, "/api/mirrors/{name}/run", this::run);
    api.add(HandlerType.GET, "/api/mirrors/{name}/runs", this::runs);
  }

  private void list(Context ctx) {
    Principal who = signedIn(ctx);
    ctx.json(mirrors.list().stream().filter(m -> mayManage(who, m)).map(MirrorRoutes::view).toList());
  }

  /**
   * Body: name, upstream, channel, label?, mode, subdirs?, remove_deleted?, credentials? (token, bearer, or
   * username and password), policy? and remove_excluded? (files the policy newly excludes are removed).
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
        creds));
    if (policy != null) {
      mirrors.policies().attach(m.id(), policy, body.path("remove_excluded").asBoolean(false));
    }
    ctx.status(201).json(view(m));
  }

  private void show(Context ctx) {
    ctx.json(view(managed(ctx)));
  }

  private void runs(Context ctx) {
    Mirror m = managed(ctx);
    int limit = Paging.limit(ctx);
    if (limit < 1 || limit > 1000) {
      throw WharfException.invalid("invalid_limit", "limit must be between 1 and 1000");
    }
    ctx.json(mirrors.history(m, limit).stream().map(MirrorRoutes::run).toList());
  }

  /** Runs the mirror inside the request; each line is progress, the last one the finished run. */
  private void run(Context ctx) {
    Mirror m = managed(ctx);
    if (mirrors.isRunning(m)) { // refused as plain JSON while the answer has not started
      throw WharfException.conflict("mirror_running", "mirror " + m.name() + " is running already");
    }
    ctx.status(200).contentType(ImportRoutes.NDJSON);
    AtomicLong lastSeq = new AtomicLong();
    try (NdjsonStream out = new NdjsonStream(ctx.outputStream(), "wharf-mirror-answer")) {
      MirrorRunView done = mirrors.run(m, new MirrorProgress() {
        @Override
        public void subdir(String subdir, int records, int todo, boolean unchanged) {
          out.send(Map.of("subdir", subdir, "records", records, "todo", todo, "unchanged", unchanged));
        }

        @Override
        public void file(String subdir, String filename, String outcome, long bytes, String message) {
          Map<String, Object> line = new LinkedHashMap<>();
          line.put("subdir", subdir);
          line.put("filename", filename);
          line.put("outcome", outcome);
          line.put("bytes", bytes);
          if (message != null) {
            line.put("message", message);
          }
          out.send(line);
        }

        @Override
        public void written(long seq) {
          lastSeq.accumulateAndGet(seq, Math::max);
        }
      });
      // Read-your-writes, as for an import: once the answer ends, this node serves what the run wrote.
      index.awaitVisible(lastSeq.get(), VISIBLE_WAIT_MILLIS);
      out.send(Map.of("run", run(done)));
    }
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
    Principal who = signedIn(ctx);
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

  static Map<String, Object> view(Mirror m) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("name", m.name());
    v.put("channel", m.channelName());
    v.put("label", m.label());
    v.put("upstream", m.upstreamUrl());
    v.put("mode", m.mode().text());
    v.put("subdirs", m.subdirs());
    v.put("remove_deleted", m.removeDeleted());
    v.put("credentials_set", m.hasCredentials()); // the credentials themselves are never shown again
    v.put("created_at", m.createdAt().toString());
    return v;
  }

  static Map<String, Object> run(MirrorRunView r) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", r.id());
    v.put("started_at", r.startedAt().toString());
    v.put("finished_at", r.finishedAt() == null ? null : r.finishedAt().toString());
    v.put("status", r.status());
    v.put("files", r.files());
    v.put("bytes", r.bytes());
    v.put("errors", r.errors());
    v.put("removed", r.removed());
    v.put("message", r.message());
    return v;
  }
}
