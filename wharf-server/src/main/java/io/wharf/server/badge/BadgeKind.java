package io.wharf.server.badge;

import java.util.Arrays;
import java.util.Optional;

/**
 * The badges of a package. File names are the ones people already embed from anaconda.org
 * ({@code <channel>/<package>/badges/version.svg} there, {@code /badges/<channel>/<package>/version.svg} here),
 * so moving a README over changes only the host and the start of the path.
 */
public enum BadgeKind {
  VERSION("version", "Version"),
  LICENSE("license", "License"),
  PLATFORMS("platforms", "Platforms"),
  LATEST_RELEASE_DATE("latest_release_date", "Last updated"),
  LATEST_RELEASE_RELATIVE_DATE("latest_release_relative_date", "Updated ago"),
  /** Total downloads, humanised ({@link Humanize#count}); served once a {@link DownloadCounts} is wired in. */
  DOWNLOADS("downloads", "Downloads");

  private final String slug;
  private final String title;

  BadgeKind(String slug, String title) {
    this.slug = slug;
    this.title = title;
  }

  /** The last part of the badge's URL, e.g. {@code version.svg}. */
  public String file() {
    return slug + ".svg";
  }

  public String slug() {
    return slug;
  }

  /** The name a person reads on the Badges tab. */
  public String title() {
    return title;
  }

  public static Optional<BadgeKind> fromFile(String file) {
    return Arrays.stream(values()).filter(k -> k.file().equals(file)).findFirst();
  }
}
