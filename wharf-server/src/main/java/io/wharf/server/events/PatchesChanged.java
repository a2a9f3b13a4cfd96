package io.wharf.server.events;

import java.util.List;

/**
 * A channel's patch instructions for one subdir were set or removed; {@code names} are the change-log
 * entries that commit wrote, one per (label, package name) whose records the old or new instructions
 * touch.
 */
public record PatchesChanged(long channelId, String subdir, List<Entry> names) {
  public record Entry(String label, String name, long seq) {}

  public PatchesChanged {
    names = List.copyOf(names);
  }
}
