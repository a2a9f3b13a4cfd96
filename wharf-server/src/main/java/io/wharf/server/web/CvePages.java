package io.wharf.server.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.wharf.server.auth.Access;
import io.wharf.server.auth.AuthServices;
import io.wharf.server.auth.Action;
import io.wharf.server.auth.Principal;
import io.wharf.server.channel.Channel;
import io.wharf.server.channel.ChannelNames;
import io.wharf.server.channel.ChannelService;
import io.wharf.server.error.WharfException;
import io.wharf.server.pkg.PackageService;
import io.wharf.server.ui.CveViews;
import io.wharf.server.ui.Format;
import io.wharf.server.ui.Links;
import io.wharf.server.vuln.CveDetail;
import io.wharf.server.vuln.CveStatus;
import io.wharf.server.vuln.VulnerabilityService;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The CVE pages: every CVE affecting a file the viewer may read, one CVE's detail with its status history,
 * and the curation form of a CVE on one file, offered on the files the viewer may curate ({@link CveCuration},
 * the same change as {@code POST /api/cves/{id}/status}).
 */
final class CvePages {
  private final ChannelService channels;
  private final PackageService packages;
  private final VulnerabilityService vulns;
  private final AuthServices auth;
  private final PageRenderer pages;

  CvePages(ChannelService channels, PackageService packages, VulnerabilityService vulns, AuthServices auth,
      PageRenderer pages) {
    this.channels = channels;
    this.packages = packages;
    this.vulns = vulns;
    this.auth = auth;
    this.pages = pages;
  }

  void register(RoutesConfig routes) {
    routes.get("/cves", this::list);
    routes.get("/cves/{id}", this::detail);
    routes.post("/cves/{id}/status", this::curate);
  }

  private void list(Context ctx) {
    Map<Long, Channel> readable = Access.readable(RequestAuth.principal(ctx, auth), channels.list());
    pages.render(ctx, "cves.jte", new CveViews.ListPage(
        CveListing.build(ctx, vulns, readable.keySet(), null, "/cves", Map.of())));
  }

  private void detail(Context ctx) {
    Principal who = RequestAuth.principal(ctx, auth);
    Map<Long, Channel> readable = Access.readable(who, channels.list());
    // A CVE linked to no file the viewer may read is not shown: its existence says nothing about them.
    // Administrators see every stored CVE, matched or not (they import them).
    CveDetail d = vulns.queries().find(ctx.pathParam("id"), readable.keySet())
        .filter(x -> who.isAdmin() || !x.files().isEmpty())
        .orElseThrow(() -> WharfException.notFound("no_such_cve", "no CVE " + ctx.pathParam("id")));
    List<CveViews.Vector> vectors = d.vectors().stream()
        .map(v -> new CveViews.Vector(v.version(), v.vector(), CveListing.score(v.baseScore()))).toList();
    List<CveViews.Reference> refs = d.references().stream()
        .map(r -> new CveViews.Reference(r, Links.safeHref(r))).toList();
    List<CveViews.AffectedFile> files = d.files().stream().map(f -> {
      Channel channel = readable.get(f.channelId());
      return new CveViews.AffectedFile(channel.name(), f.label(), f.subdir(), f.filename(), f.name(), f.version(),
          "/channels/" + channel.name() + "/packages/" + f.name(), f.link().status().label(),
          Format.time(f.link().curatedAt()), nonNull(f.link().curator()), nonNull(f.link().note()),
          Access.allowed(who, channel, f.label(), Action.CURATE));
    }).toList();
    List<CveViews.Change> history = vulns.queries().history(d.cve().id(), readable.keySet()).stream()
        .map(c -> new CveViews.Change(Format.time(c.at()), readable.get(c.channelId()).name(),
            (c.label().equals(ChannelNames.DEFAULT_LABEL) ? "" : c.label() + "/") + c.subdir() + "/" + c.filename(),
            c.status().label(), nonNull(c.curator()), nonNull(c.note())))
        .toList();
    pages.render(ctx, "cve.jte", new CveViews.Detail(CveListing.row(d.cve()), d.cve().aliases(), vectors, refs,
        files, files.stream().anyMatch(CveViews.AffectedFile::curate),
        Arrays.stream(CveStatus.values()).map(CveStatus::label).toList(), history));
  }

  /** Form fields: channel, label, subdir, filename, status, note and the session's csrf token. */
  private void curate(Context ctx) {
    Principal who = RequestAuth.principal(ctx, auth);
    String note = ctx.formParam("note");
    CveCuration.Result r = new CveCuration(auth, packages, vulns).apply(who, RequestAuth.actor(ctx, auth).name(),
        ctx.pathParam("id"), new CveCuration.Request(required(ctx, "channel"), ctx.formParam("label"),
            required(ctx, "subdir"), required(ctx, "filename"), null, ctx.formParam("status"),
            note == null || note.isBlank() ? null : note.trim()));
    ctx.redirect("/cves/" + CveListing.enc(r.cveId()) + "#files", HttpStatus.SEE_OTHER);
  }

  private static String required(Context ctx, String field) {
    String v = ctx.formParam(field);
    if (v == null || v.isBlank()) {
      throw WharfException.invalid("missing_field", "the form needs a '" + field + "'");
    }
    return v;
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }
}
