package io.wharf.server.changes;

/**
 * One entry of the change log: the files of package {@code name} in one channel location changed
 * ({@link Kind#FILES}), or a channel was created, changed or removed ({@link Kind#CHANNEL}).
 */
public record Change(long seq, Kind kind, long channelId, String label, String subdir, String name) {
  public enum Kind { FILES, CHANNEL }
}
