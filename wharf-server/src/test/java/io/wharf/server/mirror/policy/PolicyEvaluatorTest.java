package io.wharf.server.mirror.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.error.WharfException;
import io.wharf.server.vuln.CveStatus;
import io.wharf.server.vuln.CveSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyEvaluatorTest {
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CveSummary NO_CVE = new CveSummary(null, 0, null);

  static Candidate zlib() {
    return new Candidate("linux-64", "zlib-1.2.11-h7b6447c_3.conda", "zlib", "1.2.11", "h7b6447c_3", null, "Zlib",
        NOW.minus(Duration.ofDays(10)).toEpochMilli(), false, NO_CVE);
  }

  static Candidate with(Candidate c, String license, CveSummary cves) {
    return new Candidate(c.subdir(), c.filename(), c.name(), c.version(), c.build(), null, license,
        c.timestampMillis(), c.signed(), cves);
  }

  static Decision judge(String filtersJson, Candidate c) throws Exception {
    return new PolicyEvaluator(PolicyFilters.fromJson(JSON.readTree(filtersJson)), NOW).evaluate(c);
  }

  @Test
  void emptyPolicyAdmitsEverything() throws Exception {
    assertThat(judge("{}", zlib()).admitted()).isTrue();
  }

  @Test
  void subdirFilterExcludesOtherSubdirs() throws Exception {
    assertThat(judge("{\"subdirs\":[\"linux-64\"]}", zlib()).admitted()).isTrue();
    Decision d = judge("{\"subdirs\":[\"osx-arm64\",\"noarch\"]}", zlib());
    assertThat(d.admitted()).isFalse();
    assertThat(d.filter()).isEqualTo("subdirs");
    assertThat(d.reason()).contains("linux-64");
  }

  @Test
  void includeTakesNamesAndMatchSpecs() throws Exception {
    assertThat(judge("{\"include\":[\"zlib\"]}", zlib()).admitted()).isTrue();
    assertThat(judge("{\"include\":[\"zlib >=1.2.12\"]}", zlib()).reason())
        .isEqualTo("zlib 1.2.11 h7b6447c_3 matches none of the included specs [zlib >=1.2.12]");
    assertThat(judge("{\"include\":[\"numpy\", \"zlib 1.2.*\"]}", zlib()).admitted()).isTrue();
  }

  @Test
  void excludeNamesTheSpecThatMatched() throws Exception {
    Decision d = judge("{\"exclude\":[\"numpy\", \"zlib <1.2.12\"]}", zlib());
    assertThat(d.filter()).isEqualTo("exclude");
    assertThat(d.reason()).isEqualTo("matches the excluded spec 'zlib <1.2.12'");
    assertThat(judge("{\"exclude\":[\"zlib * *_4\"]}", zlib()).admitted()).isTrue();
  }

  @Test
  void licenseFamiliesInAndNotIn() throws Exception {
    Candidate gpl = with(zlib(), "GPL-3.0-or-later", NO_CVE);
    Decision d = judge("{\"license_not_in\":[\"GPL3\"]}", gpl);
    assertThat(d.filter()).isEqualTo("license_not_in");
    assertThat(d.reason()).isEqualTo("license family GPL3 is excluded");
    assertThat(judge("{\"license_not_in\":[\"GPL3\"]}", zlib()).admitted()).isTrue();
    assertThat(judge("{\"license_in\":[\"MIT\",\"bsd\"]}", with(zlib(), "BSD-3-Clause", NO_CVE)).admitted())
        .isTrue();
    assertThat(judge("{\"license_in\":[\"MIT\"]}", zlib()).reason())
        .isEqualTo("license family Other is not one of [MIT]");
  }

  @Test
  void cveScoreAtMostJudgesTheOpenScore() throws Exception {
    String policy = "{\"cve_score_max\": 8.9}";
    Decision d = judge(policy, with(zlib(), "Zlib", new CveSummary(9.8, 1, CveStatus.REPORTED)));
    assertThat(d.filter()).isEqualTo("cve_score_max");
    assertThat(d.reason()).isEqualTo("CVE score 9.8 (Reported) is above 8.9");
    assertThat(judge(policy, with(zlib(), "Zlib", new CveSummary(7.5, 1, CveStatus.ACTIVE))).admitted()).isTrue();
    assertThat(judge(policy, zlib()).admitted()).isTrue();
    // all CVEs curated as not affecting the file: the summary shows the judged score, the filter passes it
    assertThat(judge(policy, with(zlib(), "Zlib", new CveSummary(9.8, 1, CveStatus.CLEARED))).admitted()).isTrue();
  }

  @Test
  void cveScoreAtLeastNeedsAnOpenScore() throws Exception {
    String policy = "{\"cve_score_min\": 7}";
    assertThat(judge(policy, with(zlib(), "Zlib", new CveSummary(9.8, 1, CveStatus.REPORTED))).admitted()).isTrue();
    assertThat(judge(policy, with(zlib(), "Zlib", new CveSummary(5.0, 1, CveStatus.REPORTED))).reason())
        .isEqualTo("CVE score 5.0 (Reported) is below 7.0");
    assertThat(judge(policy, zlib()).filter()).isEqualTo("cve_score_min");
  }

  @Test
  void cveStatusInAndNotInConcernFilesWithCves() throws Exception {
    CveSummary disputed = new CveSummary(9.8, 2, CveStatus.DISPUTED);
    assertThat(judge("{\"cve_status_not_in\":[\"Disputed\"]}", with(zlib(), "Zlib", disputed)).reason())
        .isEqualTo("CVE status Disputed is excluded");
    assertThat(judge("{\"cve_status_in\":[\"Cleared\",\"Mitigated\"]}", with(zlib(), "Zlib", disputed)).reason())
        .isEqualTo("CVE status Disputed is not one of [Cleared, Mitigated]");
    assertThat(judge("{\"cve_status_in\":[\"Cleared\"]}", zlib()).admitted()).isTrue();
    assertThat(judge("{\"cve_status_not_in\":[\"cleared\"]}", with(zlib(), "Zlib",
        new CveSummary(9.8, 1, CveStatus.CLEARED))).filter()).isEqualTo("cve_status_not_in");
  }

  @Test
  void ageFiltersReadTheTimestampInSecondsOrMilliseconds() throws Exception {
    assertThat(judge("{\"newer_than_days\": 30}", zlib()).admitted()).isTrue();
    assertThat(judge("{\"newer_than_days\": 5}", zlib()).reason()).isEqualTo("built 10 days ago, more than 5");
    assertThat(judge("{\"older_than_days\": 14}", zlib()).reason()).isEqualTo("built 10 days ago, fewer than 14");
    long seconds = NOW.minus(Duration.ofDays(40)).getEpochSecond();
    Candidate old = new Candidate("linux-64", "a-1-0.conda", "a", "1", "0", null, null,
        Candidate.timestampMillis(seconds), false, NO_CVE);
    assertThat(judge("{\"older_than_days\": 14}", old).admitted()).isTrue();
    Candidate undated = new Candidate("linux-64", "a-1-0.conda", "a", "1", "0", null, null, null, false, NO_CVE);
    assertThat(judge("{\"newer_than_days\": 5}", undated).reason())
        .isEqualTo("the record has no timestamp, so its age is unknown");
  }

  @Test
  void signedOnlyNeedsUpstreamSignatures() throws Exception {
    assertThat(judge("{\"signed_only\": true}", zlib()).filter()).isEqualTo("signed_only");
    Candidate signed = new Candidate("linux-64", "a-1-0.conda", "a", "1", "0", null, null, null, true, NO_CVE);
    assertThat(judge("{\"signed_only\": true}", signed).admitted()).isTrue();
  }

  @Test
  void dropTarBz2OnlyWhereTheCondaTwinIsListed() throws Exception {
    Candidate conda = zlib();
    Candidate bz2 = new Candidate("linux-64", "zlib-1.2.11-h7b6447c_3.tar.bz2", "zlib", "1.2.11", "h7b6447c_3",
        null, "Zlib", conda.timestampMillis(), false, NO_CVE);
    Candidate lone = new Candidate("linux-64", "zlib-1.2.11-h7b6447c_4.tar.bz2", "zlib", "1.2.11", "h7b6447c_4",
        null, "Zlib", conda.timestampMillis(), false, NO_CVE);
    Candidate otherSubdir = new Candidate("osx-64", "zlib-1.2.11-h7b6447c_3.tar.bz2", "zlib", "1.2.11",
        "h7b6447c_3", null, "Zlib", conda.timestampMillis(), false, NO_CVE);
    List<Decision> out = new PolicyEvaluator(PolicyFilters.fromJson(JSON.readTree("{\"drop_tar_bz2\": true}")), NOW)
        .evaluate(List.of(conda, bz2, lone, otherSubdir));
    assertThat(out).extracting(Decision::admitted).containsExactly(true, false, true, true);
    assertThat(out.get(1).filter()).isEqualTo("drop_tar_bz2");
  }

  static Candidate pkg(String subdir, String name, String version, String... depends) {
    return new Candidate(subdir, name + "-" + version + "-0.conda", name, version, "0", null, "MIT", null, false,
        NO_CVE, List.of(depends));
  }

  @Test
  void includeDependenciesTakesTheClosureInTheSubdirAndNoarch() throws Exception {
    List<Candidate> listing = List.of(
        pkg("linux-64", "app", "1.0", "libfoo >=2", "pyhelper", "__glibc >=2.17"),
        pkg("linux-64", "libfoo", "1.5"),
        pkg("linux-64", "libfoo", "2.1", "libbar 3.*"),
        pkg("linux-64", "libbar", "3.2"),
        pkg("linux-64", "libbar", "4.0"),
        pkg("noarch", "pyhelper", "0.1"),
        pkg("osx-64", "libfoo", "2.1"),
        pkg("linux-64", "unrelated", "1.0"));
    PolicyFilters f = PolicyFilters.fromJson(JSON.readTree("{\"include\":[\"app\"],\"include_dependencies\":true}"));
    List<Decision> out = new PolicyEvaluator(f, NOW).evaluate(listing);
    assertThat(out).filteredOn(Decision::admitted).extracting(d -> d.subdir() + "/" + d.filename()).containsExactly(
        "linux-64/app-1.0-0.conda", "linux-64/libfoo-2.1-0.conda", "linux-64/libbar-3.2-0.conda",
        "noarch/pyhelper-0.1-0.conda");
    assertThat(out.get(7).reason()).isEqualTo("unrelated 1.0 0 matches none of the included specs [app] and none of"
        + " their dependencies");
    // judged one subdir at a time, the closure computed over every subdir still reaches noarch
    PolicyEvaluator perSubdir = new PolicyEvaluator(f, NOW).withClosureOver(listing);
    assertThat(perSubdir.evaluate(List.of(listing.get(5))).get(0).admitted()).isTrue();
    assertThat(new PolicyEvaluator(f, NOW).evaluate(List.of(listing.get(5))).get(0).admitted()).isFalse();
  }

  @Test
  void aDependencyStillAnswersToTheOtherFilters() throws Exception {
    List<Candidate> listing = List.of(pkg("linux-64", "app", "1.0", "gpl-lib"),
        new Candidate("linux-64", "gpl-lib-1-0.conda", "gpl-lib", "1", "0", null, "GPL-3.0-only", null, false,
            NO_CVE));
    List<Decision> out = new PolicyEvaluator(PolicyFilters.fromJson(JSON.readTree(
        "{\"include\":[\"app\"],\"include_dependencies\":true,\"license_not_in\":[\"GPL3\"]}")), NOW)
        .evaluate(listing);
    assertThat(out).extracting(Decision::filter).containsExactly(null, "license_not_in");
  }

  @Test
  void theFirstFailingFilterIsTheReason() throws Exception {
    Candidate gplWithCve = with(zlib(), "GPL-3.0-only", new CveSummary(9.8, 1, CveStatus.REPORTED));
    assertThat(judge("{\"license_not_in\":[\"GPL3\"], \"cve_score_max\": 8.9}", gplWithCve).filter())
        .isEqualTo("license_not_in");
  }

  @Test
  void badFiltersAreRefusedWithTheirField() throws Exception {
    for (String bad : List.of("{\"licence_in\":[\"MIT\"]}", "{\"license_in\":[\"WTFPL-ish\"]}",
        "{\"cve_score_max\": 11}", "{\"subdirs\":[\"linux-128\"]}", "{\"newer_than_days\": 1.5}",
        "{\"cve_status_in\":[\"Fixed\"]}", "{\"include\":[\"zlib >=>1\"]}", "{\"signed_only\": \"yes\"}")) {
      assertThatThrownBy(() -> PolicyFilters.fromJson(JSON.readTree(bad))).as(bad)
          .isInstanceOf(WharfException.class);
    }
  }

  @Test
  void filtersRoundTripThroughJson() throws Exception {
    String json = "{\"subdirs\":[\"linux-64\"],\"include\":[\"zlib\"],\"license_not_in\":[\"GPL3\"],"
        + "\"cve_score_max\":8.9,\"cve_status_in\":[\"Cleared\"],\"newer_than_days\":30,\"drop_tar_bz2\":true}";
    PolicyFilters f = PolicyFilters.fromJson(JSON.readTree(json));
    assertThat(PolicyFilters.fromJson(f.toJson())).isEqualTo(f);
    assertThat(f.toJson().toString()).isEqualTo(json);
  }
}
