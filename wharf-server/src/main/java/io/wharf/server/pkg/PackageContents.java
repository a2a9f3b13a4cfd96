package io.wharf.server.pkg;

import io.wharf.conda.archive.InvalidPackageException;
import io.wharf.conda.archive.PackageArchives;
import io.wharf.conda.archive.ReadLimits;
import io.wharf.server.error.WharfException;
import io.wharf.server.storage.BlobNotFoundException;
import io.wharf.server.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * The files a stored package installs ({@link InstalledFiles}). Upload and import keep them with the row;
 * for files stored before that, {@code info/paths.json} is read from the blob once, within the same
 * limits as an upload, and kept for every later request.
 */
public final class PackageContents {
  private final PackageFileRepository files;
  private final BlobStore blobs;
  private final Path spoolDir;
  private final ReadLimits limits;

  public PackageContents(PackageFileRepository files, BlobStore blobs, Path spoolDir) {
    this(files, blobs, spoolDir, ReadLimits.defaults());
  }

  PackageContents(PackageFileRepository files, BlobStore blobs, Path spoolDir, ReadLimits limits) {
    this.files = files;
    this.blobs = blobs;
    this.spoolDir = spoolDir;
    this.limits = limits;
  }

  /** The file's listing; refuses with 409 {@code sbom_unavailable} when its package cannot be read. */
  public InstalledFiles of(PackageFile file) {
    return files.contents(file.sha256()).map(InstalledFiles::fromJson).orElseGet(() -> readOnce(file));
  }

  private InstalledFiles readOnce(PackageFile file) {
    InstalledFiles read;
    try {
      read = readFromBlob(file);
    } catch (InvalidPackageException e) {
      throw unavailable(file, "its metadata cannot be read: " + e.getMessage());
    } catch (BlobNotFoundException e) {
      throw unavailable(file, "its stored bytes are missing");
    } catch (IOException e) {
      throw unavailable(file, "its stored bytes cannot be read: " + e.getMessage());
    }
    files.keepContents(file.sha256(), read.toJson());
    return read;
  }

  private InstalledFiles readFromBlob(PackageFile file) throws IOException, InvalidPackageException {
    Files.createDirectories(spoolDir);
    // The archive readers need random access (.conda is a ZIP): the blob is copied to a local file first.
    Path local = Files.createTempFile(spoolDir, "contents-", ".part");
    try {
      try (InputStream in = blobs.open(file.blobKey())) {
        Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
      }
      return InstalledFiles.of(PackageArchives.readInfo(local, file.filename(), limits).paths());
    } finally {
      Files.deleteIfExists(local);
    }
  }

  private static WharfException unavailable(PackageFile file, String why) {
    return new WharfException(WharfException.Kind.CONFLICT, "sbom_unavailable",
        "no SBOM for " + file.filename() + ": " + why, Map.of("filename", file.filename(), "subdir", file.subdir()));
  }
}
