package io.wharf.server.catalog;

import io.wharf.conda.version.VersionOrder;
import io.wharf.server.pkg.PackageFile;
import java.util.Comparator;

/** "Latest" as conda's classic solver prefers it (CONDA.md §5.1): VersionOrder, then build number, then time. */
public final class Newest {
  public static final Comparator<PackageFile> FIRST = Comparator
      .comparing(PackageFile::version, VersionOrder.COMPARATOR)
      .thenComparingLong(PackageFile::buildNumber)
      .thenComparing(PackageFile::uploadedAt)
      .reversed();

  private Newest() {}
}
