package io.wharf.server.mirror;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A mirror of an upstream conda channel into one label of a channel of this server.
 *
 * @param upstreamUrl the channel URL without credentials; a conda token that was in it is replaced by
 *     {@link UpstreamCredentials#TOKEN_PLACEHOLDER}
 * @param subdirs the subdirs asked for; empty means the upstream's own (channeldata.json)
 * @param removeDeleted whether a run removes the files whose records upstream no longer lists
 * @param hasCredentials whether upstream credentials are stored (they are never shown)
 * @param every how often the mirror runs on its own; null when it runs only when asked
 * @param nextRunAt when it is next due on its schedule; null without one
 * @param records whether runs take upstream's patched records or the unpatched ones
 */
public record Mirror(long id, String name, long channelId, String channelName, String label, String upstreamUrl,
    MirrorMode mode, List<String> subdirs, boolean removeDeleted, boolean hasCredentials, Instant createdAt,
    Duration every, Instant nextRunAt, MirrorRecords records) {}
