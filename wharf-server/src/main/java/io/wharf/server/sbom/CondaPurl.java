package io.wharf.server.sbom;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import com.github.packageurl.PackageURLBuilder;

/**
 * Package URLs of the {@code conda} type (package-url/purl-spec {@code types/conda-definition.json}): no
 * namespace, the repodata name and version, and the qualifiers {@code build}, {@code channel},
 * {@code subdir} and {@code type} ({@code conda} or {@code tar.bz2}). The channel is this server's public
 * URL of the channel, since the type's default repository is repo.anaconda.com.
 */
final class CondaPurl {
  private CondaPurl() {}

  static PackageURL of(SbomSubject s) {
    try {
      return PackageURLBuilder.aPackageURL().withType("conda").withName(s.file().name())
          .withVersion(s.file().version())
          .withQualifier("build", s.file().build())
          .withQualifier("channel", s.channelUrl())
          .withQualifier("subdir", s.file().subdir())
          .withQualifier("type", s.archiveType())
          .build();
    } catch (MalformedPackageURLException e) {
      throw new IllegalStateException("stored package has no valid purl: " + s.file().filename(), e);
    }
  }

  /** A dependency names a package, not a build: the purl carries the name only. */
  static PackageURL ofName(String name) {
    try {
      return PackageURLBuilder.aPackageURL().withType("conda").withName(name).build();
    } catch (MalformedPackageURLException e) {
      throw new IllegalStateException("not a package name: " + name, e);
    }
  }
}
