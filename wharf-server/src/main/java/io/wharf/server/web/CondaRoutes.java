package io.wharf.server.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.wharf.server.auth.AuthServices;
import io.wharf.server.auth.Tokens;
import io.wharf.server.channel.Channel;
import io.wharf.server.channel.ChannelNames;
import io.wharf.server.channel.ChannelService;
import io.wharf.server.channel.Privacy;
import io.wharf.server.error.WharfException;
import io.wharf.server.index.Artifact;
import io.wharf.server.index.IndexService;
import io.wharf.server.index.PublishedFile;
import io.wharf.server.index.SubdirSnapshot;
import io.wharf.server.stats.DownloadCounter;
import io.wharf.server.storage.BlobNotFoundException;
import io.wharf.server.storage.BlobStore;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The conda channel protocol: {@code /conda/<channel>[/label/<label>]/<subdir>/<file>},
 * {@code channeldata.json} at the channel root, and the same below {@code /t/<token>/}. Everything
 * served here comes from the in-memory index and the blob store; the database is read only to check the
 * credentials a request presents (anonymous requests never touch it).
 */
final class CondaRoutes {
  private final ChannelService channels;
  private final IndexService index;
  private final BlobStore blobs;
  private final AuthServices auth;
  private final Predicate<String> fetchPassive;
  private final DownloadCounter downloads;

  /**
   * {@code fetchPassive} stores the bytes of a file recorded without them (a passive mirror's), given
   * their SHA-256, or throws the reason it cannot (404, 502, 504); false when the file is not passive.
   */
  CondaRoutes(ChannelService channels, IndexService index, BlobStore blobs, AuthServices auth,
      Predicate<String> fetchPassive, DownloadCounter downloads) {
    this.downloads = downloads;
    this.channels = channels;
    this.index = index;
    this.blobs = blobs;
    this.auth = auth;
    this.fetchPassive = fetchPassive;
  }

  void register(RoutesConfig routes) {
    for (HandlerType method : List.of(HandlerType.GET, HandlerType.HEAD)) {
      routes.addHttpHandler(method, "/conda/<path>", this::serve);
      routes.addHttpHandler(method, "/t/{token}/conda/<path>", this::serve);
    }
  }

  private void serve(Context ctx) throws IOException {
    List<String> segs = PathSegments.split(ctx.req().getRequestURI())
        .orElseThrow(() -> WharfException.invalid("invalid_path", "the request path is not valid"));
    if (segs.get(0).equals("t")) {
      if (segs.size() < 3 || !Tokens.isWellFormed(segs.get(1))) {
        throw WharfException.unauthorized("the token in the URL is not valid");
      }
      ctx.attribute(RequestAuth.PATH_TOKEN, segs.get(1));
      segs = segs.subList(2, segs.size());
    }
    List<String> rest = segs.subList(1, segs.size()); // drop "conda"
    if (rest.isEmpty()) {
      throw notFound();
    }
    String channelName = rest.get(0);
    rest = rest.subList(1, rest.size());
    String label = ChannelNames.DEFAULT_LABEL;
    if (rest.size() >= 2 && rest.get(0).equals("label")) {
      label = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    // Unlike the API for a signed-in caller, conda clients without a token get 401 here: conda and
    // mamba turn it into a hint to add one. Missing and unreadable channels answer alike.
    Channel channel = auth.channels().readable(channelName, label, RequestAuth.principal(ctx, auth));
    if (rest.size() == 1 && rest.get(0).equals("channeldata.json")) {
      String lbl = label;
      Artifact a = index.channeldata(channel, lbl).orElseThrow(CondaRoutes::notFound);
      HttpResponses.artifact(ctx, a, privateCache(channel));
      return;
    }
    if (rest.size() < 2) {
      throw notFound();
    }
    SubdirSnapshot subdir = index.subdir(channel, label, rest.get(0)).orElseThrow(CondaRoutes::notFound);
    if (rest.size() == 3 && rest.get(1).equals("shards") && rest.get(2).endsWith(".msgpack.zst")) {
      String hash = rest.get(2).substring(0, rest.get(2).length() - ".msgpack.zst".length());
      HttpResponses.artifact(ctx, subdir.shard(hash).orElseThrow(CondaRoutes::notFound), privateCache(channel));
      return;
    }
    if (rest.size() != 2) {
      throw notFound();
    }
    String file = rest.get(1);
    Optional<Artifact> meta = subdir.metadata(file);
    if (meta.isPresent()) {
      HttpResponses.artifact(ctx, meta.get(), privateCache(channel));
      return;
    }
    PublishedFile pf = subdir.file(file).orElseThrow(CondaRoutes::notFound);
    String lbl = label;
    String subdirName = rest.get(0);
    Runnable completed = () -> downloads.completed(channel.id(), lbl, subdirName, pf.filename());
    try {
      HttpResponses.packageFile(ctx, pf, blobs, privateCache(channel), completed);
    } catch (BlobNotFoundException e) {
      // A row without its blob is a passive mirror's file: its bytes are fetched (once, however many
      // ask), checked against the record, stored, and then served like any other. Nothing was set on the
      // response yet: the blob is opened before the status and the headers.
      // Not a passive file (false): another request may have just fetched it (the passive mark goes once its
      // bytes are stored), else the store lost a blob its row needs, and the second attempt fails as a 500.
      fetchPassive.test(pf.sha256());
      HttpResponses.packageFile(ctx, pf, blobs, privateCache(channel), completed);
    }
  }

  private static boolean privateCache(Channel channel) {
    return channel.privacy() != Privacy.PUBLIC;
  }

  private static WharfException notFound() {
    return WharfException.notFound("not_found", "no such file in this channel");
  }
}
