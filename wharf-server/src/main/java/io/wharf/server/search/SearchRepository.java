package io.wharf.server.search;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The catalog search index. Each engine answers from its own index structures; callers see one ranking:
 * exact name, prefix, substring, misspelling, then summary/description text, each kind ordered by name,
 * and a package only once, under its best kind.
 *
 * <p>A ranked search collects at most {@link #CANDIDATES_PER_KIND} packages of each kind (after filters),
 * so {@code total} is exact up to that many per kind. Browsing (blank text) has no such cap.
 */
public interface SearchRepository {
  int CANDIDATES_PER_KIND = 1_000;

  /** Inserts or replaces the document of (channelId, name). */
  void upsert(SearchDocument doc);

  /** Inserts or replaces several documents; engines write them in one transaction. */
  default void upsertAll(List<SearchDocument> docs) {
    docs.forEach(this::upsert);
  }

  void delete(long channelId, String name);

  void deleteChannel(long channelId);

  Optional<SearchDocument> find(long channelId, String name);

  /** The documents of these names of one channel, by name; a name without a document is absent. */
  default Map<String, SearchDocument> findAll(long channelId, java.util.Collection<String> names) {
    Map<String, SearchDocument> out = new java.util.HashMap<>();
    names.forEach(n -> find(channelId, n).ifPresent(d -> out.put(n, d)));
    return out;
  }

  SearchPage search(SearchQuery q);

  /** Every document of the channels, ordered by name; meant for per-channel summaries, not for search. */
  List<SearchDocument> all(Set<Long> channelIds);

  /**
   * Per channel, how many packages carry each license family (slug), counted by one grouped query over
   * the index; a package with two families counts once for each.
   */
  Map<Long, Map<String, Long>> licenseFamilyCounts(Set<Long> channelIds);

  /** Per channel that holds any package: its package count and newest upload (one grouped query). */
  Map<Long, ChannelSummary> summaries(Set<Long> channelIds);

  /** Which of these channels hold a package of exactly this name (one query, for dependency links). */
  Set<Long> channelsWithName(String name, Set<Long> channelIds);
}
