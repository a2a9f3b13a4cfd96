package io.wharf.server.stats;

/**
 * Where and when a package file was downloaded: the served file (channel, subchannel, subdir, filename) and
 * the UTC day, as days since 1970-01-01.
 */
public record DownloadKey(long channelId, String label, String subdir, String filename, long day)
    implements Comparable<DownloadKey> {

  static final long MILLIS_PER_DAY = 86_400_000L;

  static long dayOf(long epochMillis) {
    return Math.floorDiv(epochMillis, MILLIS_PER_DAY);
  }

  /** One order for every writer, so that two nodes upserting the same rows never wait on each other in a cycle. */
  @Override
  public int compareTo(DownloadKey o) {
    int c = Long.compare(channelId, o.channelId);
    if (c == 0) {
      c = label.compareTo(o.label);
    }
    if (c == 0) {
      c = subdir.compareTo(o.subdir);
    }
    if (c == 0) {
      c = filename.compareTo(o.filename);
    }
    return c != 0 ? c : Long.compare(day, o.day);
  }
}
