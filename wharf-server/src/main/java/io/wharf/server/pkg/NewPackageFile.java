package io.wharf.server.pkg;

/**
 * A package file about to be recorded. The JSON fields hold the exact serialized text that index
 * builders concatenate; about, run_exports and paths flags are absent for some packages.
 */
public record NewPackageFile(long channelId, String label, String subdir, String filename, String name,
    String version, String build, long buildNumber, String md5, String sha256, long size, String blobKey,
    String recordJson, String indexJson, String aboutJson, String runExportsJson, String pathsFlagsJson) {

  NewPackageFile withBlobKey(String key) {
    return new NewPackageFile(channelId, label, subdir, filename, name, version, build, buildNumber, md5, sha256,
        size, key, recordJson, indexJson, aboutJson, runExportsJson, pathsFlagsJson);
  }
}
