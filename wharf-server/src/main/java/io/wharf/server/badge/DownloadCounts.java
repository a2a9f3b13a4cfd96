package io.wharf.server.badge;

import io.wharf.server.channel.Channel;

/** Where the downloads badge gets its number: total downloads of a package's files in one channel label. */
@FunctionalInterface
public interface DownloadCounts {
  long total(Channel channel, String label, String name);
}
