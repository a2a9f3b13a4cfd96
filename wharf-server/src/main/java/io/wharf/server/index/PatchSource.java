package io.wharf.server.index;

import io.wharf.conda.repodata.PatchInstructions;

/** The patch instructions of each subdir of each channel, as the publisher applies them. */
public interface PatchSource {
  PatchSource NONE = (channelId, subdir) -> PatchInstructions.NONE;

  /**
   * The instructions in force now ({@link PatchInstructions#NONE} when there are none). The same object
   * comes back while they do not change: the publisher takes another object for a change of instructions.
   */
  PatchInstructions current(long channelId, String subdir);
}
