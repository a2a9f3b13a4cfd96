package io.wharf.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.wharf.server.auth.AuthServices;
import io.wharf.server.auth.Authenticator;
import io.wharf.server.channel.ChannelLocation;
import io.wharf.server.channel.ChannelNames;
import io.wharf.server.channel.ChannelService;
import io.wharf.server.error.WharfException;
import io.wharf.server.index.IndexService;
import io.wharf.server.search.SearchIndexer;
import io.wharf.server.pkg.PackageTransfers;
import io.wharf.server.pkg.OnCollision;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Copy, move and remove of many package files in one request:
 * {@code POST /api/channels/{channel}/copy|move|remove}. Each request is one transaction; the answer
 * lists what happened to each file and comes once this node publishes the change.
 */
final class TransferRoutes {
  private static final long VISIBLE_WAIT_MILLIS = 10_000;
  private static final Set<String> TRANSFER_FIELDS = Set.of("to", "items", "fromLabel", "onCollision", "dryRun");
  private static final Set<String> REMOVE_FIELDS = Set.of("items", "label", "dryRun");

  private final ChannelService channels;
  private final PackageTransfers transfers;
  private final AuthServices auth;
  private final IndexService index;
  private final SearchIndexer searchIndex;

  TransferRoutes(ChannelService channels, PackageTransfers transfers, AuthServices auth, IndexService index,
      SearchIndexer searchIndex) {
    this.channels = channels;
    this.transfers = transfers;
    this.auth = auth;
    this.index = index;
    this.searchIndex = searchIndex;
  }

  void register(RouteTable api) {
    api.add(HandlerType.POST, "/api/channels/{channel}/copy", ctx -> transfer(ctx, false));
    api.add(HandlerType.POST, "/api/channels/{channel}/move", ctx -> transfer(ctx, true));
    api.add(HandlerType.POST, "/api/channels/{channel}/remove", this::remove);
  }

  private void transfer(Context ctx, boolean move) {
    // a caller who may not even read the source learns nothing about the body
    auth.channels().readable(ctx.pathParam("channel"), RequestAuth.principal(ctx, auth));
    JsonNode body = body(ctx, TRANSFER_FIELDS);
    String to = JsonBodies.text(body, "to");
    if (to == null) {
      throw WharfException.invalid("missing_field", "the request body needs 'to': 'channel' or 'channel/label/NAME'");
    }
    ChannelLocation from = new ChannelLocation(ctx.pathParam("channel"),
        ChannelNames.requireLabel(JsonBodies.text(body, "fromLabel")));
    ChannelLocation target = ChannelLocation.parse(to);
    // A move changes the source, a copy only reads it; both change the target, which must exist (and be
    // writable) before anything else is said about the request.
    if (move) {
      RequestAuth.requireWrite(ctx, auth, from.channel(), from.label());
    } else {
      auth.channels().require(from.channel(), from.label(), RequestAuth.principal(ctx, auth),
          io.wharf.server.auth.Action.READ);
    }
    RequestAuth.requireWrite(ctx, auth, target.channel(), target.label());
    PackageTransfers.Outcome done = move
        ? transfers.move(from, target, items(body), onCollision(body), dryRun(body), RequestAuth.actor(ctx, auth))
        : transfers.copy(from, target, items(body), onCollision(body), dryRun(body), RequestAuth.actor(ctx, auth));
    answer(ctx, done);
  }

  private void remove(Context ctx) {
    auth.channels().readable(ctx.pathParam("channel"), RequestAuth.principal(ctx, auth));
    JsonNode body = body(ctx, REMOVE_FIELDS);
    ChannelLocation from = new ChannelLocation(ctx.pathParam("channel"),
        ChannelNames.requireLabel(JsonBodies.text(body, "label")));
    RequestAuth.requireWrite(ctx, auth, from.channel(), from.label());
    answer(ctx, transfers.remove(from, items(body), dryRun(body), RequestAuth.actor(ctx, auth)));
  }

  private void answer(Context ctx, PackageTransfers.Outcome done) {
    // Read-your-writes, as for uploads: the answer comes once this node serves the result.
    for (long seq : done.seqs()) {
      index.awaitVisible(seq, VISIBLE_WAIT_MILLIS);
    }
    if (!done.seqs().isEmpty()) {
      searchIndex.awaitIdle(java.time.Duration.ofMillis(VISIBLE_WAIT_MILLIS)); // the batch is indexed in the background
    }
    ctx.json(done.result());
  }

  /** The JSON object body; a field this route does not know is refused rather than ignored. */
  private static JsonNode body(Context ctx, Set<String> known) {
    JsonNode body = JsonBodies.object(ctx);
    for (var it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!known.contains(field)) {
        throw WharfException.invalid("unknown_field", "'" + field + "' is not a field of this request (known: "
            + String.join(", ", known.stream().sorted().toList()) + ")", java.util.Map.of("field", field));
      }
    }
    return body;
  }

  private static List<String> items(JsonNode body) {
    JsonNode items = body.get("items");
    if (items == null || !items.isArray()) {
      throw WharfException.invalid("missing_field", "the request body needs 'items': a list of package names,"
          + " name=version or file names");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : items) {
      if (!item.isTextual()) {
        throw WharfException.invalid("invalid_field", "every item must be a string");
      }
      out.add(item.asText());
    }
    return out;
  }

  private static OnCollision onCollision(JsonNode body) {
    String value = JsonBodies.text(body, "onCollision");
    if (value == null) {
      return OnCollision.FAIL;
    }
    try {
      return OnCollision.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw WharfException.invalid("invalid_field", "onCollision must be fail, skip or replace");
    }
  }

  private static boolean dryRun(JsonNode body) {
    JsonNode n = body.get("dryRun");
    if (n == null || n.isNull()) {
      return false;
    }
    if (!n.isBoolean()) {
      throw WharfException.invalid("invalid_field", "'dryRun' must be true or false");
    }
    return n.booleanValue();
  }
}
