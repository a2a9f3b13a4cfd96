package io.wharf.server.pkg;

import io.wharf.server.channel.Channel;
import io.wharf.server.channel.ChannelNames;
import io.wharf.server.db.DuplicateKeyException;
import io.wharf.server.error.WharfException;
import io.wharf.server.events.Events;
import io.wharf.server.history.Actor;
import io.wharf.server.events.PackageStored;
import io.wharf.server.storage.BlobStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one way a package file row comes to exist, whoever asks (upload, bulk import, and later copy,
 * move and mirror): the bytes go to a blob named by their SHA-256, so equal files share one blob; then
 * the row, its dependency rows and its change-log entry commit in one transaction; then the event.
 *
 * <p>Nothing here deletes a blob. A failed or refused write leaves at most a blob no row uses, which the
 * {@link BlobSweeper} removes after a grace period; that is also the only safe answer when a commit's
 * outcome is unknown (the connection broke during COMMIT), since a committed row may then use the blob.
 */
public final class PackageStore {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private final PackageFileRepository files;
  private final BlobStore blobs;
  private final Events events;

  public PackageStore(PackageFileRepository files, BlobStore blobs, Events events) {
    this.files = files;
    this.blobs = blobs;
    this.events = events;
  }

  /** The stored row and the change-log entry its commit wrote. */
  public record Stored(PackageFile file, long seq) {}

  /** The blob key of content with this SHA-256 (lowercase hex). */
  public static String blobKey(String sha256) {
    String hex = sha256.toLowerCase(Locale.ROOT);
    if (!SHA256.matcher(hex).matches()) {
      throw new IllegalArgumentException("not a SHA-256: " + sha256);
    }
    return "sha256/" + hex.substring(0, 2) + "/" + hex;
  }

  /**
   * Stores the bytes in {@code content} (whose SHA-256 and size the row already states) and the row.
   * The row's blob key is replaced by the content key.
   *
   * @throws WharfException conflict when a file already sits at that location and {@code replace} is false
   */
  public Stored store(Channel channel, NewPackageFile row, Path content, boolean replace) throws IOException {
    return store(channel, row, content, replace, Actor.SYSTEM);
  }

  /** As above, recording {@code actor} in the channel's history in the row's transaction. */
  public Stored store(Channel channel, NewPackageFile row, Path content, boolean replace, Actor actor)
      throws IOException {
    String key = blobKey(row.sha256());
    // Written even when present: a put renews the blob, so a sweep that found it unused before this
    // upload began leaves it alone (it deletes only blobs unchanged since they were marked).
    blobs.put(key, content);
    Stored stored = commit(channel, row.withBlobKey(key), replace, actor);
    // The row is committed: make sure its bytes are there even if a sweep removed an equal unused
    // blob between our put and our commit.
    if (blobs.size(key).isEmpty()) {
      blobs.put(key, content);
    }
    return stored;
  }

  private Stored commit(Channel channel, NewPackageFile row, boolean replace, Actor actor) {
    PackageFileRepository.Inserted inserted;
    try {
      inserted = files.insert(row, replace, actor);
    } catch (DuplicateKeyException e) {
      throw WharfException.conflict("file_exists", row.filename() + " already exists in " + channel.name() + "/"
          + row.subdir() + (row.label().equals(ChannelNames.DEFAULT_LABEL) ? "" : " (label " + row.label() + ")")
          + "; upload with replace to overwrite it");
    }
    events.publish(new PackageStored(channel.id(), row.label(), row.subdir(), row.filename(), row.name(),
        inserted.seq()));
    return new Stored(inserted.file(), inserted.seq());
  }
}
