package io.wharf.server.events;

/** A channel and all its files are gone. */
public record ChannelRemoved(long channelId, String name) {}
