package io.wharf.conda.archive;

import io.wharf.conda.metadata.AboutJson;
import io.wharf.conda.metadata.IndexJson;
import io.wharf.conda.metadata.InvalidMetadataException;
import io.wharf.conda.metadata.PathsJson;
import io.wharf.conda.metadata.RunExports;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the {@code info/} metadata of a package file without unpacking it. Everything in the file is
 * treated as hostile: reads are bounded by {@link ReadLimits}, unsafe paths reject the package, links are
 * never followed, and any malformed content becomes an {@link InvalidPackageException}. An IOException
 * means the file itself could not be read. {@code info/repodata_record.json} is never read: a server
 * computes the record itself.
 */
public final class PackageArchives {
  private PackageArchives() {}

  public static PackageInfo readInfo(Path file, boolean condaFormat, ReadLimits limits)
      throws InvalidPackageException, IOException {
    String container = String.valueOf(file.getFileName());
    try (SourceChannel channel = SourceChannel.open(file)) {
      long size = channel.size();
      if (size == 0) {
        throw new InvalidPackageException("empty_file", container + " is an empty file");
      }
      Map<String, byte[]> files;
      try {
        files =
            condaFormat
                ? CondaReader.readInfoFiles(channel, container, limits)
                : TarBz2Reader.readInfoFiles(channel, container, limits);
      } catch (IOException | RuntimeException e) {
        throw translate(e, container);
      }
      return parse(files, container);
    } catch (SourceChannel.SourceFailure e) {
      throw e.original();
    }
  }

  private static PackageInfo parse(Map<String, byte[]> files, String container)
      throws InvalidPackageException {
    byte[] index = files.get("info/index.json");
    if (index == null) {
      throw new InvalidPackageException(
          "missing_index_json", container + " has no info/index.json, so it is not a conda package");
    }
    try {
      return new PackageInfo(
          IndexJson.parse(index),
          files.containsKey("info/about.json")
              ? Optional.of(AboutJson.parse(files.get("info/about.json")))
              : Optional.empty(),
          files.containsKey("info/paths.json")
              ? Optional.of(PathsJson.parse(files.get("info/paths.json")))
              : Optional.empty(),
          files.containsKey("info/run_exports.json")
              ? Optional.of(RunExports.parse(files.get("info/run_exports.json")))
              : Optional.empty(),
          files);
    } catch (InvalidMetadataException e) {
      throw new InvalidPackageException(e.code(), container + ": " + e.getMessage(), e);
    }
  }

  // Sorts a failure into: the disk failed (rethrown as is), a limit was hit, or the bytes are not a
  // readable archive. Archive libraries wrap causes, so the whole chain is inspected.
  private static InvalidPackageException translate(Exception e, String container) throws IOException {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SourceChannel.SourceFailure failure) {
        throw failure.original();
      }
      if (t instanceof BudgetedInputStream.BudgetExceeded exceeded) {
        return new InvalidPackageException("too_large", container + ": " + exceeded.getMessage(), e);
      }
    }
    String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new InvalidPackageException(
        "corrupt_archive", container + " is damaged or truncated: " + detail, e);
  }
}
