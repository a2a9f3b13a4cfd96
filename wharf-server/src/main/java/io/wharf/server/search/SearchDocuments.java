package io.wharf.server.search;

import io.wharf.conda.metadata.AboutJson;
import io.wharf.conda.metadata.InvalidMetadataException;
import io.wharf.conda.version.VersionOrder;
import io.wharf.server.pkg.PackageFile;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/** Builds the search document of one package name from all its files. */
final class SearchDocuments {
  // Enough for any real summary and a long README-style description; the index needs no more.
  static final int MAX_SUMMARY_CHARS = 1_000;
  static final int MAX_DESCRIPTION_CHARS = 10_000;

  /** Newest version (conda VersionOrder, CEP 33), then highest build number, then latest upload. */
  static final Comparator<PackageFile> NEWEST_LAST = Comparator
      .comparing(PackageFile::version, VersionOrder.COMPARATOR)
      .thenComparingLong(PackageFile::buildNumber)
      .thenComparing(PackageFile::uploadedAt);

  /**
   * The file a document takes its version and texts from: the greatest by {@link #NEWEST_LAST}, and of
   * equals the first by label, subdir, filename (the order {@code listByName} gives), so that the choice
   * depends on the files alone, not on the order they are listed in.
   */
  static final Comparator<PackageFile> LATEST = NEWEST_LAST.thenComparing(Comparator
      .comparing(PackageFile::label).thenComparing(PackageFile::subdir).thenComparing(PackageFile::filename)
      .reversed());

  private SearchDocuments() {}

  /** {@code named}: the files of one name in one channel, at least one. */
  static SearchDocument of(List<PackageFile> named, Function<PackageFile, String> licenseFamilyOf) {
    PackageFile latest = named.stream().max(LATEST).orElseThrow();
    Optional<AboutJson> about = about(latest);
    TreeSet<String> subdirs = new TreeSet<>();
    TreeSet<String> licenses = new TreeSet<>();
    Instant updated = Instant.EPOCH;
    for (PackageFile f : named) {
      subdirs.add(f.subdir());
      String family = licenseFamilyOf.apply(f);
      if (family != null && !family.isBlank()) {
        licenses.add(family);
      }
      updated = f.uploadedAt().isAfter(updated) ? f.uploadedAt() : updated;
    }
    return new SearchDocument(latest.channelId(), latest.name(), latest.version(),
        about.flatMap(AboutJson::summary).map(s -> oneLine(s, MAX_SUMMARY_CHARS))
            .filter(s -> !s.isEmpty()).orElse(null),
        about.flatMap(AboutJson::description).map(s -> oneLine(s, MAX_DESCRIPTION_CHARS))
            .filter(s -> !s.isEmpty()).orElse(null),
        List.copyOf(subdirs), List.copyOf(licenses), named.size(), updated);
  }

  private static Optional<AboutJson> about(PackageFile f) {
    if (f.aboutJson() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(AboutJson.parse(f.aboutJson().getBytes(StandardCharsets.UTF_8)));
    } catch (InvalidMetadataException e) {
      // Checked at upload; a row written by an older version may still hold something else.
      return Optional.empty();
    }
  }

  static String oneLine(String text, int maxChars) {
    String line = text.replace("\r\n", " ").replace('\r', ' ').replace('\n', ' ').strip();
    if (line.length() > maxChars) {
      int end = Character.isHighSurrogate(line.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
      line = line.substring(0, end);
    }
    return line;
  }
}
