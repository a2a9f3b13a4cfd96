package io.wharf.server.events;

/**
 * The files of a channel changed in a way this process may not have seen (another node wrote them);
 * anything derived from the channel's rows and held in memory must be derived again.
 */
public record ChannelChanged(long channelId) {}
