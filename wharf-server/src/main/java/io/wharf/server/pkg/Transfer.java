package io.wharf.server.pkg;

import io.wharf.server.history.Actor;
import java.util.List;
import java.util.Locale;

/**
 * One copy, move or remove request, resolved to channel ids: what {@link JdbcPackageTransfers} carries
 * out in one transaction. For a remove the target is null.
 */
record Transfer(Mode mode, End source, End target, List<TransferItem> items, OnCollision onCollision,
    boolean dryRun, Actor actor) {

  enum Mode {
    COPY, MOVE, REMOVE;

    String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A channel location: its id, and how the caller wrote it (for messages and history). */
  record End(long channelId, String label, String text) {}
}
