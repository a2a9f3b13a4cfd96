package io.wharf.server.catalog;

import io.wharf.server.channel.Channel;
import io.wharf.server.pkg.PackageFile;
import java.util.List;

/** A package (a name inside a channel): its latest file and facts, every version, platform and file. */
public record PackageDetails(Channel channel, String name, PackageFile latest, FileFacts facts,
    List<String> versions, List<String> platforms, List<FileEntry> files) {

  /** One file with the facts read from its own metadata. */
  public record FileEntry(PackageFile file, FileFacts facts) {}
}
