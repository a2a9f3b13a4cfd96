package io.wharf.server.web;

import io.javalin.http.Context;
import io.wharf.server.auth.Access;
import io.wharf.server.auth.Action;
import io.wharf.server.auth.AuthServices;
import io.wharf.server.auth.Principal;
import io.wharf.server.catalog.CatalogService;
import io.wharf.server.channel.Channel;
import io.wharf.server.channel.ChannelNames;
import io.wharf.server.ui.ManageControls;
import io.wharf.server.ui.Viewer;
import java.util.ArrayList;
import java.util.List;

/** Decides whether a channel's pages show the controls that change it, and what they offer. */
final class ManageAccess {
  private ManageAccess() {}

  /**
   * The controls for this viewer, or null: only a signed-in browser session that may write to the
   * channel gets them (the same rule the APIs apply when the scripts call them).
   */
  static ManageControls controls(Context ctx, AuthServices auth, CatalogService catalog, Channel channel,
      List<String> labels) {
    Viewer viewer = RequestAuth.viewer(ctx);
    Principal who = RequestAuth.principal(ctx, auth);
    if (!viewer.signedIn() || !Access.allowed(who, channel, Action.WRITE)) {
      return null;
    }
    List<String> targets = catalog.readable(who).values().stream()
        .filter(c -> Access.allowed(who, c, Action.WRITE)).map(Channel::name).sorted().toList();
    List<String> from = new ArrayList<>();
    from.add(ChannelNames.DEFAULT_LABEL);
    labels.stream().filter(l -> !l.equals(ChannelNames.DEFAULT_LABEL)).sorted().forEach(from::add);
    return new ManageControls(channel.name(), viewer.csrf(), targets, List.copyOf(from));
  }
}
