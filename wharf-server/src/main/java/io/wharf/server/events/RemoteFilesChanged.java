package io.wharf.server.events;

/** Another node changed the files of package {@code name} in one channel location. */
public record RemoteFilesChanged(long channelId, String label, String subdir, String name) {}
