package io.wharf.server.pkg;

import io.wharf.server.db.DuplicateKeyException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

public interface PackageFileRepository {
  /**
   * The row written, for a replacing insert the row it took the place of, and the channel's revision
   * as this write left it.
   */
  record Inserted(PackageFile file, Optional<PackageFile> replaced, long revision) {}

  /**
   * Records a file. When a file already sits at (channel, label, subdir, filename): with
   * {@code replace} false throws {@link DuplicateKeyException} and leaves that row as it was; with
   * {@code replace} true swaps the rows in one transaction and returns the old one.
   */
  Inserted insert(NewPackageFile file, boolean replace);

  Optional<PackageFile> find(long channelId, String label, String subdir, String filename);

  /** Ordered by filename. */
  List<PackageFile> listSubdir(long channelId, String label, String subdir);

  /**
   * Every file of the channel, ordered by name, subdir, filename (then label), all in memory at once:
   * requests list a channel through {@link PackageFilePages} instead.
   */
  List<PackageFile> listChannel(long channelId);

  /** Ordered by label, subdir, filename. */
  List<PackageFile> listByName(long channelId, String name);

  /** Subdirs that hold at least one file under the label, sorted. */
  List<String> subdirs(long channelId, String label);

  /** Labels that hold at least one file, sorted. */
  List<String> labels(long channelId);

  /** Ordered by name; every name at once (requests use {@link PackageFilePages#packageNames}). */
  List<PackageNameSummary> packageNames(long channelId);

  /** The newest uploads in these channels, newest first (ties by id, newest first). */
  List<PackageFile> recent(Set<Long> channelIds, int limit);

  /**
   * The depends and constrains entries, of files in {@code channelIds}, that name the package
   * {@code depName} (compared lowercased, as conda names are). Rows only say which specs mention
   * the name; whether a spec admits some version is for the caller to evaluate. Ordered by file
   * (name, subdir, filename, label, channel), then depends before constrains, in record order.
   */
  List<DependantRow> dependants(String depName, Set<Long> channelIds);

  /** Deletes the row; the channel's revision as this delete left it, or empty when there was no such row. */
  OptionalLong delete(long id);

  /** Every blob key some row refers to, so a sweep can tell orphaned blobs apart. */
  Set<String> allBlobKeys();
}
