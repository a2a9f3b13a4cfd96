package io.wharf.server.events;

/**
 * A package file row committed (new or replacing another) in one channel location; {@code seq} is the
 * change-log entry that commit wrote.
 */
public record PackageStored(long channelId, String label, String subdir, String filename, String name, long seq) {}
