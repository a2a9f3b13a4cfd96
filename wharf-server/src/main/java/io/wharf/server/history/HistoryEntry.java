package io.wharf.server.history;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One recorded action on a channel; {@code details} is the JSON object recorded with it. */
public record HistoryEntry(long id, long channelId, String channelName, Instant at, String actor, String address,
    String action, JsonNode details) {}
