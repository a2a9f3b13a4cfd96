package io.wharf.server.badge;

import io.wharf.server.auth.Access;
import io.wharf.server.auth.Action;
import io.wharf.server.auth.Principal;
import io.wharf.server.catalog.FileFacts;
import io.wharf.server.catalog.Newest;
import io.wharf.server.channel.Channel;
import io.wharf.server.channel.ChannelNames;
import io.wharf.server.channel.ChannelService;
import io.wharf.server.error.WharfException;
import io.wharf.server.pkg.PackageFile;
import io.wharf.server.pkg.PackageService;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Badges of a package in a channel label. A package the caller may not read gives nothing, exactly as a
 * missing channel, label or package does, and {@link #notFound} depends only on the badge asked for, so
 * the two answers cannot be told apart.
 */
public final class BadgeService {
  static final String BLUE = "#007ec6";
  static final String GREEN = "#4c1";
  static final String GREY = "#9f9f9f";

  private final ChannelService channels;
  private final PackageService packages;
  private final Clock clock;
  private final DownloadCounts downloads;
  private final BadgeSvg svg = new BadgeSvg(TextWidths.dejaVuSans());

  /** @param downloads the source of download totals, or null while there is none (no downloads badge) */
  public BadgeService(ChannelService channels, PackageService packages, Clock clock, DownloadCounts downloads) {
    this.channels = channels;
    this.packages = packages;
    this.clock = clock;
    this.downloads = downloads;
  }

  /** The badges this server answers, in the order the Badges tab shows them. */
  public Set<BadgeKind> served() {
    EnumSet<BadgeKind> all = EnumSet.allOf(BadgeKind.class);
    if (downloads == null) {
      all.remove(BadgeKind.DOWNLOADS);
    }
    return all;
  }

  /**
   * The facts of package {@code name} in this label of the channel, when the caller may read that label
   * (as conda reads it, {@link Access}) and the label holds the package.
   */
  public Optional<PackageFacts> facts(String channelName, String label, String name, Principal who) {
    Optional<Channel> c = channels.find(channelName);
    if (c.isEmpty() || !Access.allowed(who, c.get(), label, Action.READ)) {
      return Optional.empty();
    }
    List<PackageFile> files;
    try {
      files = new ArrayList<>(packages.filesOf(c.get(), name));
    } catch (WharfException e) {
      if (e.kind() == WharfException.Kind.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
    files.removeIf(f -> !f.label().equals(label));
    if (files.isEmpty()) {
      return Optional.empty();
    }
    files.sort(Newest.FIRST);
    PackageFile latest = files.get(0);
    List<String> platforms = files.stream().map(PackageFile::subdir)
        .collect(Collectors.toCollection(TreeSet::new)).stream().toList();
    return Optional.of(new PackageFacts(c.get(), label, latest.name(), latest.version(),
        FileFacts.of(latest).license(), platforms,
        files.stream().map(PackageFile::uploadedAt).max(java.util.Comparator.naturalOrder()).orElseThrow()));
  }

  /** The badge of this kind for the package; {@link BadgeKind#DOWNLOADS} only when it is served. */
  public Badge render(BadgeKind kind, PackageFacts f) {
    return switch (kind) {
      case VERSION -> svg.render(f.label().equals(ChannelNames.DEFAULT_LABEL) ? f.channel().name()
          : f.channel().name() + "/" + f.label(), f.version(), BLUE);
      case LICENSE -> svg.render("license", f.license().isEmpty() ? "unknown" : f.license(), BLUE);
      case PLATFORMS -> svg.render("platforms", String.join(" | ", f.platforms()), BLUE);
      case LATEST_RELEASE_DATE -> svg.render("last updated",
          DateTimeFormatter.ISO_LOCAL_DATE.format(f.lastUpload().atOffset(ZoneOffset.UTC)), BLUE);
      case LATEST_RELEASE_RELATIVE_DATE -> svg.render("last updated", Humanize.ago(f.lastUpload(), clock.instant()),
          BLUE);
      case DOWNLOADS -> {
        if (downloads == null) {
          throw new IllegalStateException("no download counts are wired in");
        }
        yield downloads(downloads.total(f.channel(), f.label(), f.name()));
      }
    };
  }

  /** The downloads badge for a total. */
  public Badge downloads(long total) {
    return svg.render("downloads", Humanize.count(total), GREEN);
  }

  /** What a badge of a missing (or unreadable) package shows. */
  public Badge notFound(BadgeKind kind) {
    String label = switch (kind) {
      case LATEST_RELEASE_DATE, LATEST_RELEASE_RELATIVE_DATE -> "last updated";
      default -> kind.slug();
    };
    return svg.render(label, "not found", GREY);
  }
}
