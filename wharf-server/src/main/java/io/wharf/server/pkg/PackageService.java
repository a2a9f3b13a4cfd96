package io.wharf.server.pkg;

import io.wharf.conda.pkg.InvalidNameException;
import io.wharf.conda.pkg.PackageFilename;
import io.wharf.server.channel.Channel;
import io.wharf.server.channel.ChannelNames;
import io.wharf.server.error.WharfException;
import io.wharf.server.events.Events;
import io.wharf.server.events.PackageRemoved;
import io.wharf.server.storage.BlobStore;
import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reading and removing the package files of a channel (for the API, CLI and UI; the conda hot path reads the index). */
public final class PackageService {
  private static final Logger LOG = LoggerFactory.getLogger(PackageService.class);

  private final PackageFileRepository files;
  private final BlobStore blobs;
  private final Events events;

  public PackageService(PackageFileRepository files, BlobStore blobs, Events events) {
    this.files = files;
    this.blobs = blobs;
    this.events = events;
  }

  public List<PackageNameSummary> packages(Channel channel) {
    return files.packageNames(channel.id());
  }

  public List<PackageFile> files(Channel channel) {
    return files.listChannel(channel.id());
  }

  /**
   * The files of that name in any label and subdir. Looked up through the package name the file name
   * starts with, so the cost follows that package, not the channel; a name that is not a package file
   * name matches nothing.
   */
  public List<PackageFile> filesNamed(Channel channel, String filename) {
    String name;
    try {
      name = PackageFilename.parse(filename).name();
    } catch (InvalidNameException e) {
      return List.of();
    }
    return files.listByName(channel.id(), name).stream()
        .filter(f -> f.filename().equals(filename)).toList();
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
    PackageFile f = file(channel, label, subdir, filename);
    // The blob stays: others may share it, and nodes may still list the file for a moment. The delete
    // marks it, and the blob sweeper removes it after a grace period if nothing uses it by then.
    OptionalLong seq = files.delete(f.id());
    if (seq.isPresent()) {
      events.publish(new PackageRemoved(channel.id(), f.label(), f.subdir(), f.filename(), f.name(),
          seq.getAsLong()));
    }
    return seq.orElse(0);
  }
}
