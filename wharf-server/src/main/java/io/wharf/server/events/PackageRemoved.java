package io.wharf.server.events;

/** A package file row deleted from one channel location; {@code seq} is the change-log entry of that commit. */
public record PackageRemoved(long channelId, String label, String subdir, String filename, String name, long seq) {}
