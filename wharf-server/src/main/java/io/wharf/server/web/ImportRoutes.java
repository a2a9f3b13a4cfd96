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
import io.wharf.server.jobs.Job;
import io.wharf.server.jobs.JobService;
import io.wharf.server.pkg.DirectoryImportJob;
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
  static final String NDJSON = "application/x-ndjson";
  private static final int ANSWER_BACKLOG = 10_000;

  private final ChannelService channels;
  private final PackageService packages;
  private final ImportService imports;
  private final AuthServices auth;
  private final ImportServed served;
  private final JobService jobs;

  private final long minBodyRate;

  ImportRoutes(ChannelService channels, PackageService packages, ImportService imports, AuthServices auth,
      IndexService index, SearchIndexer searchIndex, JobService jobs, long minBodyRate) {
    this.minBodyRate = minBodyRate;
    this.channels = channels;
    this.packages = packages;
    this.imports = imports;
    this.auth = auth;
    this.served = new ImportServed(index, searchIndex);
    this.jobs = jobs;
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
    JsonNode background = body.get("background");
    if (background != null && !background.isBoolean()) {
      throw WharfException.invalid("invalid_field", "'background' must be true or false");
    }
    if (background != null && background.asBoolean()) {
      queue(ctx, dir);
      return;
    }
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
   * Queues the import as a background job: 202 with the job and {@code Location: /api/jobs/{id}}. While an
   * import of the same directory into the same channel location is queued or running, the answer is 409
   * {@code import_running} naming that job in {@code details.job_id}.
   */
  private void queue(Context ctx, java.nio.file.Path dir) {
    ImportService.Target at = imports.target(ctx.pathParam("channel"), ctx.queryParam("label"));
    Channel channel = at.channel();
    String label = at.label();
    JobService.Submitted s = jobs.submitOnce(DirectoryImportJob.KIND,
        DirectoryImportJob.params(channel, label, dir, RequestAuth.actor(ctx, auth)), RequestAuth.principal(ctx, auth),
        DirectoryImportJob.singletonKey(channel, label, dir));
    if (!s.queued()) {
      Job job = s.job();
      throw new WharfException(WharfException.Kind.CONFLICT, "import_running", "an import of " + dir + " into channel "
          + channel.name() + " is " + job.state().label() + " as job " + job.id() + "; follow it at /api/jobs/"
          + job.id(), Map.of("job_id", job.id()));
    }
    JobRoutes.accepted(ctx, s.job());
  }

  /** Waits until what was imported is served ({@link ImportServed}), then ends the answer with the tally. */
  private void finish(ImportService.Run run, ImportService.Summary summary, NdjsonStream out) {
    served.await(run, summary);
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
