package io.wharf.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.wharf.server.auth.Access;
import io.wharf.server.auth.AuthServices;
import io.wharf.server.auth.Authenticator;
import io.wharf.server.auth.Principal;
import io.wharf.server.channel.Channel;
import io.wharf.server.channel.ChannelService;
import io.wharf.server.error.WharfException;
import io.wharf.server.pkg.PackageFile;
import io.wharf.server.pkg.PackageService;
import io.wharf.server.jobs.JobService;
import io.wharf.server.vuln.CveDetail;
import io.wharf.server.vuln.CveImportJob;
import io.wharf.server.vuln.CveQuery;
import io.wharf.server.vuln.CveStatus;
import io.wharf.server.vuln.CveSummary;
import io.wharf.server.vuln.CveView;
import io.wharf.server.vuln.VulnerabilityService;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CVEs: import (administrators), listing and detail (whoever may read a linked file's channel), a file's
 * CVEs with its summary, and curation (whoever may curate the files' channel). The import runs as a
 * background job.
 */
final class CveRoutes {
  private final ChannelService channels;
  private final PackageService packages;
  private final VulnerabilityService vulns;
  private final AuthServices auth;
  private final JobService jobs;
  private final long minBodyRate;

  CveRoutes(ChannelService channels, PackageService packages, VulnerabilityService vulns, AuthServices auth,
      JobService jobs, long minBodyRate) {
    this.jobs = jobs;
    this.channels = channels;
    this.packages = packages;
    this.vulns = vulns;
    this.auth = auth;
    this.minBodyRate = minBodyRate;
  }

  void register(RouteTable api) {
    api.add(HandlerType.POST, "/api/cves/import", this::importData);
    api.add(HandlerType.GET, "/api/cves", this::list);
    api.add(HandlerType.GET, "/api/cves/{id}", this::show);
    api.add(HandlerType.POST, "/api/cves/{id}/status", this::setStatus);
    api.add(HandlerType.GET, "/api/channels/{channel}/files/{subdir}/{filename}/cves", this::fileCves);
  }

  /**
   * Queues an import job and answers 202 with it. The body is either one file named by {@code filename} (its
   * extension says the format: .json, .yaml, .zip...), stored with the job so that any node can run it, or a
   * JSON object {@code {"url": ...}} that the node running the job downloads.
   */
  private void importData(Context ctx) throws IOException {
    Principal who = RequestAuth.principal(ctx, auth);
    Authenticator.requireAdmin(who);
    String filename = ctx.queryParam("filename");
    String type = ctx.contentType() == null ? "" : ctx.contentType();
    if (filename == null && type.startsWith("application/json")) {
      String url = JsonBodies.text(JsonBodies.object(ctx), "url");
      if (url == null) {
        throw WharfException.invalid("missing_field", "name the data's 'url', or send the data itself with ?filename=");
      }
      JobRoutes.accepted(ctx, jobs.submit(CveImportJob.KIND, CveImportJob.fromUrl(url), who, null));
      return;
    }
    if (filename == null || filename.isBlank()) {
      throw WharfException.invalid("missing_filename",
          "name the data with ?filename=..., e.g. CVE-2024.json.gz, advisories.zip or PYSEC-2023-74.yaml");
    }
    try (JobService.Input input = jobs.spool(new PacedBody(ctx.bodyInputStream(), minBodyRate))) {
      JobRoutes.accepted(ctx, jobs.submit(CveImportJob.KIND, CveImportJob.uploaded(filename, input.size()), who,
          input));
    }
  }

  private void list(Context ctx) {
    Principal who = RequestAuth.principal(ctx, auth);
    Map<Long, Channel> readable = Access.readable(who, channels.list());
    String channel = ctx.queryParam("channel");
    Long file = null;
    if (channel != null) {
      Channel c = auth.channels().readable(channel, who);
      readable = Map.of(c.id(), c);
      file = file(ctx, c);
    } else if (ctx.queryParam("file") != null) {
      throw WharfException.invalid("missing_channel", "file= needs the file's channel=");
    }
    List<String> after = Paging.cursor(ctx, 1);
    int limit = Paging.limit(ctx);
    if (limit < 1 || limit > 1000) {
      throw WharfException.invalid("invalid_limit", "limit must be between 1 and 1000");
    }
    String status = ctx.queryParam("status");
    List<CveView> page = vulns.queries().list(new CveQuery(readable.keySet(), ctx.queryParam("package"),
        number(ctx, "min_score"), number(ctx, "max_score"), status == null ? null : CveStatus.parse(status),
        ctx.queryParam("name"), time(ctx, "published_from"), time(ctx, "published_to"),
        time(ctx, "modified_from"), time(ctx, "modified_to"), time(ctx, "curated_from"), time(ctx, "curated_to"),
        after == null ? null : after.get(0), limit, file));
    if (page.size() > limit) {
      page = page.subList(0, limit);
      Paging.linkNext(ctx, page.get(limit - 1).id());
    }
    ctx.json(page.stream().map(CveRoutes::view).toList());
  }

  private void show(Context ctx) {
    Principal who = RequestAuth.principal(ctx, auth);
    Map<Long, Channel> readable = Access.readable(who, channels.list());
    // Like the page: a CVE linked to no file the caller may read is missing, whether or not it is stored;
    // administrators see every stored CVE.
    CveDetail d = vulns.queries().find(ctx.pathParam("id"), readable.keySet())
        .filter(x -> who.isAdmin() || !x.files().isEmpty())
        .orElseThrow(() -> WharfException.notFound("no_such_cve", "no CVE " + ctx.pathParam("id")));
    Map<String, Object> m = view(d.cve());
    m.put("vectors", d.vectors().stream().map(v -> Map.of("version", v.version(), "vector", v.vector(),
        "base_score", v.baseScore())).toList());
    m.put("references", d.references());
    m.put("affected_files", d.files().stream().map(f -> {
      Map<String, Object> fm = new LinkedHashMap<>();
      fm.put("channel", readable.get(f.channelId()).name());
      fm.put("label", f.label());
      fm.put("subdir", f.subdir());
      fm.put("filename", f.filename());
      fm.put("name", f.name());
      fm.put("version", f.version());
      link(fm, f.link());
      return fm;
    }).toList());
    m.put("history", vulns.queries().history(d.cve().id(), readable.keySet()).stream().map(h -> {
      Map<String, Object> hm = new LinkedHashMap<>();
      hm.put("at", h.at().toString());
      hm.put("channel", readable.get(h.channelId()).name());
      hm.put("label", h.label());
      hm.put("subdir", h.subdir());
      hm.put("filename", h.filename());
      hm.put("status", h.status().label());
      hm.put("curator", h.curator());
      hm.put("note", h.note());
      return hm;
    }).toList());
    ctx.json(m);
  }

  /**
   * Body: {channel, label?, subdir + filename | package, status, note?}; the caller must curate that channel
   * ({@link CveCuration}).
   */
  private void setStatus(Context ctx) {
    Principal who = RequestAuth.principal(ctx, auth);
    JsonNode body = JsonBodies.object(ctx);
    CveCuration.Result r = new CveCuration(auth, packages, vulns).apply(who, RequestAuth.actor(ctx, auth).name(),
        ctx.pathParam("id"), new CveCuration.Request(JsonBodies.text(body, "channel"), JsonBodies.text(body, "label"),
            JsonBodies.text(body, "subdir"), JsonBodies.text(body, "filename"), JsonBodies.text(body, "package"),
            JsonBodies.text(body, "status"), JsonBodies.text(body, "note")));
    ctx.json(r.changed().stream().map(f -> {
      Map<String, Object> fm = fileKey(r.channel(), f);
      fm.put("status", r.status().label());
      return fm;
    }).toList());
  }

  private void fileCves(Context ctx) {
    Channel c = auth.channels().readable(ctx.pathParam("channel"), RequestAuth.principal(ctx, auth));
    PackageFile f = packages.file(c, ctx.queryParam("label"), ctx.pathParam("subdir"), ctx.pathParam("filename"));
    var cves = vulns.matches().forFile(f.id());
    Map<String, Object> m = fileKey(c, f);
    m.putAll(summary(CveSummary.of(cves)));
    m.put("cves", cves.stream().map(link -> {
      Map<String, Object> lm = new LinkedHashMap<>();
      lm.put("id", link.cveId());
      link(lm, link);
      return lm;
    }).toList());
    ctx.json(m);
  }

  /** The per-file CVE columns: highest score under the summary rule, number of CVEs, most severe status. */
  static Map<String, Object> summary(CveSummary s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cve_score", s.score());
    m.put("cve_count", s.count());
    m.put("cve_status", s.status() == null ? null : s.status().label());
    return m;
  }

  private static Map<String, Object> fileKey(Channel c, PackageFile f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("channel", c.name());
    m.put("label", f.label());
    m.put("subdir", f.subdir());
    m.put("filename", f.filename());
    return m;
  }

  private static void link(Map<String, Object> m, io.wharf.server.vuln.FileCve l) {
    m.put("score", l.score());
    m.put("score_version", l.scoreVersion());
    m.put("severity", l.severity());
    m.put("status", l.status().label());
    m.put("curated_at", l.curatedAt() == null ? null : l.curatedAt().toString());
    m.put("curator", l.curator());
    m.put("note", l.note());
  }

  private static Map<String, Object> view(CveView v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", v.id());
    m.put("aliases", v.aliases());
    m.put("summary", v.summary());
    m.put("published", v.published() == null ? null : v.published().toString());
    m.put("modified", v.modified().toString());
    m.put("score", v.score());
    m.put("score_version", v.scoreVersion());
    m.put("severity", v.severity());
    m.put("files", v.files());
    m.put("status", v.status() == null ? null : v.status().label());
    m.put("curated", v.curated() == null ? null : v.curated().toString());
    return m;
  }

  /** The file named by {@code file=subdir/filename} (and {@code label}, main when absent), or null. */
  private Long file(Context ctx, Channel c) {
    String file = ctx.queryParam("file");
    if (file == null) {
      return null;
    }
    String[] key = CveListing.fileParam(file);
    return packages.file(c, ctx.queryParam("label"), key[0], key[1]).id();
  }

  private static Double number(Context ctx, String param) {
    String v = ctx.queryParam(param);
    try {
      return v == null ? null : Double.valueOf(v);
    } catch (NumberFormatException e) {
      throw WharfException.invalid("invalid_" + param, param + " must be a number, got '" + v + "'");
    }
  }

  static Instant time(Context ctx, String param) {
    String v = ctx.queryParam(param);
    try {
      return v == null ? null : v.length() == 10 ? Instant.parse(v + "T00:00:00Z") : Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw WharfException.invalid("invalid_" + param, param + " must be a date (2024-01-31) or an instant");
    }
  }
}
