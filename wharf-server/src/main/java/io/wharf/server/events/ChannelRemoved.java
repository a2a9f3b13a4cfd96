package io.wharf.server.events;

/**
 * A channel and all its files are gone. {@code name} is null when another node removed it: the
 * change watcher only sees that the id disappeared.
 */
public record ChannelRemoved(long channelId, String name) {}
