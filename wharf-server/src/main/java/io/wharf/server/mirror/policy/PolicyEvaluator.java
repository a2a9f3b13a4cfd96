package io.wharf.server.mirror.policy;

import io.wharf.conda.license.LicenseFamily;
import io.wharf.conda.spec.MatchSpec;
import io.wharf.server.vuln.CveSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Judges upstream records against a policy's filters, with no I/O: each record is admitted, or excluded
 * with the first failing filter and a sentence saying why. Filters are tried in a fixed order (subdir,
 * names, licenses, CVEs, age, signature, duplicate format), so the reason shown is stable.
 *
 * <p>CVE filters read the file's {@link CveSummary}. The score filters judge the open score (Active and
 * Reported CVEs): a file whose CVEs were all curated as not affecting it (Disputed, Mitigated, Cleared)
 * passes them, and the status filters decide whether such a file is admitted. Status filters concern
 * only files that have CVEs.
 */
public final class PolicyEvaluator {
  private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();
  private final PolicyFilters filters;
  private final Instant now;
  private final List<MatchSpec> include;
  private final List<MatchSpec> exclude;
  private Set<String> closure;

  public PolicyEvaluator(PolicyFilters filters, Instant now) {
    this.filters = filters;
    this.now = now;
    this.include = filters.include().stream().map(MatchSpec::parse).toList();
    this.exclude = filters.exclude().stream().map(MatchSpec::parse).toList();
  }

  /**
   * Fixes the records {@code include} admits when dependencies are included: the dependency closure,
   * computed over every mirrored subdir's listing (see {@link #closure}); without it, over each listing judged.
   */
  public PolicyEvaluator withClosureOver(List<Candidate> everything) {
    this.closure = closure(everything);
    return this;
  }

  /**
   * The records ("subdir/filename") the include specs match, then every record that satisfies a
   * {@code depends} spec of one already in, until nothing is added. A dependency is looked for in the
   * record's own subdir and in noarch, where conda looks for it; every version the spec allows is taken, since
   * which one a client's solver picks is not known here. Virtual packages ({@code __glibc}) match no record.
   */
  public Set<String> closure(List<Candidate> everything) {
    Set<String> in = new HashSet<>();
    java.util.ArrayDeque<Candidate> todo = new java.util.ArrayDeque<>();
    java.util.Map<String, List<Candidate>> byName = new java.util.HashMap<>();
    for (Candidate c : everything) {
      byName.computeIfAbsent(c.name(), n -> new ArrayList<>()).add(c);
      if (include.stream().anyMatch(s -> matches(s, c)) && in.add(key(c))) {
        todo.add(c);
      }
    }
    while (!todo.isEmpty()) {
      Candidate c = todo.poll();
      for (String dep : c.depends()) {
        MatchSpec spec;
        try {
          spec = MatchSpec.parse(dep);
        } catch (RuntimeException unreadable) {
          continue; // a dependency conda could not read either
        }
        for (Candidate d : byName.getOrDefault(spec.name(), List.of())) {
          boolean reachable = d.subdir().equals(c.subdir()) || d.subdir().equals("noarch");
          if (reachable && spec.matches(d.name(), d.version(), d.build()) && in.add(key(d))) {
            todo.add(d);
          }
        }
      }
    }
    return in;
  }

  private static String key(Candidate c) {
    return c.subdir() + "/" + c.filename();
  }

  /**
   * Judges the records of one upstream listing. The whole listing is needed for the duplicate-format
   * filter: a {@code .tar.bz2} is dropped only when its {@code .conda} twin is listed in the same subdir.
   */
  public List<Decision> evaluate(List<Candidate> candidates) {
    Set<String> condaTwins = new HashSet<>();
    for (Candidate c : candidates) {
      if (c.filename().endsWith(".conda")) {
        condaTwins.add(c.subdir() + "/" + c.filename().substring(0, c.filename().length() - ".conda".length()));
      }
    }
    Set<String> included = filters.includeDependencies() && !include.isEmpty()
        ? (closure != null ? closure : closure(candidates)) : null;
    List<Decision> out = new ArrayList<>(candidates.size());
    for (Candidate c : candidates) {
      out.add(judge(c, condaTwins, included));
    }
    return out;
  }

  /** One record judged alone (the duplicate-format filter then sees no twin). */
  public Decision evaluate(Candidate c) {
    return evaluate(List.of(c)).get(0);
  }

  private Decision judge(Candidate c, Set<String> condaTwins, Set<String> included) {
    if (!filters.subdirs().isEmpty() && !filters.subdirs().contains(c.subdir())) {
      return Decision.exclude(c, "subdirs", "subdir " + c.subdir() + " is not in " + filters.subdirs());
    }
    if (included != null && !included.contains(key(c))) {
      return Decision.exclude(c, "include", c.name() + " " + c.version() + " " + c.build()
          + " matches none of the included specs " + filters.include() + " and none of their dependencies");
    }
    if (included == null && !include.isEmpty() && include.stream().noneMatch(s -> matches(s, c))) {
      return Decision.exclude(c, "include", c.name() + " " + c.version() + " " + c.build()
          + " matches none of the included specs " + filters.include());
    }
    for (MatchSpec s : exclude) {
      if (matches(s, c)) {
        return Decision.exclude(c, "exclude", "matches the excluded spec '" + s.original() + "'");
      }
    }
    LicenseFamily family = family(c);
    if (!filters.licenseIn().isEmpty() && !filters.licenseIn().contains(family)) {
      return Decision.exclude(c, "license_in", "license family " + family.label() + " is not one of "
          + labels(filters.licenseIn()));
    }
    if (filters.licenseNotIn().contains(family)) {
      return Decision.exclude(c, "license_not_in", "license family " + family.label() + " is excluded");
    }
    Decision cve = cve(c);
    if (cve != null) {
      return cve;
    }
    if (filters.newerThanDays() != null || filters.olderThanDays() != null) {
      if (c.timestampMillis() == null) {
        return Decision.exclude(c, "age", "the record has no timestamp, so its age is unknown");
      }
      long ageDays = (now.toEpochMilli() - c.timestampMillis()) / DAY_MILLIS;
      if (filters.newerThanDays() != null && ageDays > filters.newerThanDays()) {
        return Decision.exclude(c, "newer_than_days", "built " + ageDays + " days ago, more than "
            + filters.newerThanDays());
      }
      if (filters.olderThanDays() != null && ageDays < filters.olderThanDays()) {
        return Decision.exclude(c, "older_than_days", "built " + ageDays + " days ago, fewer than "
            + filters.olderThanDays());
      }
    }
    if (filters.signedOnly() && !c.signed()) {
      return Decision.exclude(c, "signed_only", "upstream has no signature for this record");
    }
    if (filters.dropTarBz2() && c.filename().endsWith(".tar.bz2") && condaTwins.contains(
        c.subdir() + "/" + c.filename().substring(0, c.filename().length() - ".tar.bz2".length()))) {
      return Decision.exclude(c, "drop_tar_bz2", "the .conda of the same name, version and build is mirrored"
          + " instead");
    }
    return Decision.admit(c);
  }

  private Decision cve(Candidate c) {
    CveSummary s = c.cves();
    if (s == null || s.count() == 0) {
      return filters.cveScoreMin() == null ? null
          : Decision.exclude(c, "cve_score_min", "has no CVE, so no score of at least " + filters.cveScoreMin());
    }
    String status = s.status().label();
    if (!filters.cveStatusIn().isEmpty() && !filters.cveStatusIn().contains(s.status())) {
      return Decision.exclude(c, "cve_status_in", "CVE status " + status + " is not one of "
          + filters.cveStatusIn().stream().map(x -> x.label()).toList());
    }
    if (filters.cveStatusNotIn().contains(s.status())) {
      return Decision.exclude(c, "cve_status_not_in", "CVE status " + status + " is excluded");
    }
    if (!s.status().open()) {
      return null; // curated as not affecting the file: the score filters judge open CVEs only
    }
    Double score = s.score();
    if (filters.cveScoreMax() != null && score != null && score > filters.cveScoreMax()) {
      return Decision.exclude(c, "cve_score_max", "CVE score " + score + " (" + status + ") is above "
          + filters.cveScoreMax());
    }
    if (filters.cveScoreMin() != null && (score == null || score < filters.cveScoreMin())) {
      return Decision.exclude(c, "cve_score_min", "CVE score " + score + " (" + status + ") is below "
          + filters.cveScoreMin());
    }
    return null;
  }

  private static boolean matches(MatchSpec spec, Candidate c) {
    if (spec.subdir().isPresent() && !spec.subdir().get().equals(c.subdir())) {
      return false;
    }
    return spec.matches(c.name(), c.version(), c.build());
  }

  private static LicenseFamily family(Candidate c) {
    return io.wharf.conda.license.LicenseFamilies.classify(c.licenseFamily(), c.license());
  }

  private static List<String> labels(List<LicenseFamily> families) {
    return families.stream().map(LicenseFamily::label).toList();
  }
}
