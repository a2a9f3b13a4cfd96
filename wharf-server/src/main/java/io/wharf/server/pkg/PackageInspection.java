package io.wharf.server.pkg;

import io.wharf.conda.archive.InvalidPackageException;
import io.wharf.conda.archive.PackageArchives;
import io.wharf.conda.archive.PackageInfo;
import io.wharf.conda.archive.ReadLimits;
import io.wharf.conda.metadata.IndexJson;
import io.wharf.conda.pkg.InvalidNameException;
import io.wharf.conda.pkg.Names;
import io.wharf.conda.pkg.PackageFilename;
import io.wharf.conda.repodata.RepodataRecords;
import io.wharf.server.error.WharfException;
import io.wharf.server.storage.BlobSource;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The checks a spooled package file passes before it may be stored, whoever brought it (an upload, a
 * bulk import): it is not empty, its {@code info/} reads within limits, its file name agrees with
 * {@code info/index.json} (CEP 26), and its subdir is a known platform. The result is the row to store,
 * with the repodata record formed and serialized once.
 */
final class PackageInspection {
  private final ReadLimits limits;

  PackageInspection(ReadLimits limits) {
    this.limits = limits;
  }

  static PackageFilename parseFilename(String filename) {
    try {
      return PackageFilename.parse(filename);
    } catch (InvalidNameException e) {
      throw WharfException.invalid("invalid_filename", e.getMessage(), Map.of("filename", String.valueOf(filename)));
    }
  }

  /** The row for the file {@code content}, whose checksums and size {@code spooled} gives; throws when refused. */
  NewPackageFile inspect(long channelId, String label, PackageFilename fn, BlobSource content, Spooled spooled)
      throws IOException {
    if (spooled.size() == 0) {
      throw WharfException.invalid("empty_file", fn.filename() + " is empty (0 bytes)");
    }
    PackageInfo info = readInfo(content, fn);
    IndexJson index = info.index();
    requireAgreement(fn, index);
    io.wharf.conda.spec.RecordSpecs.firstInvalid(index.depends(), index.constrains()).ifPresent(p -> {
      throw WharfException.invalid("invalid_match_spec", fn.filename() + ": " + p.message(), p.details()); });
    String subdir = Subdir.of(index);
    String recordJson = RepodataRecords.toJson(
        RepodataRecords.form(index.raw(), spooled.md5(), spooled.sha256(), spooled.size()));
    return new NewPackageFile(channelId, label, subdir, fn.filename(), index.name(),
        index.version(), index.build(), index.buildNumber(), spooled.md5(), spooled.sha256(),
        spooled.size(), PackageStore.blobKey(spooled.sha256()), recordJson, index.raw().toString(),
        info.about().map(a -> a.raw().toString()).orElse(null),
        info.runExports().map(r -> r.toJson().toString()).orElse(null),
        info.paths().map(p -> p.flags().toJson().toString()).orElse(null),
        InstalledFiles.of(info.paths()).toJson());
  }

  private PackageInfo readInfo(BlobSource content, PackageFilename fn) throws IOException {
    try {
      return content instanceof BlobSource.OfBytes b
          ? PackageArchives.readInfo(b.bytes(), fn.filename(), limits)
          : PackageArchives.readInfo(((BlobSource.OfFile) content).path(), fn.filename(), limits);
    } catch (InvalidPackageException e) {
      throw WharfException.invalid(e.code(), fn.filename() + ": " + e.getMessage(),
          Map.of("filename", fn.filename()));
    }
  }

  /** CEP 26: the file name's name, version and build must equal those in info/index.json. */
  private static void requireAgreement(PackageFilename fn, IndexJson index) {
    Map<String, Object> mismatches = new LinkedHashMap<>();
    if (!fn.name().equals(index.name())) {
      mismatches.put("name", Map.of("filename", fn.name(), "index_json", index.name()));
    }
    if (!fn.version().equals(index.version())) {
      mismatches.put("version", Map.of("filename", fn.version(), "index_json", index.version()));
    }
    if (!fn.build().equals(index.build())) {
      mismatches.put("build", Map.of("filename", fn.build(), "index_json", index.build()));
    }
    if (!mismatches.isEmpty()) {
      throw WharfException.invalid("filename_mismatch", "file name " + fn.filename()
          + " disagrees with info/index.json in " + String.join(", ", mismatches.keySet()), mismatches);
    }
    try {
      Names.requireName(index.name());
    } catch (InvalidNameException e) {
      throw WharfException.invalid("invalid_name", e.getMessage());
    }
  }
}
