package io.wharf.conda.archive;

import io.wharf.conda.metadata.AboutJson;
import io.wharf.conda.metadata.IndexJson;
import io.wharf.conda.metadata.PathsJson;
import io.wharf.conda.metadata.RunExports;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code info/} metadata of one package file.
 *
 * @param rawInfoFiles the bytes of every info file that was read, keyed by archive path such as
 *     {@code info/index.json}; includes files not parsed here ({@code info/link.json}, the recipe)
 */
public record PackageInfo(
    IndexJson index,
    Optional<AboutJson> about,
    Optional<PathsJson> paths,
    Optional<RunExports> runExports,
    Map<String, byte[]> rawInfoFiles) {

  public PackageInfo {
    rawInfoFiles = java.util.Collections.unmodifiableMap(new TreeMap<>(rawInfoFiles));
  }

  public Optional<byte[]> rawInfoFile(String path) {
    byte[] bytes = rawInfoFiles.get(path);
    return bytes == null ? Optional.empty() : Optional.of(bytes.clone());
  }
}
