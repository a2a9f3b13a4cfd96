package io.wharf.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.wharf.server.auth.AuthServices;
import io.wharf.server.auth.Access;
import io.wharf.server.auth.Action;
import io.wharf.server.auth.Authenticator;
import io.wharf.server.auth.Principal;
import io.wharf.server.channel.Channel;
import io.wharf.server.channel.ChannelService;
import io.wharf.server.channel.Privacy;
import io.wharf.server.error.WharfException;
import io.wharf.server.history.Actor;
import io.wharf.server.index.IndexService;
import io.wharf.server.pkg.PackageFile;
import io.wharf.server.pkg.PackageStore;
import io.wharf.server.pkg.PackageFilePages.FileKey;
import io.wharf.server.pkg.PackageService;
import io.wharf.server.pkg.UploadService;
import io.wharf.server.vuln.CveSummary;
import io.wharf.server.vuln.FileCve;
import io.wharf.server.vuln.VulnerabilityService;
import java.io.IOException;
import java.io.InputStream;
import io.wharf.server.stats.DownloadTotals;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.Collection;
import java.util.Set;
import java.util.Map;

/** The REST API under {@code /api}: channels, their packages and files, and uploads. */
final class ApiRoutes {
  /** The upload route's template, which the metrics count uploads by. */
  static final String UPLOAD_ROUTE = "/api/channels/{channel}/files/{filename}";


  private final ChannelService channels;
  private final PackageService packages;
  private final UploadService uploads;
  private final AuthServices auth;
  private final IndexService index;
  private final VulnerabilityService vulns;
  private final long minBodyRate;
  private final DownloadTotals downloads;
  private static final long VISIBLE_WAIT_MILLIS = 10_000;

  /** Which of these SHA-256s are passive mirror files (recorded, bytes not fetched yet). */
  private final Function<Collection<String>, Set<String>> passiveAmong;
  /** The fields the channel's patch instructions change in a file's record as published. */
  private Function<PackageFile, java.util.SortedSet<String>> patched = f -> java.util.Collections.emptySortedSet();

  ApiRoutes(ChannelService channels, PackageService packages, UploadService uploads, AuthServices auth,
      IndexService index, VulnerabilityService vulns, long minBodyRate,
      Function<Collection<String>, Set<String>> passiveAmong, DownloadTotals downloads) {
    this.passiveAmong = passiveAmong;
    this.downloads = downloads;
    this.index = index;
    this.vulns = vulns;
    this.minBodyRate = minBodyRate;
    this.channels = channels;
    this.packages = packages;
    this.uploads = uploads;
    this.auth = auth;
  }

  /** File details name the fields these patch instructions change (see {@link Views#file}). */
  ApiRoutes patchedBy(io.wharf.server.patch.PatchService patches) {
    this.patched = f -> patches.changedFields(f.channelId(), f.subdir(), f.filename(), f.recordJson());
    return this;
  }

  void register(RouteTable api) {
    api.add(HandlerType.GET, "/api/channels", this::listChannels);
    api.add(HandlerType.POST, "/api/channels", this::createChannel);
    api.add(HandlerType.GET, "/api/channels/{channel}", this::showChannel);
    api.add(HandlerType.PATCH, "/api/channels/{channel}", this::updateChannel);
    api.add(HandlerType.DELETE, "/api/channels/{channel}", this::deleteChannel);
    api.add(HandlerType.GET, "/api/channels/{channel}/packages", this::listPackages);
    api.add(HandlerType.GET, "/api/channels/{channel}/files", this::listFiles);
    api.add(HandlerType.PUT, UPLOAD_ROUTE, this::upload);
    api.add(HandlerType.GET, "/api/channels/{channel}/upload-check/{filename}", this::checkUpload);
    api.add(HandlerType.GET, "/api/channels/{channel}/files/{subdir}/{filename}", this::showFile);
    api.add(HandlerType.DELETE, "/api/channels/{channel}/files/{subdir}/{filename}", this::deleteFile);
  }

  private void listChannels(Context ctx) {
    Principal who = RequestAuth.principal(ctx, auth);
    ctx.json(Access.readable(who, channels.list()).values().stream().map(Views::channel).toList());
  }

  private void createChannel(Context ctx) {
    Authenticator.requireAdmin(RequestAuth.principal(ctx, auth));
    JsonNode body = JsonBodies.object(ctx);
    String name = JsonBodies.text(body, "name");
    if (name == null) {
      throw WharfException.invalid("missing_field", "the request body needs a 'name'");
    }
    Channel c = channels.create(name, JsonBodies.text(body, "description"),
        JsonBodies.privacy(JsonBodies.text(body, "privacy")), RequestAuth.actor(ctx, auth));
    ctx.status(201).json(Views.channel(c));
  }

  private void showChannel(Context ctx) {
    Channel c = readable(ctx);
    Map<String, Object> view = Views.channel(c);
    view.put("labels", packages.labels(c).stream().map(l -> Views.label(c, l)).toList());
    ctx.json(view);
  }

  /** Privacy and description; owners and administrators. */
  private void updateChannel(Context ctx) {
    Channel c = permitted(ctx, null, Action.MANAGE);
    JsonNode body = JsonBodies.object(ctx);
    String privacy = JsonBodies.text(body, "privacy");
    Channel updated = channels.update(c, privacy == null ? null : JsonBodies.privacy(privacy),
        JsonBodies.text(body, "description"), RequestAuth.actor(ctx, auth));
    ctx.json(Views.channel(updated));
  }

  private void deleteChannel(Context ctx) {
    Channel c = permitted(ctx, null, Action.MANAGE);
    channels.delete(c.name(), RequestAuth.actor(ctx, auth));
    ctx.status(204);
  }

  private void listPackages(Context ctx) {
    Channel c = readable(ctx);
    List<String> after = Paging.cursor(ctx, 1);
    PackageService.NamePage page = packages.packages(c, after == null ? null : after.get(0), Paging.limit(ctx));
    page.next().ifPresent(name -> Paging.linkNext(ctx, name));
    ctx.json(page.names().stream().map(Views::packageSummary).toList());
  }

  /** One page of files by label, subdir and filename; the Link header leads to the next. */
  private void listFiles(Context ctx) {
    Channel c = readable(ctx);
    List<String> after = Paging.cursor(ctx, 3);
    PackageService.FilePage page = packages.files(c, ctx.queryParam("label"), ctx.queryParam("subdir"),
        ctx.queryParam("filename"), after == null ? null : new FileKey(after.get(0), after.get(1), after.get(2)),
        Paging.limit(ctx));
    page.next().ifPresent(k -> Paging.linkNext(ctx, k.label(), k.subdir(), k.filename()));
    Map<Long, List<FileCve>> cves = vulns.matches().forFiles(page.files().stream().map(PackageFile::id).toList());
    Set<String> passive = passiveAmong.apply(page.files().stream().map(PackageFile::sha256).toList());
    ToLongFunction<PackageFile> counted = DownloadViews.fileTotals(downloads, c, page.files());
    ctx.json(page.files().stream().map(f -> indexing(withCves(DownloadViews.withDownloads(Views.file(c, f),
        counted.applyAsLong(f)), cves.getOrDefault(f.id(), List.of())), passive.contains(f.sha256()))).toList());
  }

  private void upload(Context ctx) throws IOException {
    permitted(ctx, fileLabel(ctx), Action.WRITE);
    boolean replace = Boolean.parseBoolean(ctx.queryParam("replace"));
    long declared = ctx.req().getContentLengthLong();
    // Opened on first read: asking the servlet for the stream answers "100 Continue", which must
    // wait until the upload has passed every check that needs no body.
    PackageStore.Stored stored = uploads.upload(ctx.pathParam("channel"), ctx.queryParam("label"),
        ctx.pathParam("filename"), new LazyBody(ctx, minBodyRate), declared, replace, RequestAuth.actor(ctx, auth));
    // Read-your-writes: the answer comes once this node serves the new file (other nodes follow
    // within about a second); a slow publication delays the answer, never the commit.
    index.awaitVisible(stored.seq(), VISIBLE_WAIT_MILLIS);
    PackageFile f = stored.file();
    Channel c = channels.require(ctx.pathParam("channel"));
    ctx.status(201).json(DownloadViews.withDownloads(Views.file(c, f),
        DownloadViews.fileTotals(downloads, c, List.of(f)).applyAsLong(f)));
  }

  /**
   * What {@code PUT .../files/{filename}} with this label and Content-Length would get before its body is
   * read: 204, or the same refusal. The upload itself runs up to the moment it reads its body, which is
   * where it would answer {@code 100 Continue}, so the two cannot disagree. For clients that cannot wait
   * for {@code 100 Continue}: Java 17's HttpClient waits forever when a final status answers it
   * (JDK-8286171).
   */
  private void checkUpload(Context ctx) throws IOException {
    permitted(ctx, fileLabel(ctx), Action.WRITE);
    long size = declaredSize(ctx.queryParam("size"));
    try {
      uploads.upload(ctx.pathParam("channel"), ctx.queryParam("label"), ctx.pathParam("filename"),
          new StopAtBody(), size, false);
    } catch (StopAtBody.Reached passed) {
      ctx.status(204);
      return;
    }
    throw new IllegalStateException("an upload finished without reading its body");
  }

  private static long declaredSize(String size) {
    if (size == null) {
      return -1;
    }
    try {
      long n = Long.parseLong(size);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw WharfException.invalid("invalid_size", "size must be a number of bytes, got '" + size + "'");
  }

  /** A body whose first read ends the upload: every check that needs no body has passed by then. */
  private static final class StopAtBody extends InputStream {
    static final class Reached extends RuntimeException {
      Reached() {
        super("the upload reached its body", null, false, false);
      }
    }

    @Override
    public int read() {
      throw new Reached();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      throw new Reached();
    }
  }

  /** The request body, not opened until something reads it. */
  private static final class LazyBody extends InputStream {
    private final Context ctx;
    private final long minRate;
    private InputStream body;

    LazyBody(Context ctx, long minRate) {
      this.ctx = ctx;
      this.minRate = minRate;
    }

    private InputStream body() {
      if (body == null) {
        body = new PacedBody(ctx.bodyInputStream(), minRate);
      }
      return body;
    }

    @Override
    public int read() throws IOException {
      return body().read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return body().read(b, off, len);
    }

    @Override
    public void close() throws IOException {
      if (body != null) {
        body.close();
      }
    }
  }

  private void showFile(Context ctx) {
    Channel c = readable(ctx);
    PackageFile f = packages.file(c, ctx.queryParam("label"), ctx.pathParam("subdir"), ctx.pathParam("filename"));
    Map<String, Object> view = indexing(withCves(DownloadViews.withDownloads(Views.file(c, f),
        DownloadViews.fileTotals(downloads, c, List.of(f)).applyAsLong(f)), vulns.matches().forFile(f.id())),
        !passiveAmong.apply(List.of(f.sha256())).isEmpty());
    // the record is shown as stored; "patched" names what the published record differs in
    view.put("patched", List.copyOf(patched.apply(f)));
    ctx.json(view);
  }

  /** "stored": the bytes are here; "passive": a mirror's record, fetched from upstream on first download. */
  private static Map<String, Object> indexing(Map<String, Object> file, boolean passive) {
    file.put("indexing", passive ? "passive" : "stored");
    return file;
  }

  private void deleteFile(Context ctx) {
    Channel c = permitted(ctx, fileLabel(ctx), Action.WRITE);
    long seq = packages.delete(c, ctx.queryParam("label"), ctx.pathParam("subdir"), ctx.pathParam("filename"),
        RequestAuth.actor(ctx, auth));
    index.awaitVisible(seq, VISIBLE_WAIT_MILLIS);
    ctx.status(204);
  }

  /** A file's CVE columns beside its other facts (see {@link CveSummary}). */
  private static Map<String, Object> withCves(Map<String, Object> view, List<FileCve> cves) {
    view.putAll(CveRoutes.summary(CveSummary.of(cves)));
    return view;
  }

  private Channel readable(Context ctx) {
    return auth.channels().readable(ctx.pathParam("channel"), RequestAuth.principal(ctx, auth));
  }

  /** The subchannel a file route acts on: {@code main} when the request names none. */
  private static String fileLabel(Context ctx) {
    String label = ctx.queryParam("label");
    return label == null || label.isEmpty() ? io.wharf.server.channel.ChannelNames.DEFAULT_LABEL : label;
  }

  /** The path's channel when the caller may do this action to it (label null: the whole channel). */
  private Channel permitted(Context ctx, String label, Action action) {
    return auth.channels().require(ctx.pathParam("channel"), label, RequestAuth.principal(ctx, auth), action);
  }
}
