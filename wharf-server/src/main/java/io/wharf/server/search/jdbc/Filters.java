package io.wharf.server.search.jdbc;

import io.wharf.server.search.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.Query;

/** The channel, platform and license family restrictions of a query, as SQL over package_search {@code s}. */
final class Filters {
  /** Separates list elements in the stored columns; see the V3 migration. */
  static final String SEPARATOR = ",";

  private final List<Long> channelIds;
  private final Optional<String> subdirNeedle;
  private final Optional<String> licenseNeedle;

  private Filters(List<Long> channelIds, Optional<String> subdirNeedle, Optional<String> licenseNeedle) {
    this.channelIds = channelIds;
    this.subdirNeedle = subdirNeedle;
    this.licenseNeedle = licenseNeedle;
  }

  /** Empty when nothing can match: no readable channel, or a filter value no stored list can hold. */
  static Optional<Filters> of(SearchQuery q) {
    Optional<String> subdir = q.subdir().filter(s -> !s.isBlank());
    Optional<String> license = q.licenseFamily().filter(s -> !s.isBlank());
    if (q.channelIds().isEmpty() || subdir.filter(s -> s.contains(SEPARATOR)).isPresent()
        || license.filter(s -> s.contains(SEPARATOR)).isPresent()) {
      return Optional.empty();
    }
    List<Long> ids = new ArrayList<>(q.channelIds());
    ids.sort(null);
    return Optional.of(new Filters(ids, subdir.map(Filters::needle), license.map(Filters::needle)));
  }

  static Filters channels(List<Long> channelIds) {
    return new Filters(channelIds, Optional.empty(), Optional.empty());
  }

  static String join(List<String> elements) {
    for (String e : elements) {
      if (e.isEmpty() || e.contains(SEPARATOR)) {
        throw new IllegalArgumentException("list element must be non-empty without '" + SEPARATOR + "': " + e);
      }
    }
    return elements.isEmpty() ? "" : SEPARATOR + String.join(SEPARATOR, elements) + SEPARATOR;
  }

  static List<String> split(String stored) {
    List<String> out = new ArrayList<>();
    for (String e : stored.split(SEPARATOR)) {
      if (!e.isEmpty()) {
        out.add(e);
      }
    }
    return out;
  }

  private static String needle(String value) {
    return SEPARATOR + value + SEPARATOR;
  }

  /** Conditions to append to a WHERE clause (each starts with AND). */
  String sql(SearchSql dialect) {
    StringBuilder sb = new StringBuilder(" AND ").append(dialect.channelColumn()).append(" IN (<channelIds>)");
    subdirNeedle.ifPresent(n -> sb.append(" AND ").append(dialect.contains("s.subdirs", ":subdirNeedle")));
    licenseNeedle.ifPresent(n -> sb.append(" AND ").append(dialect.contains("s.license_families", ":licenseNeedle")));
    return sb.toString();
  }

  Query bind(Query query) {
    query.bindList("channelIds", channelIds);
    subdirNeedle.ifPresent(n -> query.bind("subdirNeedle", n));
    licenseNeedle.ifPresent(n -> query.bind("licenseNeedle", n));
    return query;
  }
}
