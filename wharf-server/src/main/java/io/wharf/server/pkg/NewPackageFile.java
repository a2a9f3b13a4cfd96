package io.wharf.server.pkg;

import java.util.List;

/**
 * A package file about to be recorded. The JSON fields hold the exact serialized text that index
 * builders concatenate; about, run_exports and paths flags are absent for some packages.
 * {@code contentsJson} is what an SBOM lists of the installed files ({@link InstalledFiles}), kept per
 * sha256; null when the caller did not read it (it is then read from the blob when first asked for).
 * {@code signaturesJson} is the record's entry of repodata's {@code signatures} as another signer wrote it (a
 * mirrored upstream's, conda-content-trust); it is stored only while this server has no signing keys of its
 * own, since a server that signs re-signs every record it stores.
 * {@code dependencyRows} are the {@link DependencyRows} of {@code recordJson} when the caller made them ready
 * (a mirror, on its reading thread, so that its writing thread does not parse every record again); null: they
 * are read from the record when the row is written.
 */
public record NewPackageFile(long channelId, String label, String subdir, String filename, String name,
    String version, String build, long buildNumber, String md5, String sha256, long size, String blobKey,
    String recordJson, String indexJson, String aboutJson, String runExportsJson, String pathsFlagsJson,
    String contentsJson, String signaturesJson, List<DependencyRows.Row> dependencyRows) {

  /** A row whose dependency rows are read from its record when it is written. */
  public NewPackageFile(long channelId, String label, String subdir, String filename, String name,
      String version, String build, long buildNumber, String md5, String sha256, long size, String blobKey,
      String recordJson, String indexJson, String aboutJson, String runExportsJson, String pathsFlagsJson,
      String contentsJson, String signaturesJson) {
    this(channelId, label, subdir, filename, name, version, build, buildNumber, md5, sha256, size, blobKey,
        recordJson, indexJson, aboutJson, runExportsJson, pathsFlagsJson, contentsJson, signaturesJson, null);
  }

  /** A row without signatures of another signer. */
  public NewPackageFile(long channelId, String label, String subdir, String filename, String name,
      String version, String build, long buildNumber, String md5, String sha256, long size, String blobKey,
      String recordJson, String indexJson, String aboutJson, String runExportsJson, String pathsFlagsJson,
      String contentsJson) {
    this(channelId, label, subdir, filename, name, version, build, buildNumber, md5, sha256, size, blobKey,
        recordJson, indexJson, aboutJson, runExportsJson, pathsFlagsJson, contentsJson, null);
  }

  /** A row without its contents listing. */
  public NewPackageFile(long channelId, String label, String subdir, String filename, String name,
      String version, String build, long buildNumber, String md5, String sha256, long size, String blobKey,
      String recordJson, String indexJson, String aboutJson, String runExportsJson, String pathsFlagsJson) {
    this(channelId, label, subdir, filename, name, version, build, buildNumber, md5, sha256, size, blobKey,
        recordJson, indexJson, aboutJson, runExportsJson, pathsFlagsJson, null);
  }

  NewPackageFile withBlobKey(String key) {
    return new NewPackageFile(channelId, label, subdir, filename, name, version, build, buildNumber, md5, sha256,
        size, key, recordJson, indexJson, aboutJson, runExportsJson, pathsFlagsJson, contentsJson, signaturesJson,
        dependencyRows);
  }

  /** This row with its dependency rows made ready: {@link DependencyRows#of} its record. */
  public NewPackageFile withDependencyRows() {
    return new NewPackageFile(channelId, label, subdir, filename, name, version, build, buildNumber, md5, sha256,
        size, blobKey, recordJson, indexJson, aboutJson, runExportsJson, pathsFlagsJson, contentsJson, signaturesJson,
        List.copyOf(DependencyRows.of(recordJson)));
  }
}
