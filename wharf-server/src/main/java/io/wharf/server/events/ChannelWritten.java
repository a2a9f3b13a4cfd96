package io.wharf.server.events;

/**
 * This node wrote a channel-level change (creation, description or privacy, removal) to the change log
 * as entry {@code seq}. Published inside the writing transaction, so the node's change-log follower knows
 * the entry for its own before it can read it back.
 */
public record ChannelWritten(long channelId, long seq) {}
