package io.wharf.server.events;

/** A package file row committed (new or replacing another) in one channel location. */
public record PackageStored(long channelId, String label, String subdir, String filename) {}
