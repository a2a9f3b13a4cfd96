package io.wharf.server.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.conda.pkg.PackageFormat;
import io.wharf.conda.spec.MatchSpec;
import io.wharf.server.pkg.InstalledFiles;
import io.wharf.server.pkg.PackageFile;
import io.wharf.server.pkg.StoredJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an SBOM describes of one stored package file, whatever the format: the file and its package,
 * where it is published, its declared license, its {@code depends} and the files it installs.
 *
 * @param channelUrl the public URL of the channel (and label) the file is served from
 */
public record SbomSubject(PackageFile file, String channel, String channelUrl, String license,
    Optional<String> summary, Optional<String> home, List<Dependency> depends, InstalledFiles installed) {

  /** One {@code depends} entry: the package name it names and the spec as written. */
  public record Dependency(String name, String spec) {}

  public static SbomSubject of(PackageFile file, String channel, String channelUrl, InstalledFiles installed) {
    JsonNode index = StoredJson.parse(file.indexFields());
    JsonNode about = file.aboutJson() == null ? null : StoredJson.parse(file.aboutJson());
    String license = text(index, "license").or(() -> text(about, "license")).orElse(null);
    Map<String, Dependency> depends = new LinkedHashMap<>();
    for (JsonNode d : index.path("depends")) {
      // Specs were checked at upload; one package name is one dependency however often it is named.
      String name = MatchSpec.nameOf(d.asText());
      depends.putIfAbsent(name, new Dependency(name, d.asText()));
    }
    return new SbomSubject(file, channel, channelUrl, license, text(about, "summary"), text(about, "home"),
        new ArrayList<>(depends.values()), installed);
  }

  /** {@code conda} or {@code tar.bz2}, as the purl {@code type} qualifier names the archive format. */
  public String archiveType() {
    return PackageFormat.ofFilename(file.filename()).map(f -> f.extension().replaceFirst("^\\.", ""))
        .orElseThrow(() -> new IllegalStateException("not a package file name: " + file.filename()));
  }

  /** Where the file itself is downloaded from. */
  public String downloadUrl() {
    return channelUrl + "/" + file.subdir() + "/" + file.filename();
  }

  private static Optional<String> text(JsonNode node, String key) {
    if (node == null || !node.path(key).isTextual() || node.path(key).asText().isBlank()) {
      return Optional.empty();
    }
    return Optional.of(node.path(key).asText().strip());
  }
}
