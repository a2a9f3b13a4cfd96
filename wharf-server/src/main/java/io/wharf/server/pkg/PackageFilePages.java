package io.wharf.server.pkg;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The files and package names of a channel a page at a time, and its rows deleted a batch at a time, so
 * that no request holds a whole channel in memory however large it grows.
 */
public interface PackageFilePages {
  /** A place in the order of {@link #files}: label, then subdir, then filename. */
  record FileKey(String label, String subdir, String filename) {
    public static FileKey of(PackageFile f) {
      return new FileKey(f.label(), f.subdir(), f.filename());
    }
  }

  /** Which files of a channel to list; a null field matches any value. */
  record FileFilter(String label, String subdir, String name, String filename) {
    public static final FileFilter ALL = new FileFilter(null, null, null, null);
  }

  /**
   * Up to {@code limit} files of the channel that pass the filter and come after {@code after} (null: from
   * the first), ordered by label, subdir, filename. That order is the unique key of a file in a channel,
   * so following the pages never repeats or skips a file that stays put.
   */
  List<PackageFile> files(long channelId, FileFilter filter, FileKey after, int limit);

  /**
   * Up to {@code limit} files of one package, newest upload first, uploaded before the file with id
   * {@code beforeId} (null: from the newest): a package page lists its files this way.
   */
  List<PackageFile> filesOfName(long channelId, String name, Long beforeId, int limit);

  /**
   * Up to {@code limit} package names of the channel after {@code afterName} (null: from the first),
   * ordered by name (code point order), each with its file count and newest upload.
   */
  List<PackageNameSummary> packageNames(long channelId, String afterName, int limit);

  /**
   * The labels that hold files of each of these package names (a page of names, not a whole channel),
   * sorted; names without files are absent.
   */
  Map<String, List<String>> labelsByName(long channelId, Collection<String> names);

  /**
   * Deletes up to {@code limit} file rows of the channel in one transaction that also raises the channel's
   * revision and marks for the blob sweeper each blob no other row uses; returns how many rows went (0
   * once the channel holds no file).
   */
  int deleteBatch(long channelId, int limit);
}
