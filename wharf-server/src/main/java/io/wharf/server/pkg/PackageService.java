package io.wharf.server.pkg;

import io.wharf.conda.pkg.InvalidNameException;
import io.wharf.conda.pkg.PackageFilename;
import io.wharf.server.channel.Channel;
import io.wharf.server.channel.ChannelNames;
import io.wharf.server.error.WharfException;
import io.wharf.server.events.Events;
import io.wharf.server.history.Actor;
import io.wharf.server.events.PackageRemoved;
import io.wharf.server.pkg.PackageFilePages.FileFilter;
import io.wharf.server.pkg.PackageFilePages.FileKey;
import io.wharf.server.storage.BlobStore;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reading and removing the package files of a channel (for the API, CLI and UI; the conda hot path reads the index). */
public final class PackageService {
  private static final Logger LOG = LoggerFactory.getLogger(PackageService.class);

  /** Files or package names in one page of a list unless the caller asks for another size. */
  public static final int DEFAULT_PAGE_SIZE = 100;
  /** The most a caller may ask for in one page: enough for few round trips, small enough to hold. */
  public static final int MAX_PAGE_SIZE = 1000;

  private final PackageFileRepository files;
  private final PackageFilePages pages;
  private final BlobStore blobs;
  private final Events events;

  public PackageService(PackageFileRepository files, PackageFilePages pages, BlobStore blobs, Events events) {
    this.files = files;
    this.pages = pages;
    this.blobs = blobs;
    this.events = events;
  }

  /** One page of a channel's package names and, when more follow, the name to continue after. */
  public record NamePage(List<PackageNameSummary> names, Optional<String> next) {}

  /** One page of a channel's files and, when more follow, the key to continue after. */
  public record FilePage(List<PackageFile> files, Optional<FileKey> next) {}

  /** Package names after {@code afterName} (null: from the first), by name. */
  public NamePage packages(Channel channel, String afterName, int limit) {
    checkLimit(limit);
    List<PackageNameSummary> rows = pages.packageNames(channel.id(), afterName, limit + 1);
    List<PackageNameSummary> page = firstPage(rows, limit);
    return new NamePage(page, rows.size() > limit ? Optional.of(page.get(limit - 1).name()) : Optional.empty());
  }

  /**
   * Files by label, subdir and filename, after {@code after} (null: from the first). Only files under
   * {@code label}, in {@code subdir} and called {@code filename} when those are given; a filename is
   * looked up through the package name it starts with, so the cost follows that package, and a name that
   * is not a package file name matches nothing.
   */
  public FilePage files(Channel channel, String label, String subdir, String filename, FileKey after, int limit) {
    checkLimit(limit);
    String name = null;
    if (filename != null) {
      try {
        name = PackageFilename.parse(filename).name();
      } catch (InvalidNameException e) {
        return new FilePage(List.of(), Optional.empty());
      }
    }
    List<PackageFile> rows = pages.files(channel.id(), new FileFilter(label, subdir, name, filename), after,
        limit + 1);
    List<PackageFile> page = firstPage(rows, limit);
    return new FilePage(page, rows.size() > limit ? Optional.of(FileKey.of(page.get(limit - 1))) : Optional.empty());
  }

  /** One page of one package's files, newest upload first, and the id to continue before. */
  public record NewestPage(List<PackageFile> files, Optional<Long> nextBeforeId) {}

  public NewestPage filesOf(Channel channel, String name, Long beforeId, int limit) {
    checkLimit(limit);
    List<PackageFile> rows = pages.filesOfName(channel.id(), name, beforeId, limit + 1);
    List<PackageFile> page = firstPage(rows, limit);
    return new NewestPage(page, rows.size() > limit ? Optional.of(page.get(limit - 1).id()) : Optional.empty());
  }

  /** Queries ask for one row more than a page: that row only tells that another page follows. */
  private static <T> List<T> firstPage(List<T> rows, int limit) {
    return List.copyOf(rows.size() > limit ? rows.subList(0, limit) : rows);
  }

  private static void checkLimit(int limit) {
    if (limit < 1 || limit > MAX_PAGE_SIZE) {
      throw WharfException.invalid("invalid_limit", "limit must be between 1 and " + MAX_PAGE_SIZE);
    }
  }

  /** The labels holding files of each of these names (one page of a list), sorted. */
  public Map<String, List<String>> labelsByName(Channel channel, Collection<String> names) {
    return pages.labelsByName(channel.id(), names);
  }

  /** At most this many files per {@link #locate} call. */
  public static final int MAX_LOCATE = 5_000;

  /**
   * Which of these files of one label exist (subdir mapped to filenames), with their size and sha256;
   * one query per subdir and slice, so a client can learn cheaply what it need not send again.
   */
  public List<PackageFileRepository.Located> locate(Channel channel, String label,
      java.util.Map<String, ? extends java.util.Collection<String>> filenamesBySubdir) {
    String lbl = ChannelNames.requireLabel(label);
    int n = filenamesBySubdir.values().stream().mapToInt(java.util.Collection::size).sum();
    if (n > MAX_LOCATE) {
      throw WharfException.invalid("too_many_files", "ask about at most " + MAX_LOCATE + " files at once, not " + n);
    }
    List<PackageFileRepository.Located> out = new java.util.ArrayList<>();
    filenamesBySubdir.forEach((subdir, names) -> out.addAll(files.locate(channel.id(), lbl, subdir, names)));
    return out;
  }

  /** The channel's labels (subchannels) that hold at least one file, sorted. */
  public List<String> labels(Channel channel) {
    return files.labels(channel.id());
  }

  /** The newest uploads across these channels, newest first. */
  public List<PackageFile> recent(java.util.Collection<Channel> channels, int limit) {
    return files.recent(channels.stream().map(Channel::id).collect(java.util.stream.Collectors.toSet()), limit);
  }

  public List<PackageFile> filesOf(Channel channel, String name) {
    List<PackageFile> found = files.listByName(channel.id(), name);
    if (found.isEmpty()) {
      throw WharfException.notFound("package_not_found",
          "package '" + name + "' does not exist in channel '" + channel.name() + "'");
    }
    return found;
  }

  public PackageFile file(Channel channel, String label, String subdir, String filename) {
    String lbl = ChannelNames.requireLabel(label);
    return files.find(channel.id(), lbl, subdir, filename).orElseThrow(() -> WharfException.notFound(
        "file_not_found", filename + " does not exist in " + channel.name() + "/" + subdir
            + (lbl.equals(ChannelNames.DEFAULT_LABEL) ? "" : " (label " + lbl + ")")));
  }

  /** Deletes the file; returns the change-log entry of the delete (0 when another delete won). */
  public long delete(Channel channel, String label, String subdir, String filename) {
    return delete(channel, label, subdir, filename, Actor.SYSTEM);
  }

  /** As above; the channel's history records the delete as {@code actor}'s. */
  public long delete(Channel channel, String label, String subdir, String filename, Actor actor) {
    PackageFile f = file(channel, label, subdir, filename);
    // The blob stays: others may share it, and nodes may still list the file for a moment. The delete
    // marks it, and the blob sweeper removes it after a grace period if nothing uses it by then.
    OptionalLong seq = files.delete(f.id(), actor);
    if (seq.isPresent()) {
      events.publish(new PackageRemoved(channel.id(), f.label(), f.subdir(), f.filename(), f.name(),
          seq.getAsLong()));
    }
    return seq.orElse(0);
  }
}
