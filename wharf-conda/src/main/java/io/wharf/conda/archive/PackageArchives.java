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
import java.util.function.BooleanSupplier;

/**
 * Reads the {@code info/} metadata of a package file without unpacking it. Everything in the file is
 * treated as hostile: reads are bounded by {@link ReadLimits} (sizes, entries, decompression relative to the
 * upload and in absolute terms, CPU time) and can be cancelled, unsafe paths reject the package, links are
 * never followed, and any malformed content becomes an {@link InvalidPackageException}. An IOException
 * means the file itself could not be read. {@code info/repodata_record.json} is never read: a server
 * computes the record itself.
 *
 * <p>Messages never name the file that was read (a server reads uploads from spool files whose names mean
 * nothing to the uploader); callers put the package's file name in front.
 */
public final class PackageArchives {
  private PackageArchives() {}

  /**
   * @param filename the package's file name ({@code <name>-<version>-<build>.conda} or {@code .tar.bz2}):
   *     it decides the format, and a .conda's components must be named after it (CEP 35)
   */
  public static PackageInfo readInfo(Path file, String filename, ReadLimits limits)
      throws InvalidPackageException, IOException {
    return readInfo(file, filename, limits, () -> false);
  }

  /**
   * @param cancelled polled while reading (at least once per MiB read or decompressed, and at every
   *     archive entry); once it answers true the read stops with an {@link InvalidPackageException} whose
   *     code is "cancelled", e.g. because the client that sent the package has gone
   */
  public static PackageInfo readInfo(Path file, String filename, ReadLimits limits, BooleanSupplier cancelled)
      throws InvalidPackageException, IOException {
    return readInfo(file, filename, ReadBudget.of(limits, cancelled));
  }

  /** As {@link #readInfo(Path, String, ReadLimits)}, over the package's bytes held in memory. */
  public static PackageInfo readInfo(byte[] content, String filename, ReadLimits limits)
      throws InvalidPackageException, IOException {
    ReadBudget budget = ReadBudget.of(limits, () -> false);
    return readInfo(SourceChannel.over(content, budget), filename, budget);
  }

  static PackageInfo readInfo(Path file, String filename, ReadBudget budget)
      throws InvalidPackageException, IOException {
    requireKnownFormat(filename);
    return readInfo(SourceChannel.open(file, budget), filename, budget);
  }

  private static void requireKnownFormat(String filename) {
    if (!filename.endsWith(".conda") && !filename.endsWith(".tar.bz2")) {
      throw new IllegalArgumentException("a package file name ends in .conda or .tar.bz2: " + filename);
    }
  }

  private static PackageInfo readInfo(SourceChannel source, String filename, ReadBudget budget)
      throws InvalidPackageException, IOException {
    requireKnownFormat(filename);
    boolean conda = filename.endsWith(".conda");
    try (SourceChannel channel = source) {
      long size = channel.size();
      if (size == 0) {
        throw new InvalidPackageException("empty_file", "the file is empty");
      }
      Map<String, byte[]> files;
      try {
        files =
            conda
                ? CondaReader.readInfoFiles(channel, filename.substring(0, filename.length() - ".conda".length()),
                    budget)
                : TarBz2Reader.readInfoFiles(channel, budget);
      } catch (IOException | RuntimeException e) {
        throw translate(e);
      }
      return parse(files);
    } catch (SourceChannel.SourceFailure e) {
      throw e.original();
    }
  }

  private static PackageInfo parse(Map<String, byte[]> files) throws InvalidPackageException {
    byte[] index = files.get("info/index.json");
    if (index == null) {
      throw new InvalidPackageException(
          "missing_index_json", "the package has no info/index.json, so it is not a conda package (CEP 34)");
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
      throw new InvalidPackageException(e.code(), e.getMessage(), e);
    }
  }

  // Sorts a failure into: the disk failed (rethrown as is), a limit was hit, or the bytes are not a
  // readable archive. Archive libraries wrap causes, so the whole chain is inspected.
  static InvalidPackageException translate(Exception e) throws IOException {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SourceChannel.SourceFailure failure) {
        throw failure.original();
      }
      if (t instanceof ReadBudget.Exceeded exceeded) {
        return new InvalidPackageException(exceeded.code(), exceeded.getMessage(), e);
      }
    }
    String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new InvalidPackageException("corrupt_archive", "the package is damaged or truncated: " + detail, e);
  }
}
