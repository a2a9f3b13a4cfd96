package io.wharf.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.wharf.server.auth.AuthServices;
import io.wharf.server.auth.Authenticator;
import io.wharf.server.channel.Channel;
import io.wharf.server.channel.ChannelService;
import io.wharf.server.error.WharfException;
import io.wharf.server.index.IndexService;
import io.wharf.server.pkg.ImportService;
import io.wharf.server.pkg.PackageFileRepository;
import io.wharf.server.pkg.PackageService;
import io.wharf.server.search.SearchIndexer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bulk import: {@code POST /api/channels/{channel}/import} takes a tar stream of package files named
 * {@code <subdir>/<filename>} and answers with one JSON line per file as it is settled, then a summary;
 * {@code POST /api/channels/{channel}/import/directory} has the server read such a channel directory on its
 * own machine (administrators only, below {@code import.directories}) and answers the same way, after a
 * first line with the number of package files found;
 * {@code POST /api/channels/{channel}/files/lookup} tells which files a channel already holds, so that
 * a client sends only the others.
 */
final class ImportRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(ImportRoutes.class);
  static final String NDJSON = "application/x-ndjson";
  // an import's last batch is usually published within a second; a large first publication takes longer
  private static final long VISIBLE_WAIT_MILLIS = 60_000;
  private static final int ANSWER_BACKLOG = 10_000;

  private final ChannelService channels;
  private final PackageService packages;
  private final ImportService imports;
  private final AuthServices auth;
  private final IndexService index;
  private final SearchIndexer searchIndex;

  private final long minBodyRate;

  ImportRoutes(ChannelService channels, PackageService packages, ImportService imports, AuthServices auth,
      IndexService index, SearchIndexer searchIndex, long minBodyRate) {
    this.minBodyRate = minBodyRate;
    this.channels = channels;
    this.packages = packages;
    this.imports = imports;
    this.auth = auth;
    this.index = index;
    this.searchIndex = searchIndex;
  }

  void register(RouteTable api) {
    api.add(HandlerType.POST, "/api/channels/{channel}/import", this::importFiles);
    api.add(HandlerType.POST, "/api/channels/{channel}/import/directory", this::importDirectory);
    api.add(HandlerType.POST, "/api/channels/{channel}/files/lookup", this::lookup);
  }

  private void importFiles(Context ctx) throws IOException {
    RequestAuth.requireWrite(ctx, auth, ctx.pathParam("channel"), ctx.queryParam("label"));
    try (ImportService.Run run = imports.start(ctx.pathParam("channel"), ctx.queryParam("label"),
        RequestAuth.actor(ctx, auth))) {
      // Until the first line is written, a refusal (not a tar stream) can still be an ordinary JSON error.
      ctx.status(200).contentType(NDJSON);
      ImportService.Summary summary;
      try (NdjsonStream out = new NdjsonStream(ctx.outputStream(), "wharf-import-answer")) {
        summary = run.importTar(new PacedBody(ctx.bodyInputStream(), minBodyRate), o -> out.send(line(o)));
        finish(run, summary, out);
      }
    }
  }

  private void importDirectory(Context ctx) throws IOException {
    RequestAuth.requireWrite(ctx, auth, ctx.pathParam("channel"), ctx.queryParam("label"));
    // it reads this machine's disk, which is the administrators' to open
    Authenticator.requireAdmin(RequestAuth.principal(ctx, auth));
    JsonNode body = JsonBodies.object(ctx);
    JsonNode directory = body.get("directory");
    java.nio.file.Path dir = imports.allowedDirectory(directory == null || !directory.isTextual() ? null
        : directory.asText());
    try (ImportService.Run run = imports.start(ctx.pathParam("channel"), ctx.queryParam("label"),
        RequestAuth.actor(ctx, auth))) {
      ctx.status(200).contentType(NDJSON);
      try (NdjsonStream out = new NdjsonStream(ctx.outputStream(), "wharf-import-answer")) {
        // at most about 10,000 answer lines wait for a slow client, and a client that went away ends the import
        ImportService.Summary summary = run.importDirectory(dir, n -> out.send(Map.of("total", n)),
            o -> out.send(line(o)), () -> out.awaitRoom(ANSWER_BACKLOG));
        finish(run, summary, out);
      }
    }
  }

  /**
   * Waits until what was imported is served and found, and until this node has published every subdir of the
   * import's label (so the first client after a migration does not wait for a whole first publication), then
   * ends the answer with the tally.
   */
  private void finish(ImportService.Run run, ImportService.Summary summary, NdjsonStream out) {
    // Read-your-writes, as for an upload: once the answer ends, this node serves and finds what was
    // imported (the import's batches were indexed for search in the background).
    long deadline = System.currentTimeMillis() + VISIBLE_WAIT_MILLIS;
    for (long seq : summary.seqs()) {
      index.awaitVisible(seq, Math.max(0, deadline - System.currentTimeMillis()));
    }
    searchIndex.awaitIdle(java.time.Duration.ofMillis(Math.max(0, deadline - System.currentTimeMillis())));
    try {
      index.prepare(run.channel().id(), run.label())
          .get(Math.max(0, deadline - System.currentTimeMillis()), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      // still publishing: the first request for a subdir joins that publication
    } catch (java.util.concurrent.ExecutionException e) {
      LOG.warn("publishing channel {} after an import failed", run.channel().name(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (summary.failure() != null) {
      out.send(ErrorMapper.body(summary.failure().code(), summary.failure().getMessage(), Map.of()));
    }
    Map<String, Object> tally = new LinkedHashMap<>();
    tally.put("imported", summary.imported());
    tally.put("skipped", summary.skipped());
    tally.put("refused", summary.refused());
    tally.put("complete", summary.failure() == null);
    out.send(Map.of("summary", tally));
  }

  private static Map<String, Object> line(ImportService.Outcome o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", o.path());
    m.put("status", o.status().name().toLowerCase(java.util.Locale.ROOT));
    if (o.status() == ImportService.Status.REFUSED) {
      m.put("error", o.code());
      m.put("message", o.message());
    }
    return m;
  }

  private void lookup(Context ctx) {
    Channel c = auth.channels().readable(ctx.pathParam("channel"), RequestAuth.principal(ctx, auth));
    JsonNode body = JsonBodies.object(ctx);
    JsonNode files = body.get("files");
    if (files == null || !files.isArray()) {
      throw WharfException.invalid("missing_field", "the request body needs 'files', a list of {subdir, filename}");
    }
    Map<String, List<String>> bySubdir = new TreeMap<>();
    for (JsonNode f : files) {
      String subdir = f.path("subdir").asText("");
      String filename = f.path("filename").asText("");
      if (subdir.isEmpty() || filename.isEmpty()) {
        throw WharfException.invalid("invalid_field", "each entry of 'files' needs a 'subdir' and a 'filename'");
      }
      bySubdir.computeIfAbsent(subdir, k -> new ArrayList<>()).add(filename);
    }
    JsonNode label = body.get("label");
    List<Map<String, Object>> present = new ArrayList<>();
    for (PackageFileRepository.Located l : packages.locate(c, label == null || label.isNull() ? null : label.asText(),
        bySubdir)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("subdir", l.subdir());
      m.put("filename", l.filename());
      m.put("size", l.size());
      m.put("sha256", l.sha256());
      present.add(m);
    }
    ctx.json(Map.of("present", present));
  }
}
