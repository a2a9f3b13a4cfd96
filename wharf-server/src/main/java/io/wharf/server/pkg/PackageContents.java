package io.wharf.server.pkg;

import io.wharf.conda.archive.InvalidPackageException;
import io.wharf.conda.archive.PackageArchives;
import io.wharf.conda.archive.PayloadDigests;
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
import java.util.Optional;

/**
 * The files a stored package installs ({@link InstalledFiles}). Upload and import keep what
 * {@code info/paths.json} says (path, sha256, size) with the row, without decompressing the payload; the first
 * SBOM of a file reads its blob once, within the upload's limits, for what is missing (the whole listing
 * for files stored before, and the SHA-1 of each file, which SPDX requires) and keeps it for every later
 * request.
 */
public final class PackageContents {
  private final PackageFileRepository files;
  private final BlobStore blobs;
  private final Path spoolDir;
  private final ReadLimits limits;
  private final ReadLimits payloadLimits;

  public PackageContents(PackageFileRepository files, BlobStore blobs, Path spoolDir) {
    this(files, blobs, spoolDir, ReadLimits.defaults());
  }

  PackageContents(PackageFileRepository files, BlobStore blobs, Path spoolDir, ReadLimits limits) {
    this.files = files;
    this.blobs = blobs;
    this.spoolDir = spoolDir;
    this.limits = limits;
    // The payload is decompressed whole, once per stored file: the upload's size and entry limits hold,
    // with more CPU time than an upload's five seconds, since a large real package needs it.
    this.payloadLimits = new ReadLimits(limits.maxInfoFileBytes(), limits.maxTotalInfoBytes(), limits.maxEntries(),
        limits.maxDecompressedBytes(), limits.maxExpansionRatio(), limits.minDecompressedAllowance(),
        limits.maxScanPastIndex(), limits.maxCpuTime().multipliedBy(12));
  }

  /**
   * The file's listing with each file's SHA-1; refuses with 409 {@code sbom_unavailable} when its package
   * cannot be read.
   */
  public InstalledFiles of(PackageFile file) {
    Optional<InstalledFiles> kept = files.contents(file.sha256()).map(InstalledFiles::fromJson);
    if (kept.isPresent() && kept.get().payloadRead()) {
      return kept.get();
    }
    InstalledFiles read;
    try {
      read = readFromBlob(file, kept);
    } catch (InvalidPackageException e) {
      throw unavailable(file, "its metadata cannot be read: " + e.getMessage());
    } catch (BlobNotFoundException e) {
      throw unavailable(file, "its stored bytes are missing");
    } catch (IOException e) {
      throw unavailable(file, "its stored bytes cannot be read: " + e.getMessage());
    }
    files.completeContents(file.sha256(), read.toJson());
    return read;
  }

  private InstalledFiles readFromBlob(PackageFile file, Optional<InstalledFiles> kept)
      throws IOException, InvalidPackageException {
    Files.createDirectories(spoolDir);
    // The archive readers need random access (.conda is a ZIP): the blob is copied to a local file first.
    Path local = Files.createTempFile(spoolDir, "contents-", ".part");
    try {
      try (InputStream in = blobs.open(file.blobKey())) {
        Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
      }
      InstalledFiles listed = kept.isPresent() ? kept.get()
          : InstalledFiles.of(PackageArchives.readInfo(local, file.filename(), limits).paths());
      return listed.withPayloadSha1(PayloadDigests.sha1(local, file.filename(), payloadLimits));
    } finally {
      Files.deleteIfExists(local);
    }
  }

  private static WharfException unavailable(PackageFile file, String why) {
    return new WharfException(WharfException.Kind.CONFLICT, "sbom_unavailable",
        "no SBOM for " + file.filename() + ": " + why, Map.of("filename", file.filename(), "subdir", file.subdir()));
  }
}
