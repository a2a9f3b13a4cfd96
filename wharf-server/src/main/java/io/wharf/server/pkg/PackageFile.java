package io.wharf.server.pkg;

import java.time.Instant;

/**
 * A recorded package file: one row per (channel, label, subdir, filename). {@code signaturesJson} is the
 * record's entry of repodata's top-level {@code signatures} ({@code {"<key id>":{"signature":"<hex>"}}}),
 * null while unsigned.
 */
public record PackageFile(long id, long channelId, String label, String subdir, String filename, String name,
    String version, String build, long buildNumber, String md5, String sha256, long size, String blobKey,
    Instant uploadedAt, String recordJson, String indexJson, String aboutJson, String runExportsJson,
    String pathsFlagsJson, String signaturesJson) {}
