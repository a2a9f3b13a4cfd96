package io.wharf.server.catalog;

import io.wharf.conda.spec.Admits;
import io.wharf.conda.spec.Requirement;
import io.wharf.server.channel.Channel;
import io.wharf.server.pkg.PackageFile;
import java.util.List;
import java.util.Optional;

/** What a package needs and what needs it. */
public final class Dependencies {
  private Dependencies() {}

  /** A requirement and the readable channels where a package of that name exists (same channel first). */
  public record Resolved(Requirement requirement, List<String> availableIn) {}

  /** One file's depends and constrains, in record order. */
  public record OfFile(PackageFile file, List<Resolved> requirements) {}

  /** A file in a readable channel whose depends or constrains names the package. */
  public record Dependant(Channel channel, PackageFile file, String kind, String spec, Admits admitsLatest) {}

  public record Dependants(String latestVersion, String latestBuild, Optional<String> platform,
      List<Dependant> rows) {}
}
