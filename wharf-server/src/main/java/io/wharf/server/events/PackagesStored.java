package io.wharf.server.events;

import java.util.List;

/**
 * Several package file rows committed together (a bulk import), all in one channel: one event, so
 * that listeners can do their work once per batch (one search update per package name, say) rather
 * than once per file.
 */
public record PackagesStored(long channelId, List<PackageStored> files) {
  public PackagesStored {
    files = List.copyOf(files);
  }
}
