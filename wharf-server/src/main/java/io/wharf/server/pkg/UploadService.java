package io.wharf.server.pkg;

import io.wharf.conda.archive.ReadLimits;
import io.wharf.conda.pkg.PackageFilename;
import io.wharf.server.channel.Channel;
import io.wharf.server.channel.ChannelNames;
import io.wharf.server.channel.ChannelService;
import io.wharf.server.error.WharfException;
import io.wharf.server.storage.BlobSource;
import io.wharf.server.history.Actor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
  private final PackageInspection inspection;

  public UploadService(ChannelService channels, PackageStore store, Path spoolDir, long maxBytes) {
    this.channels = channels;
    this.store = store;
    this.spoolDir = spoolDir;
    this.maxBytes = maxBytes;
    this.inspection = new PackageInspection(ReadLimits.defaults());
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
    PackageFilename fn = PackageInspection.parseFilename(filename);
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
      NewPackageFile row = inspection.inspect(channel.id(), lbl, fn, BlobSource.of(spool), spooled);
      return store.store(channel, row, spool, replace, actor);
    } finally {
      Files.deleteIfExists(spool);
    }
  }

  private WharfException tooLarge() {
    return WharfException.tooLarge("the upload is larger than the limit of " + maxBytes + " bytes", maxBytes);
  }
}
