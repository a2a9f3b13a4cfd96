package io.wharf.server.events;

/** A package file row deleted from one channel location. */
public record PackageRemoved(long channelId, String label, String subdir, String filename) {}
