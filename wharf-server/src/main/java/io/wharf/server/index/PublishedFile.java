package io.wharf.server.index;

/** What the hot path needs to serve one package file without asking the database. */
public record PublishedFile(String filename, String blobKey, long size, String sha256, long uploadedAt) {}
