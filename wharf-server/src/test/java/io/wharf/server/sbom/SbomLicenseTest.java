package io.wharf.server.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A declared license becomes an SPDX expression only when it is one over listed ids. */
class SbomLicenseTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "MIT|MIT", "mit|MIT", "zlib|Zlib", "BSD-3-Clause|BSD-3-Clause", "GPL-2.0+|GPL-2.0+",
      "Apache-2.0 OR MIT|Apache-2.0 OR MIT", "(mit OR bsd-2-clause) AND Zlib|(MIT OR BSD-2-Clause) AND Zlib",
      "  LGPL-2.1-or-later  |LGPL-2.1-or-later"})
  void listedIdsAndTheirCombinationsAreExpressionsInTheListsSpelling(String declared, String expression) {
    assertThat(SbomLicense.of(declared)).isInstanceOfSatisfying(SbomLicense.Expression.class,
        e -> assertThat(e.expression()).isEqualTo(expression));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"BSD", "Public Domain", "MIT AND", "(MIT", "MIT)", "MIT and Zlib", "AND",
      "GPL-2.0-or-later WITH Classpath-exception-2.0", "LicenseRef-custom", "MIT/X11", "Proprietary; see LICENSE"})
  void everythingElseIsKeptAsTextUnderALicenseRef(String declared) {
    assertThat(SbomLicense.of(declared)).isInstanceOfSatisfying(SbomLicense.Unmapped.class, u -> {
      assertThat(u.text()).isEqualTo(declared.strip());
      assertThat(u.licenseRef()).matches("LicenseRef-[A-Za-z0-9.-]+");
    });
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", "   "})
  void noLicenseIsNone(String declared) {
    assertThat(SbomLicense.of(declared)).isInstanceOf(SbomLicense.None.class);
    assertThat(SbomLicense.of(null)).isInstanceOf(SbomLicense.None.class);
  }
}
