package io.wharf.conda.license;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CondaBuildLicenseFamilyTest {

  static Stream<LicenseFixtures.Case> condaBuildTestCases() {
    return LicenseFixtures.cases("conda-build-license-family-cases.json", "family").stream();
  }

  static Stream<LicenseFixtures.Case> commonLicenseStrings() {
    return LicenseFixtures.cases("common-license-strings.json", "condaBuildFamily").stream();
  }

  @Test
  void fixturesHoldTheExpectedNumberOfCases() {
    // The fixture holds 41 license strings (its PROVENANCE.md says 42); a shrinking file would hide lost cases.
    assertThat(condaBuildTestCases()).hasSize(41);
    assertThat(commonLicenseStrings()).hasSizeGreaterThanOrEqualTo(39);
  }

  @ParameterizedTest
  @MethodSource("condaBuildTestCases")
  void agreesWithCondaBuildsOwnTestTable(LicenseFixtures.Case c) {
    assertThat(CondaBuildLicenseFamily.guess(c.license())).as(String.valueOf(c.license())).isEqualTo(c.family());
  }

  @ParameterizedTest
  @MethodSource("commonLicenseStrings")
  void agreesWithCondaBuildOnCommonLicenseStrings(LicenseFixtures.Case c) {
    assertThat(CondaBuildLicenseFamily.guess(c.license())).as(String.valueOf(c.license())).isEqualTo(c.family());
  }

  @Test
  void keepsCondaBuildsListOrderQuirks() {
    assertThat(CondaBuildLicenseFamily.guess("Apache-2.0 OR BSD-3-Clause")).isEqualTo("BSD");
    assertThat(CondaBuildLicenseFamily.guess("MPL-2.0")).isEqualTo("OTHER");
    assertThat(CondaBuildLicenseFamily.guess("Mozilla Public License 2.0")).isEqualTo("MOZILLA");
    assertThat(CondaBuildLicenseFamily.guess("LicenseRef-Public-Domain")).isEqualTo("PUBLIC-DOMAIN");
    // The "[A,L]" character class also swallows a comma before GPL, so the ">= 2" is never seen.
    assertThat(CondaBuildLicenseFamily.guess("BSD, GPL (>= 2)")).isEqualTo("GPL3");
    assertThat(CondaBuildLicenseFamily.guess("BSD,GPL (>= 2)")).isEqualTo("GPL2");
    // Second pass: the whole squashed string inside a family name.
    assertThat(CondaBuildLicenseFamily.guess("Apa che")).isEqualTo("APACHE");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "\t\n", "()", "--", "\u00a0"})
  void treatsTextWithoutAnyLetterAsNoLicense(String license) {
    // conda-build answers AGPL here (the empty string is in every family name); Wharf says NONE.
    assertThat(CondaBuildLicenseFamily.guess(license)).isEqualTo("NONE");
  }

  @Test
  void ignoresUnicodeWhitespaceLikePython() {
    assertThat(CondaBuildLicenseFamily.guess("Public\u00a0Domain\u2003")).isEqualTo("PUBLIC-DOMAIN");
    assertThat(CondaBuildLicenseFamily.guess("M\u0085I\u2028T")).isEqualTo("MIT");
  }

  @Test
  void recognisesDeclaredFamiliesTheWayEnsureValidLicenseFamilyDoes() {
    assertThat(CondaBuildLicenseFamily.recognise("public-domain")).contains("PUBLIC-DOMAIN");
    assertThat(CondaBuildLicenseFamily.recognise("Public Domain")).contains("PUBLIC-DOMAIN");
    assertThat(CondaBuildLicenseFamily.recognise("PUBLICDOMAIN")).contains("PUBLIC-DOMAIN");
    assertThat(CondaBuildLicenseFamily.recognise("Apache")).contains("APACHE");
    assertThat(CondaBuildLicenseFamily.recognise(" bsd ")).contains("BSD");
    assertThat(CondaBuildLicenseFamily.recognise("Lesser GPL")).contains("LGPL");
    assertThat(CondaBuildLicenseFamily.recognise("GPL-3")).contains("GPL3");
    assertThat(CondaBuildLicenseFamily.recognise("LGPL-2.1")).isEmpty();
    assertThat(CondaBuildLicenseFamily.recognise("Apache-2.0")).isEmpty();
    assertThat(CondaBuildLicenseFamily.recognise("")).isEmpty();
    assertThat(CondaBuildLicenseFamily.recognise(null)).isEmpty();
  }

  // The hand-written scans must answer exactly what conda-build's regular expressions answer.
  private static final Pattern GPL3 = Pattern.compile("GPL[^2]*3");
  private static final Pattern GPL2 = Pattern.compile("GPL[^3]*2");
  private static final Pattern GPL_AT_LEAST_2 = Pattern.compile("GPL[^2]*>= *2");

  @Test
  void gplScansMatchTheRegularExpressionsTheyReplace() {
    List<String> pieces = List.of("GPL", "G", "PL", "2", "3", ">=", " ", "=", ">", "L", "x");
    Random random = new Random(20240617);
    for (int n = 0; n < 50_000; n++) {
      StringBuilder s = new StringBuilder();
      int length = random.nextInt(9);
      for (int i = 0; i < length; i++) {
        s.append(pieces.get(random.nextInt(pieces.size())));
      }
      String text = s.toString();
      assertThat(CondaBuildLicenseFamily.matchesGplThen(text, '3', '2')).as(text).isEqualTo(GPL3.matcher(text).find());
      assertThat(CondaBuildLicenseFamily.matchesGplThen(text, '2', '3')).as(text).isEqualTo(GPL2.matcher(text).find());
      assertThat(CondaBuildLicenseFamily.matchesGplAtLeast2(text)).as(text)
          .isEqualTo(GPL_AT_LEAST_2.matcher(text).find());
    }
  }

  @Test
  void classifiesAHugeAdversarialStringWithoutBacktracking() {
    // Quadratic for GPL[^2]*3 as a backtracking regex; one pass for the hand-written scan. Squashed, "GPLGPL"
    // contains "LGPL", which comes first in conda-build's list.
    String hostile = "GPL ".repeat(2_000_000);
    assertThat(CondaBuildLicenseFamily.guess(hostile)).isEqualTo("LGPL");
  }
}
