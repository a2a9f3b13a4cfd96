package io.wharf.server.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.wharf.server.auth.Access;
import io.wharf.server.auth.Action;
import io.wharf.server.auth.AuthServices;
import io.wharf.server.auth.Authenticator;
import io.wharf.server.auth.Principal;
import io.wharf.server.channel.ChannelNames;
import io.wharf.server.channel.ChannelService;
import io.wharf.server.mirror.Mirror;
import io.wharf.server.mirror.MirrorRunView;
import io.wharf.server.mirror.MirrorService;
import io.wharf.server.ui.Format;
import io.wharf.server.ui.MirrorsPage;
import java.util.List;

/** {@code /mirrors}: the mirrors the viewer may manage (administrators: all) and their latest runs. */
final class MirrorPages {
  private static final int RUNS_SHOWN = 10;
  private final ChannelService channels;
  private final MirrorService mirrors;
  private final AuthServices auth;
  private final PageRenderer pages;

  MirrorPages(ChannelService channels, MirrorService mirrors, AuthServices auth, PageRenderer pages) {
    this.channels = channels;
    this.mirrors = mirrors;
    this.auth = auth;
    this.pages = pages;
  }

  void register(RoutesConfig routes) {
    routes.get("/mirrors", this::list);
  }

  private void list(Context ctx) {
    Principal who = RequestAuth.principal(ctx, auth);
    Authenticator.requireSignedIn(who);
    List<MirrorsPage.MirrorRow> rows = mirrors.list().stream()
        .filter(m -> who.isAdmin() || channels.find(m.channelName())
            .map(c -> Access.allowed(who, c, Action.MANAGE)).orElse(false))
        .map(this::row).toList();
    pages.render(ctx, "mirrors.jte", new MirrorsPage(rows));
  }

  private MirrorsPage.MirrorRow row(Mirror m) {
    boolean main = m.label().equals(ChannelNames.DEFAULT_LABEL);
    String target = m.channelName() + (main ? "" : "/label/" + m.label());
    List<MirrorsPage.RunRow> runs = mirrors.history(m, RUNS_SHOWN).stream().map(MirrorPages::run).toList();
    return new MirrorsPage.MirrorRow(m.name(), m.upstreamUrl(), target, "/channels/" + m.channelName(),
        m.mode().text(), m.subdirs().isEmpty() ? "upstream's" : String.join(", ", m.subdirs()), records(m),
        m.removeDeleted(),
        m.hasCredentials(), policy(m), schedule(m), runs);
  }

  private static String records(Mirror m) {
    return m.records() == io.wharf.server.mirror.MirrorRecords.UNPATCHED
        ? "unpatched (repodata_from_packages.json): only this channel's patches apply"
        : "patched (repodata.json): upstream's patches applied";
  }

  private String policy(Mirror m) {
    return (mirrors.policies() == null ? java.util.Optional.<io.wharf.server.mirror.policy.JdbcPolicies.Attached>empty()
        : mirrors.policies().ofMirror(m.id()))
        .map(a -> a.policy().name() + (a.removeExcluded() ? ", files it newly excludes are removed" : ""))
        .orElse("none: everything upstream is taken");
  }

  private static String schedule(Mirror m) {
    return m.every() == null ? "only when asked" : "every " + io.wharf.server.mirror.Every.text(m.every())
        + (m.nextRunAt() == null ? "" : ", next " + Format.time(m.nextRunAt()));
  }

  private static MirrorsPage.RunRow run(MirrorRunView r) {
    return new MirrorsPage.RunRow(Format.time(r.startedAt()), r.finishedAt() == null ? "running"
        : Format.time(r.finishedAt()), r.status(), r.files(), Format.size(r.bytes()), r.errors(), r.removed(),
        r.message() == null ? "" : r.message());
  }
}
