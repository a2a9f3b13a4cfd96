package io.wharf.server.web;

import io.wharf.server.auth.Access;
import io.wharf.server.auth.Action;
import io.wharf.server.auth.Principal;
import io.wharf.server.channel.Channel;
import io.wharf.server.channel.ChannelNames;
import io.wharf.server.channel.ChannelService;
import io.wharf.server.index.Artifact;
import io.wharf.server.index.IndexService;
import io.wharf.server.index.PublishedFile;
import io.wharf.server.index.SubdirSnapshot;
import io.wharf.server.stats.DownloadCounter;
import io.wharf.server.storage.BlobStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The requests conda clients make most, answered by Jetty itself ahead of Javalin's routing and the
 * servlet layer: anonymous GET and HEAD of a public channel's metadata files and package files under
 * {@code /conda/}. The answer is the one {@link CondaRoutes} gives (same headers, 304, HEAD, single
 * ranges, download counting on the last byte, the same route label for metrics and the access log), but
 * the body is written from the mapped bytes to the socket without a copy and without holding a thread.
 * Everything else, including every request that carries credentials, a private channel, a missing file
 * and a passive mirror's file whose bytes are not stored yet, goes on to Javalin unchanged.
 *
 * <p>Threads: this handler declares itself non-blocking, so Jetty runs it on the selector thread that read
 * the request, with no hand-off. There it answers only what it can without waiting for anything: a metadata
 * file of a channel and subdir already in memory (the channel cache, the published snapshot), when the
 * answer has no body (a 304, a HEAD, a 416) or its body is already joined in memory. Everything else (a
 * cold channel or subdir, which may read the database and wait for a build; a package file, whose mapped
 * pages may have to come from disk; any request for Javalin) is handed to Jetty's thread pool before
 * anything blocking is done, and is answered there as before: by this path with the waiting look-ups, or
 * by Javalin.
 */
final class CondaFastPath extends Handler.Wrapper {
  private static final String PREFIX = "/conda/";
  private static final String ROUTE = "/conda/<path>";

  private final ChannelService channels;
  private final IndexService index;
  private final BlobStore blobs;
  private final DownloadCounter downloads;
  private final MappedBlobs mapped = new MappedBlobs(64);
  private final JoinedBodies joined = new JoinedBodies();

  CondaFastPath(ChannelService channels, IndexService index, BlobStore blobs, DownloadCounter downloads) {
    this.channels = channels;
    this.index = index;
    this.blobs = blobs;
    this.downloads = downloads;
  }

  /** What Jetty reads to decide where to call {@link #handle}: on the selector thread, with no hand-off. */
  @Override
  public InvocationType getInvocationType() {
    return InvocationType.NON_BLOCKING;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (take(request, response, callback, false)) {
      return true;
    }
    try {
      request.getComponents().getExecutor().execute(() -> onWorker(request, response, callback));
    } catch (RejectedExecutionException e) { // the pool is stopping
      Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503);
    }
    return true;
  }

  /** On a pool thread, where waiting is allowed: this path with the waiting look-ups, else Javalin. */
  private void onWorker(Request request, Response response, Callback callback) {
    try {
      if (!take(request, response, callback, true) && !super.handle(request, response, callback)) {
        Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
      }
    } catch (Throwable t) {
      callback.failed(t);
    }
  }

  /**
   * Answers the request and returns true, or returns false with nothing written. With {@code mayWait}
   * false it never blocks: it reads only the caches and the published snapshots and answers only from
   * memory.
   */
  private boolean take(Request request, Response response, Callback callback, boolean mayWait)
      throws IOException {
    String method = request.getMethod();
    boolean head = method.equals("HEAD");
    String path = request.getHttpURI().getPath();
    if (!head && !method.equals("GET") || path == null || !path.startsWith(PREFIX) || credentials(request)) {
      return false;
    }
    List<String> segs = PathSegments.split(path).orElse(null);
    if (segs == null || segs.size() < 2) {
      return false;
    }
    Optional<Channel> found = mayWait ? channels.find(segs.get(1)) : channels.cached(segs.get(1));
    List<String> rest = segs.subList(2, segs.size());
    String label = ChannelNames.DEFAULT_LABEL;
    if (rest.size() >= 2 && rest.get(0).equals("label")) {
      label = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    // Only what anyone may read is answered here: the rest needs CondaRoutes' refusals.
    if (found.isEmpty() || !Access.allowed(Principal.ANONYMOUS, found.get(), label, Action.READ)) {
      return false;
    }
    Channel channel = found.get();
    if (rest.size() == 1 && rest.get(0).equals("channeldata.json")) {
      Optional<Artifact> a = mayWait ? index.channeldata(channel, label) : index.publishedChanneldata(channel, label);
      return a.isPresent() && artifact(request, response, callback, a.get(), head, mayWait);
    }
    if (rest.size() != 2) {
      return false; // shards and anything unknown
    }
    Optional<SubdirSnapshot> subdir = mayWait ? index.subdir(channel, label, rest.get(0))
        : index.publishedSubdir(channel, label, rest.get(0));
    if (subdir.isEmpty()) {
      return false;
    }
    Optional<Artifact> meta = subdir.get().metadata(rest.get(1));
    if (meta.isPresent()) {
      return artifact(request, response, callback, meta.get(), head, mayWait);
    }
    Optional<PublishedFile> file = subdir.get().file(rest.get(1));
    if (file.isEmpty() || !mayWait) { // mapping a file and its first reads may wait for the disk
      return false;
    }
    PublishedFile f = file.get();
    String lbl = label;
    String subdirName = rest.get(0);
    return packageFile(request, response, callback, f, head,
        () -> downloads.completed(channel.id(), lbl, subdirName, f.filename()));
  }

  /** A token, a Basic or Bearer credential or a session cookie: RequestAuth decides what they mean. */
  private static boolean credentials(Request request) {
    HttpFields h = request.getHeaders();
    if (h.contains(HttpHeader.AUTHORIZATION) || h.contains("X-API-Key")) {
      return true;
    }
    for (var cookie : h.getValuesList(HttpHeader.COOKIE)) {
      if (cookie.contains(RequestAuth.SESSION_COOKIE)) {
        return true;
      }
    }
    return false;
  }

  /** Without {@code mayWait}, only an answer without a body or with one already joined in memory. */
  private boolean artifact(Request request, Response response, Callback callback, Artifact a, boolean head,
      boolean mayWait) {
    FileAnswer answer = FileAnswers.artifact(a, asked(request, head), false);
    ByteBuffer whole = null;
    if (answer.document() != null) {
      // a published document's pieces may be mapped from files not in the page cache
      whole = mayWait ? joined.get(answer.document()) : joined.cached(answer.document());
      if (whole == null && !mayWait) {
        return false;
      }
    }
    write(request, response, answer);
    if (answer.document() == null) {
      callback.succeeded();
    } else {
      BufferSequence.write(request, response, whole == null ? answer.document().parts() : List.of(whole), callback);
    }
    return true;
  }

  private boolean packageFile(Request request, Response response, Callback callback, PublishedFile f, boolean head,
      Runnable completed) throws IOException {
    Optional<Path> local = blobs.localFile(f.blobKey());
    List<ByteBuffer> regions = local.isEmpty() ? null : mapped.regions(f.blobKey(), local.get(), f.size());
    if (regions == null) {
      return false; // a passive mirror's file not fetched yet, or a store without local files
    }
    FileAnswer answer = FileAnswers.packageFile(f, asked(request, head), false);
    write(request, response, answer);
    if (answer.fileLength() < 0) {
      callback.succeeded();
      return true;
    }
    Callback done = !answer.completesDownload() ? callback : Callback.from(() -> {
      completed.run();
      callback.succeeded();
    }, callback::failed);
    BufferSequence.write(request, response, MappedBlobs.slice(regions, answer.fileStart(), answer.fileLength()), done);
    return true;
  }

  private static FileAnswer.Asked asked(Request request, boolean head) {
    HttpFields h = request.getHeaders();
    return new FileAnswer.Asked(head, h.get(HttpHeader.IF_NONE_MATCH), h.get(HttpHeader.IF_MODIFIED_SINCE),
        h.get(HttpHeader.ACCEPT_ENCODING), h.get(HttpHeader.RANGE), h.get(HttpHeader.IF_RANGE));
  }

  /** Status and header fields; the security headers are in place already (a connector customizer). */
  private static void write(Request request, Response response, FileAnswer answer) {
    request.setAttribute(RequestObserver.ROUTE, ROUTE);
    response.setStatus(answer.status());
    HttpFields.Mutable out = response.getHeaders();
    for (HttpField f : answer.fields()) {
      out.add(f);
    }
    if (answer.contentLength() >= 0) {
      out.put(HttpHeader.CONTENT_LENGTH, answer.contentLength());
    }
  }
}
