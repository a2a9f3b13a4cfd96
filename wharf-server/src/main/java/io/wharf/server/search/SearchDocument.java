package io.wharf.server.search;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the search index knows about one package name in one channel: the newest version's texts and
 * the union of its files' platforms and license families ({@code licenseFamilies} holds slugs such as
 * "mit" or "public-domain").
 */
public record SearchDocument(long channelId, String name, String latestVersion, String summary, String description,
    List<String> subdirs, List<String> licenseFamilies, long fileCount, Instant updatedAt) {

  public SearchDocument {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(latestVersion, "latestVersion");
    Objects.requireNonNull(updatedAt, "updatedAt");
    subdirs = List.copyOf(subdirs);
    licenseFamilies = List.copyOf(licenseFamilies);
  }
}
