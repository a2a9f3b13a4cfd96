package io.wharf.server.history.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.db.Database;
import io.wharf.server.history.Actor;
import io.wharf.server.history.HistoryEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The audit log of each channel. {@link #record} is the one way an entry is written, always inside the
 * transaction of the change it describes, so an entry exists exactly when its change committed.
 */
public final class ChannelHistory {
  /**
   * Action names as stored and shown. Both channels of a copy or move record one entry each, with the
   * same details; a copy or move between labels of one channel records one.
   */
  public static final String UPLOAD = "upload";
  public static final String REPLACE = "replace";
  /** One batch of a bulk import: its file count and the first files. */
  public static final String IMPORT = "import";
  public static final String DELETE = "delete";
  public static final String COPY = "copy";
  public static final String MOVE = "move";
  public static final String REMOVE = "remove";
  public static final String CHANNEL_CREATE = "channel_create";
  public static final String CHANNEL_PRIVACY = "channel_privacy";
  public static final String CHANNEL_DELETE = "channel_delete";
  public static final String MEMBER_SET = "member_set";
  public static final String MEMBER_REMOVE = "member_remove";
  /** A token scoped to the channel (or one of its labels) was created or revoked. */
  public static final String TOKEN_CREATE = "token_create";
  public static final String TOKEN_REVOKE = "token_revoke";
  /** Repodata patch instructions set or removed for one subdir (details: subdir, revision, sha256...). */
  public static final String PATCH_SET = "patch_set";
  public static final String PATCH_REMOVE = "patch_remove";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Jdbi jdbi;

  public ChannelHistory(Database db) {
    this.jdbi = db.jdbi();
  }

  /**
   * Appends an entry in the caller's transaction {@code tx}. The channel's current name is read in that
   * transaction too, and stored with the entry so it still reads right once the channel is gone.
   */
  public static void record(Handle tx, long channelId, Actor actor, String action, Map<String, ?> details,
      long atMillis) {
    String name = tx.createQuery("SELECT name FROM channels WHERE id = :id").bind("id", channelId)
        .mapTo(String.class).findOne().orElseThrow(() -> new IllegalStateException("no channel " + channelId));
    tx.createUpdate("INSERT INTO channel_history (channel_id, channel_name, at, actor, client_address, action,"
            + " details_json) VALUES (:channelId, :name, :at, :actor, :address, :action, :details)")
        .bind("channelId", channelId)
        .bind("name", name)
        .bind("at", atMillis)
        .bind("actor", actor.name())
        .bind("address", actor.address())
        .bind("action", action)
        .bind("details", json(details))
        .execute();
  }

  /** One page of entries, newest first, and the id to continue before when more follow. */
  public record Page(List<HistoryEntry> entries, Optional<Long> nextBeforeId) {}

  /** Entries of the channel older than {@code beforeId} (null: from the newest), newest first. */
  public Page page(long channelId, Long beforeId, int limit) {
    List<HistoryEntry> rows = jdbi.withHandle(h -> h.createQuery("SELECT id, channel_id, channel_name, at, actor,"
            + " client_address, action, details_json FROM channel_history WHERE channel_id = :channelId"
            + " AND id < :before ORDER BY id DESC LIMIT :limit")
        .bind("channelId", channelId)
        .bind("before", beforeId == null ? Long.MAX_VALUE : beforeId)
        .bind("limit", limit + 1)
        .map((rs, ctx) -> new HistoryEntry(rs.getLong("id"), rs.getLong("channel_id"), rs.getString("channel_name"),
            Instant.ofEpochMilli(rs.getLong("at")), rs.getString("actor"), rs.getString("client_address"),
            rs.getString("action"), details(rs.getString("details_json"))))
        .list());
    if (rows.size() <= limit) {
      return new Page(List.copyOf(rows), Optional.empty());
    }
    List<HistoryEntry> page = List.copyOf(rows.subList(0, limit));
    return new Page(page, Optional.of(page.get(limit - 1).id()));
  }

  private static com.fasterxml.jackson.databind.JsonNode details(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored history details are not JSON", e);
    }
  }

  private static String json(Map<String, ?> details) {
    try {
      return JSON.writeValueAsString(details == null ? Map.of() : details);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("history details must be JSON: " + e.getMessage(), e);
    }
  }
}
