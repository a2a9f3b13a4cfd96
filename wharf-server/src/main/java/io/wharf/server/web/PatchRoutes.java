package io.wharf.server.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.wharf.server.auth.Action;
import io.wharf.server.auth.AuthServices;
import io.wharf.server.channel.Channel;
import io.wharf.server.error.WharfException;
import io.wharf.server.events.PatchesChanged;
import io.wharf.server.index.IndexService;
import io.wharf.server.patch.PatchService;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A channel's repodata patch instructions, per subdir: {@code GET /api/channels/{c}/patches} lists them,
 * {@code GET|PUT|DELETE /api/channels/{c}/patches/{subdir}} shows, sets (the body is a
 * {@code patch_instructions.json}) and removes one set. Whoever may read the channel may read them; whoever
 * may change its files (owner, maintainer) may change them. A change answers once this node publishes it.
 */
final class PatchRoutes {
  private static final long VISIBLE_WAIT_MILLIS = 10_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PatchService patches;
  private final AuthServices auth;
  private final IndexService index;
  private final long minBodyRate;

  PatchRoutes(PatchService patches, AuthServices auth, IndexService index, long minBodyRate) {
    this.patches = patches;
    this.auth = auth;
    this.index = index;
    this.minBodyRate = minBodyRate;
  }

  void register(RouteTable api) {
    api.add(HandlerType.GET, "/api/channels/{channel}/patches", this::list);
    api.add(HandlerType.GET, "/api/channels/{channel}/patches/{subdir}", this::show);
    api.add(HandlerType.PUT, "/api/channels/{channel}/patches/{subdir}", this::set);
    api.add(HandlerType.DELETE, "/api/channels/{channel}/patches/{subdir}", this::remove);
  }

  private Channel channel(Context ctx, Action action) {
    return auth.channels().require(ctx.pathParam("channel"), null, RequestAuth.principal(ctx, auth), action);
  }

  private void list(Context ctx) {
    Channel c = channel(ctx, Action.READ);
    ctx.json(patches.list(c).stream().map(PatchRoutes::summary).toList());
  }

  /** The summary with the instructions as they were set, spliced in as stored (already checked JSON). */
  private void show(Context ctx) {
    Channel c = channel(ctx, Action.READ);
    PatchService.View v = patches.require(c, ctx.pathParam("subdir"));
    String head;
    try {
      head = JSON.writeValueAsString(summary(v));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ctx.contentType("application/json").result(head.substring(0, head.length() - 1) + ",\"instructions\":"
        + v.json() + "}");
  }

  /** Body: the instructions; {@code ?source=} names where they came from (a file, a patch package). */
  private void set(Context ctx) {
    Channel c = channel(ctx, Action.WRITE);
    byte[] body = bounded(ctx);
    String source = ctx.queryParam("source");
    if (source != null && source.length() > 255) {
      throw WharfException.invalid("invalid_source", "source is at most 255 characters");
    }
    PatchesChanged changed = patches.set(c, ctx.pathParam("subdir"), body, source, RequestAuth.actor(ctx, auth));
    awaitVisible(changed);
    Map<String, Object> v = summary(patches.require(c, ctx.pathParam("subdir")));
    v.put("republished_names", changed.names().stream().map(PatchesChanged.Entry::name).distinct().count());
    ctx.json(v);
  }

  private void remove(Context ctx) {
    Channel c = channel(ctx, Action.WRITE);
    PatchesChanged changed = patches.remove(c, ctx.pathParam("subdir"), RequestAuth.actor(ctx, auth));
    awaitVisible(changed);
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("subdir", ctx.pathParam("subdir"));
    v.put("removed", true);
    v.put("republished_names", changed.names().stream().map(PatchesChanged.Entry::name).distinct().count());
    ctx.json(v);
  }

  private void awaitVisible(PatchesChanged changed) {
    changed.names().stream().mapToLong(PatchesChanged.Entry::seq).max()
        .ifPresent(seq -> index.awaitVisible(seq, VISIBLE_WAIT_MILLIS));
  }

  private byte[] bounded(Context ctx) {
    long declared = ctx.contentLength();
    if (declared > PatchService.MAX_BYTES) {
      throw WharfException.tooLarge("patch instructions are larger than " + PatchService.MAX_BYTES + " bytes",
          PatchService.MAX_BYTES);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = new PacedBody(ctx.bodyInputStream(), minBodyRate)) {
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) > 0; ) {
        if (out.size() + n > PatchService.MAX_BYTES) {
          throw WharfException.tooLarge("patch instructions are larger than " + PatchService.MAX_BYTES + " bytes",
              PatchService.MAX_BYTES);
        }
        out.write(buf, 0, n);
      }
    } catch (IOException e) {
      throw WharfException.invalid("body_unreadable", "the request body could not be read: " + e.getMessage());
    }
    return out.toByteArray();
  }

  static Map<String, Object> summary(PatchService.View v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("subdir", v.subdir());
    m.put("revision", v.revision());
    m.put("sha256", v.sha256());
    m.put("size", v.size());
    m.put("files", v.files());
    m.put("source", v.source());
    m.put("changed_by", v.changedBy());
    m.put("changed_at", java.time.Instant.ofEpochMilli(v.changedAt()).toString());
    return m;
  }
}
