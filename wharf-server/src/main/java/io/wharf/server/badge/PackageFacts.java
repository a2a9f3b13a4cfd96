package io.wharf.server.badge;

import io.wharf.server.channel.Channel;
import java.time.Instant;
import java.util.List;

/**
 * What the badges of a package in one channel label say.
 *
 * @param version the latest version (conda VersionOrder, then build number, then upload time)
 * @param license the latest file's {@code license}, empty when it declares none
 * @param platforms every subdir holding a file, sorted
 * @param lastUpload the newest upload among the files
 */
public record PackageFacts(Channel channel, String label, String name, String version, String license,
    List<String> platforms, Instant lastUpload) {

  public PackageFacts {
    platforms = List.copyOf(platforms);
  }

  /** Whether anyone may read the package without credentials, so that shared caches may keep its badges. */
  public boolean open() {
    return channel.privacy() == io.wharf.server.channel.Privacy.PUBLIC;
  }
}
