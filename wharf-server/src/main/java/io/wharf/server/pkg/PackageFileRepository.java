package io.wharf.server.pkg;

import io.wharf.server.db.DuplicateKeyException;
import io.wharf.server.history.Actor;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

public interface PackageFileRepository {
  /**
   * The row written, for a replacing insert the row it took the place of, and the change-log entry
   * this write appended.
   */
  record Inserted(PackageFile file, Optional<PackageFile> replaced, long seq) {}

  /** What publishing needs of a row. */
  record PublishRow(String filename, String name, String recordJson, String blobKey, long size, String sha256,
      long uploadedAt, String signaturesJson) {}

  /**
   * Records a file. When a file already sits at (channel, label, subdir, filename): with
   * {@code replace} false throws {@link DuplicateKeyException} and leaves that row as it was; with
   * {@code replace} true swaps the rows in one transaction and returns the old one. The channel's
   * history records the upload (or replacement) by {@code actor} in the same transaction.
   */
  Inserted insert(NewPackageFile file, boolean replace, Actor actor);

  /**
   * Replaces (or, where none sits yet, records) each of these files as {@link #insert} with {@code replace}
   * does, all in one transaction: a writer with many changed records (a mirror run) commits once for all.
   * Returned in the order given.
   */
  default List<Inserted> replaceAll(List<NewPackageFile> files, Actor actor) {
    return replaceAll(files, actor, io.wharf.server.db.TransactionPart.NONE);
  }

  /** As {@link #replaceAll(List, Actor)}, with {@code alongside} written in the same transaction. */
  List<Inserted> replaceAll(List<NewPackageFile> files, Actor actor, io.wharf.server.db.TransactionPart alongside);

  /** {@link #insert(NewPackageFile, boolean, Actor)} on the server's own behalf. */
  default Inserted insert(NewPackageFile file, boolean replace) {
    return insert(file, replace, Actor.SYSTEM);
  }

  /**
   * Records new files of one channel in one transaction: the rows, their dependency rows, one change-log
   * entry per (label, subdir, name) shared by that name's files, and one revision raise. All or nothing:
   * when any location is taken (or two files name the same one) throws {@link DuplicateKeyException}
   * and records none. Returned in the order given.
   */
  default List<Inserted> insertAll(List<NewPackageFile> files) {
    return insertAll(files, io.wharf.server.history.Actor.SYSTEM);
  }

  /** As {@link #insertAll(List)}; the channel's history records the batch as one import by {@code actor}. */
  default List<Inserted> insertAll(List<NewPackageFile> files, io.wharf.server.history.Actor actor) {
    return insertAll(files, actor, io.wharf.server.db.TransactionPart.NONE);
  }

  /**
   * As {@link #insertAll(List, Actor)}, with {@code alongside} written in the same transaction: committed
   * with the files, or, when they are refused, not at all.
   */
  List<Inserted> insertAll(List<NewPackageFile> files, io.wharf.server.history.Actor actor,
      io.wharf.server.db.TransactionPart alongside);

  /** Writes {@code part} in a transaction of its own. */
  void write(io.wharf.server.db.TransactionPart part);

  /** Where a file sits and what it holds, to tell a file already present from one that differs. */
  record Located(String subdir, String filename, String sha256, long size) {}

  /** Those of {@code filenames} that exist in this channel location, in no particular order. */
  List<Located> locate(long channelId, String label, String subdir, java.util.Collection<String> filenames);

  Optional<PackageFile> find(long channelId, String label, String subdir, String filename);

  /** The installed-files listing kept for package bytes of this sha256 ({@link InstalledFiles} JSON). */
  Optional<String> contents(String sha256);

  /** Keeps the listing for this sha256 unless one is kept already. */
  void keepContents(String sha256, String contentsJson);

  /** Keeps this fuller listing for this sha256, in place of one kept before. */
  void completeContents(String sha256, String contentsJson);

  /** Ordered by filename. */
  List<PackageFile> listSubdir(long channelId, String label, String subdir);

  /**
   * Every file of the channel, ordered by name, subdir, filename (then label), all in memory at once:
   * requests list a channel through {@link PackageFilePages} instead.
   */
  List<PackageFile> listChannel(long channelId);

  /** Ordered by label, subdir, filename. */
  List<PackageFile> listByName(long channelId, String name);

  /**
   * {@link #listByName} for several names at once (a batch's), by name; a name without files maps to an
   * empty list.
   */
  default java.util.Map<String, List<PackageFile>> listByNames(long channelId, java.util.Collection<String> names) {
    java.util.Map<String, List<PackageFile>> out = new java.util.LinkedHashMap<>();
    names.forEach(n -> out.put(n, listByName(channelId, n)));
    return out;
  }

  /** The files at these locations of one channel label and subdir, in no particular order. */
  default List<PackageFile> listAt(long channelId, String label, String subdir,
      java.util.Collection<String> filenames) {
    List<PackageFile> out = new java.util.ArrayList<>();
    new java.util.LinkedHashSet<>(filenames).forEach(f -> find(channelId, label, subdir, f).ifPresent(out::add));
    return out;
  }

  /** The files of one name whose version string is exactly {@code version}, in no particular order. */
  default List<PackageFile> listByNameAndVersion(long channelId, String name, String version) {
    return listByName(channelId, name).stream().filter(f -> f.version().equals(version)).toList();
  }

  /** How many files each of these names has in the channel; a name without files is absent. */
  default java.util.Map<String, Long> countByNames(long channelId, java.util.Collection<String> names) {
    java.util.Map<String, Long> out = new java.util.HashMap<>();
    listByNames(channelId, names).forEach((n, rows) -> {
      if (!rows.isEmpty()) {
        out.put(n, (long) rows.size());
      }
    });
    return out;
  }

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

  /** Deletes the row; the change-log entry of this delete, or empty when there was no such row. */
  OptionalLong delete(long id, Actor actor);

  /** {@link #delete(long, Actor)} on the server's own behalf. */
  default OptionalLong delete(long id) {
    return delete(id, Actor.SYSTEM);
  }

  /** The rows of one package name in one channel location, ordered by filename. */
  List<PublishRow> publishRows(long channelId, String label, String subdir, String name);

  /** Every row of one channel location, ordered by name, then filename, streamed to {@code sink}. */
  void streamPublishRows(long channelId, String label, String subdir, java.util.function.Consumer<PublishRow> sink);

  /** Every file of one label, ordered by name, streamed to {@code sink}. */
  void streamLabel(long channelId, String label, java.util.function.Consumer<PackageFile> sink);

  /** How many files each (label, subdir) of the channel holds. */
  java.util.Map<String, java.util.Map<String, Long>> locationCounts(long channelId);

  /** A blob whose last row went away at {@code markedAt}. */
  record GarbageBlob(String key, long markedAt) {}

  /** Blobs marked as unused before {@code before}, oldest first. */
  List<GarbageBlob> blobGarbage(long before, int limit);

  /** Forgets the mark of a blob (deleted, or in use again). */
  void unmarkGarbage(String key);

  /** Whether a row refers to the blob. */
  boolean blobReferenced(String key);

  /** Whether any package file row exists. */
  boolean anyFile();

  /** Which of {@code keys} some row refers to, so a sweep can tell orphaned blobs apart a chunk at a time. */
  Set<String> referencedBlobKeys(java.util.Collection<String> keys);

  /**
   * Drops what was worked out once per sha256 (the contents listing, the declared PyPI names) of a
   * content-addressed blob's bytes when no row uses that blob any more; returns whether anything was dropped. Called when the blob
   * goes, so it shares the blob's grace period; the listing is read again from the blob should the same
   * bytes be stored later.
   */
  boolean forgetContents(String blobKey);
}
