package io.wharf.server.pkg;

/** One depends or constrains entry of {@code file} that names the package asked about. */
public record DependantRow(PackageFile file, String kind, String spec) {}
