package io.wharf.server.events;

/**
 * A package file row deleted from one channel location; {@code revision} is the channel's revision as
 * that delete left it.
 */
public record PackageRemoved(long channelId, String label, String subdir, String filename, long revision) {}
