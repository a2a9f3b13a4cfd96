package io.wharf.server.pkg;

import io.wharf.conda.archive.InvalidPackageException;
import io.wharf.conda.archive.PackageArchives;
import io.wharf.conda.archive.PackageInfo;
import io.wharf.conda.archive.ReadLimits;
import io.wharf.conda.metadata.IndexJson;
import io.wharf.conda.pkg.InvalidNameException;
import io.wharf.conda.pkg.PackageFilename;
import io.wharf.conda.repodata.RepodataRecords;
import io.wharf.server.channel.Channel;
import io.wharf.server.channel.ChannelNames;
import io.wharf.server.channel.ChannelService;
import io.wharf.server.error.WharfException;
import io.wharf.server.history.Actor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts a package file into a channel. The body is streamed to a local spool file while it is
 * hashed and measured, the archive's {@code info/} is read from that file, and only a package that
 * passes every check becomes a blob and then a row. A failure at any step leaves no row and no blob.
 */
public final class UploadService {
  private static final Logger LOG = LoggerFactory.getLogger(UploadService.class);

  private final ChannelService channels;
  private final PackageStore store;
  private final Path spoolDir;
  private final long maxBytes;
  private final ReadLimits limits;

  public UploadService(ChannelService channels, PackageStore store, Path spoolDir, long maxBytes) {
    this.channels = channels;
    this.store = store;
    this.spoolDir = spoolDir;
    this.maxBytes = maxBytes;
    this.limits = ReadLimits.defaults();
  }

  /**
   * Removes what a killed process left in the spool directory (uploads it was receiving, and any other
   * temporary file of this node: the directory is this node's own and nothing in it is in use before
   * the server starts); called at start, before any upload.
   */
  public static int cleanSpool(Path spoolDir) throws IOException {
    if (!Files.isDirectory(spoolDir)) {
      return 0;
    }
    int removed = 0;
    try (var entries = Files.newDirectoryStream(spoolDir, Files::isRegularFile)) {
      for (Path p : entries) {
        if (Files.deleteIfExists(p)) {
          removed++;
        }
      }
    }
    if (removed > 0) {
      LOG.info("removed {} spool files of interrupted uploads", removed);
    }
    return removed;
  }

  public long maxBytes() {
    return maxBytes;
  }

  /**
   * @param declaredLength the length the client announced, or -1 when unknown; checked before reading
   */
  public PackageStore.Stored upload(String channelName, String label, String filename, InputStream body,
      long declaredLength, boolean replace) throws IOException {
    return upload(channelName, label, filename, body, declaredLength, replace, Actor.SYSTEM);
  }

  /** As above; the channel's history records the upload as {@code actor}'s. */
  public PackageStore.Stored upload(String channelName, String label, String filename, InputStream body,
      long declaredLength, boolean replace, Actor actor) throws IOException {
    Channel channel = channels.require(channelName);
    String lbl = ChannelNames.requireLabel(label);
    PackageFilename fn = parseFilename(filename);
    if (declaredLength > maxBytes) {
      throw tooLarge();
    }
    Files.createDirectories(spoolDir);
    Path spool = Files.createTempFile(spoolDir, "upload-", ".part");
    try {
      Spooled spooled = Spooled.copy(body, spool, maxBytes);
      if (spooled == null) {
        throw tooLarge();
      }
      if (spooled.size() == 0) {
        throw WharfException.invalid("empty_file", filename + " is empty (0 bytes)");
      }
      PackageInfo info = readInfo(spool, fn);
      IndexJson index = info.index();
      requireAgreement(fn, index);
      io.wharf.conda.spec.RecordSpecs.firstInvalid(index.depends(), index.constrains()).ifPresent(p -> {
        throw WharfException.invalid("invalid_match_spec", fn.filename() + ": " + p.message(), p.details()); });
      String subdir = Subdir.of(index);
      String recordJson = RepodataRecords.toJson(
          RepodataRecords.form(index.raw(), spooled.md5(), spooled.sha256(), spooled.size()));
      NewPackageFile row = new NewPackageFile(channel.id(), lbl, subdir, fn.filename(), index.name(),
          index.version(), index.build(), index.buildNumber(), spooled.md5(), spooled.sha256(),
          spooled.size(), PackageStore.blobKey(spooled.sha256()), recordJson, index.raw().toString(),
          info.about().map(a -> a.raw().toString()).orElse(null),
          info.runExports().map(r -> r.toJson().toString()).orElse(null),
          info.paths().map(p -> p.flags().toJson().toString()).orElse(null));
      return store.store(channel, row, spool, replace, actor);
    } finally {
      Files.deleteIfExists(spool);
    }
  }

  private static PackageFilename parseFilename(String filename) {
    try {
      return PackageFilename.parse(filename);
    } catch (InvalidNameException e) {
      throw WharfException.invalid("invalid_filename", e.getMessage(), Map.of("filename", String.valueOf(filename)));
    }
  }

  private PackageInfo readInfo(Path spool, PackageFilename fn) throws IOException {
    try {
      return PackageArchives.readInfo(spool, fn.filename(), limits);
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
      io.wharf.conda.pkg.Names.requireName(index.name());
    } catch (InvalidNameException e) {
      throw WharfException.invalid("invalid_name", e.getMessage());
    }
  }

  private WharfException tooLarge() {
    return WharfException.tooLarge("the upload is larger than the limit of " + maxBytes + " bytes", maxBytes);
  }
}
