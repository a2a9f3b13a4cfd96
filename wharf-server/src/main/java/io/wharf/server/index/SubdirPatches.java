package io.wharf.server.index;

import io.wharf.conda.repodata.PatchInstructions;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The patch instructions of one channel's subdirs as one publication of a label's channeldata sees them:
 * a label's names span its subdirs, and each subdir's instructions are asked of the {@link PatchSource}
 * (a database read) once, however many names need them.
 */
final class SubdirPatches implements Function<String, PatchInstructions> {
  private final PatchSource source;
  private final long channelId;
  private final Map<String, PatchInstructions> read = new HashMap<>();

  SubdirPatches(PatchSource source, long channelId) {
    this.source = source;
    this.channelId = channelId;
  }

  /**
   * Reads these subdirs' instructions now: for a caller about to stream rows inside a transaction, which
   * should not open a second one per subdir meanwhile.
   */
  SubdirPatches readAhead(Collection<String> subdirs) {
    subdirs.forEach(this::apply);
    return this;
  }

  @Override
  public PatchInstructions apply(String subdir) {
    return read.computeIfAbsent(subdir, s -> source.current(channelId, s));
  }
}
