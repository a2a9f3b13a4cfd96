package io.wharf.server.vuln;

import io.wharf.server.vuln.jdbc.JdbcCveMatches;
import io.wharf.server.vuln.jdbc.JdbcDeclaredNames;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works out, at start and in batches, the PyPI names declared by files stored before declared names were kept
 * (files are otherwise examined only when stored), and matches the conda names that gain any against the
 * vulnerability records again. The cursor lives in the database (migration V42) and moves with each batch, so a
 * stop mid-way continues at the next start; once it reaches the files that existed at the migration, its row is
 * deleted and later starts cost one read. Two nodes starting together do the same idempotent work.
 */
public final class DeclaredNamesBackfill {
  static final int BATCH = 500;
  private static final Logger LOG = LoggerFactory.getLogger(DeclaredNamesBackfill.class);

  private final JdbcDeclaredNames declared;
  private final JdbcCveMatches matches;
  private final int batch;

  public DeclaredNamesBackfill(VulnerabilityService vulnerabilities) {
    this(vulnerabilities, BATCH);
  }

  DeclaredNamesBackfill(VulnerabilityService vulnerabilities, int batch) {
    this.declared = vulnerabilities.declaredNames();
    this.matches = vulnerabilities.matches();
    this.batch = batch;
  }

  /** Examines every file left to examine; returns how many conda names gained declared names. */
  public int run() {
    Set<String> names = new HashSet<>();
    while (true) {
      Optional<Set<String>> gained = declared.backfillStep(batch);
      if (gained.isEmpty()) {
        break;
      }
      names.addAll(gained.get());
      matches.rematchAll(gained.get());
    }
    if (!names.isEmpty()) {
      LOG.info("worked out the PyPI names declared by files of {} conda names stored before they were kept",
          names.size());
    }
    return names.size();
  }
}
