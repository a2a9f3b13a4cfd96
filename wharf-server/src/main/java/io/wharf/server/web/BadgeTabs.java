package io.wharf.server.web;

import io.javalin.http.Context;
import io.wharf.server.badge.BadgeKind;
import io.wharf.server.badge.BadgeService;
import io.wharf.server.channel.Channel;
import io.wharf.server.channel.ChannelNames;
import io.wharf.server.channel.Privacy;
import io.wharf.server.ui.BadgeTab;
import java.util.List;

/** Builds the package page's Badges tab: the URLs of {@link BadgeRoutes} and their embed snippets. */
final class BadgeTabs {
  private BadgeTabs() {}

  /** The badges of package {@code name} in this label of the channel (the label the page installs from). */
  static BadgeTab build(Context ctx, BadgeService badges, Channel c, String name, String label) {
    boolean main = label.equals(ChannelNames.DEFAULT_LABEL);
    String path = "/badges/" + c.name() + (main ? "" : "/label/" + label) + "/" + name + "/";
    String origin = PublicUrls.origin(ctx);
    boolean needsToken = c.privacy() != Privacy.PUBLIC;
    String query = needsToken ? "?token=" + BadgeTab.TOKEN_PLACEHOLDER : "";
    String target = origin + "/channels/" + c.name() + "/packages/" + name;
    List<BadgeTab.Entry> entries = badges.served().stream().map(kind -> {
      String url = origin + path + kind.file() + query;
      String alt = name + " " + kind.title().toLowerCase(java.util.Locale.ROOT);
      return new BadgeTab.Entry(kind.slug(), kind.title(), path + kind.file(), url, snippets(kind, url, alt, target));
    }).toList();
    return new BadgeTab(c.name() + (main ? "" : "/label/" + label), needsToken, "/tokens", entries);
  }

  /**
   * The same image with a link to the package page, in each markup. Names, labels and channel names are of
   * URL-safe characters (CEP 26 and the channel name rules), so the alt text and URLs need no quoting.
   */
  static List<BadgeTab.Snippet> snippets(BadgeKind kind, String url, String alt, String target) {
    String id = "badge-" + kind.slug() + "-";
    return List.of(
        new BadgeTab.Snippet(id + "markdown", "Markdown", "[![" + alt + "](" + url + ")](" + target + ")"),
        new BadgeTab.Snippet(id + "html", "HTML",
            "<a href=\"" + target + "\"><img src=\"" + url + "\" alt=\"" + alt + "\"></a>"),
        new BadgeTab.Snippet(id + "rst", "reStructuredText",
            ".. image:: " + url + "\n   :alt: " + alt + "\n   :target: " + target),
        new BadgeTab.Snippet(id + "asciidoc", "AsciiDoc", "image:" + url + "[" + alt + ",link=\"" + target + "\"]"));
  }
}
