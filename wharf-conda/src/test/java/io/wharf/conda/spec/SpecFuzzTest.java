package io.wharf.conda.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wharf.conda.pkg.InvalidNameException;
import io.wharf.conda.pkg.PackageFilename;
import io.wharf.conda.version.InvalidVersionException;
import io.wharf.conda.version.Version;
import io.wharf.conda.version.VersionOrder;

/**
 * Strings from package records and request paths: dependency specs, versions and file names. The
 * server evaluates specs of every stored record for the dependants view and parses file names from
 * URLs, so none of these may throw anything but their own refusal, and ordering must stay consistent.
 * Replayed under {@code mvn test}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class SpecFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void admitsAnswersForAnySpecAndVersion(FuzzedDataProvider in) {
    String spec = in.consumeString(80);
    String version = in.consumeString(30);
    String build = in.consumeBoolean() ? null : in.consumeString(20);
    String name = in.consumeRemainingAsString();
    Admits answer = Requirements.admits(spec, name, version, build);
    MatchSpec parsed;
    try {
      parsed = MatchSpec.parse(spec);
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).isNotBlank();
      assertThat(answer).as("a spec that does not parse").isEqualTo(Admits.UNKNOWN);
      return;
    }
    // With everything the spec constrains given and readable, the answer is the match itself; otherwise
    // it may only be unsure, or a no that the match agrees with.
    boolean matches = parsed.matches(name, version, build);
    boolean decidable = parsed.keywords().isEmpty()
        && (parsed.version().isEmpty() || parses(version))
        && (parsed.build().isEmpty() || build != null);
    if (decidable) {
      assertThat(answer).isEqualTo(matches ? Admits.YES : Admits.NO);
    } else {
      assertThat(answer).isIn(Admits.NO, Admits.UNKNOWN);
      assertThat(answer == Admits.NO && matches).as("a no the match contradicts").isFalse();
    }
    // The normalized text is the same spec: it parses to itself and answers the same.
    String normalized = parsed.toString();
    assertThat(MatchSpec.parse(normalized)).as(normalized).isEqualTo(parsed);
    assertThat(Requirements.admits(normalized, name, version, build)).as(normalized).isEqualTo(answer);
  }

  private static boolean parses(String version) {
    try {
      Version.parse(version);
      return true;
    } catch (InvalidVersionException e) {
      return false;
    }
  }

  @FuzzTest(maxDuration = "60s")
  void versionOrderIsTotalAndAntisymmetricForAnyStrings(FuzzedDataProvider in) {
    String a = in.consumeString(40);
    String b = in.consumeString(40);
    String c = in.consumeRemainingAsString();
    int ab = Integer.signum(VersionOrder.compare(a, b));
    assertThat(Integer.signum(VersionOrder.compare(b, a))).isEqualTo(-ab);
    assertThat(VersionOrder.compare(a, a)).isZero();
    int bc = Integer.signum(VersionOrder.compare(b, c));
    if (ab <= 0 && bc <= 0) {
      assertThat(VersionOrder.compare(a, c)).as("transitive: %s <= %s <= %s", a, b, c).isLessThanOrEqualTo(0);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void fileNamesParseOrAreRefusedByName(String filename) {
    try {
      PackageFilename parsed = PackageFilename.parse(filename);
      assertThat(parsed.filename()).isEqualTo(filename);
      assertThat(filename).doesNotContain("/", "\\", "..");
    } catch (InvalidNameException refused) {
      assertThat(refused.getMessage()).isNotBlank();
    }
  }
}
