package io.wharf.server.events;

/**
 * A package file row committed (new or replacing another) in one channel location; {@code revision} is
 * the channel's revision as that commit left it.
 */
public record PackageStored(long channelId, String label, String subdir, String filename, long revision) {}
