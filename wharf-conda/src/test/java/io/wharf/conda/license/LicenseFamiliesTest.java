package io.wharf.conda.license;

import static io.wharf.conda.license.LicenseFamily.AGPL;
import static io.wharf.conda.license.LicenseFamily.APACHE;
import static io.wharf.conda.license.LicenseFamily.BSD;
import static io.wharf.conda.license.LicenseFamily.GPL2;
import static io.wharf.conda.license.LicenseFamily.GPL3;
import static io.wharf.conda.license.LicenseFamily.LGPL;
import static io.wharf.conda.license.LicenseFamily.MIT;
import static io.wharf.conda.license.LicenseFamily.NONE;
import static io.wharf.conda.license.LicenseFamily.OTHER;
import static io.wharf.conda.license.LicenseFamily.PROPRIETARY;
import static io.wharf.conda.license.LicenseFamily.PSF;
import static io.wharf.conda.license.LicenseFamily.PUBLIC_DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class LicenseFamiliesTest {

  // Where Wharf deliberately differs from the fixture's seedFamily (see LicenseFamilies).
  private static final Map<String, LicenseFamily> DECIDED_DIFFERENTLY =
      Map.of("IEC-Code-Components-EULA", PROPRIETARY);

  static Stream<JsonNode> spdxLicenses() {
    return StreamSupport.stream(LicenseFixtures.bundled("spdx-id-to-family.json").path("licenses").spliterator(), false);
  }

  @Test
  void theSpdxFixtureIsTheFullList() {
    assertThat(spdxLicenses()).hasSize(727);
    assertThat(SpdxLicenseList.bundled().size()).isEqualTo(727);
    assertThat(SpdxLicenseList.bundled().version()).isEqualTo("3.28.0");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("spdxLicenses")
  void everySpdxIdHasItsSeedFamily(JsonNode license) {
    String id = license.path("spdxId").asText();
    LicenseFamily expected = DECIDED_DIFFERENTLY.getOrDefault(id,
        LicenseFamily.fromSlugOrLabel(license.path("seedFamily").asText()).orElseThrow());

    assertThat(LicenseFamilies.classify(null, id)).isEqualTo(expected);
    assertThat(LicenseFamilies.classify(null, id.toLowerCase())).isEqualTo(expected);
  }

  @Test
  void theRulesAloneAgreeWithTheSpdxTableExceptWhereOnlyTheTableKnows() {
    Map<String, String> disagreements = new TreeMap<>();
    spdxLicenses().forEach(license -> {
      String id = license.path("spdxId").asText();
      LicenseFamily byRules = LicenseFamilies.byRules(id);
      if (!byRules.label().equals(license.path("seedFamily").asText())) {
        disagreements.put(id, byRules.label());
      }
    });
    // Ids whose family is not visible in the id itself: the table is what classifies them.
    assertThat(disagreements).containsExactlyInAnyOrderEntriesOf(new TreeMap<>(Map.ofEntries(
        Map.entry("blessing", "Other"),
        Map.entry("CC-PDDC", "Other"),
        Map.entry("CC-PDM-1.0", "Other"),
        Map.entry("FSL-1.1-MIT", "MIT"),
        Map.entry("IEC-Code-Components-EULA", "Proprietary"),
        Map.entry("libselinux-1.0", "Other"),
        Map.entry("NCBI-PD", "Other"),
        Map.entry("NTIA-PD", "Other"),
        Map.entry("PDDL-1.0", "Other"),
        Map.entry("psfrag", "PSF"),
        Map.entry("SMAIL-GPL", "LGPL"),
        Map.entry("Unlicense", "Other"))));
  }

  @Test
  void theRecordsOwnFamilyWinsOverItsLicense() {
    assertThat(LicenseFamilies.classify("BSD", "MIT")).isEqualTo(BSD);
    assertThat(LicenseFamilies.classify("PROPRIETARY", "MIT")).isEqualTo(PROPRIETARY);
    assertThat(LicenseFamilies.classify("NONE", "MIT")).isEqualTo(NONE);
  }

  @ParameterizedTest
  @CsvSource({
      "public-domain, PUBLIC_DOMAIN", "Public Domain, PUBLIC_DOMAIN", "PUBLICDOMAIN, PUBLIC_DOMAIN",
      "Apache, APACHE", "apache, APACHE", "psf, PSF", "GPL3, GPL3", "gpl-2, GPL2", "Lesser GPL, LGPL",
      "MOZILLA, OTHER", "Other, OTHER", "Proprietary, PROPRIETARY"})
  void readsTheRecordsFamilyInAnySpellingCondaBuildAccepts(String recorded, LicenseFamily expected) {
    assertThat(LicenseFamilies.classify(recorded, "Zlib")).isEqualTo(expected);
  }

  @Test
  void anUnrecognisedRecordFamilyFallsBackToTheLicense() {
    assertThat(LicenseFamilies.classify("LGPL-2.1", "MIT")).isEqualTo(MIT);
    assertThat(LicenseFamilies.classify("", "Apache-2.0")).isEqualTo(APACHE);
    assertThat(LicenseFamilies.classify("  ", null)).isEqualTo(NONE);
  }

  @Test
  void theLicenseOnlyNarrowsCondaBuildsCoarseGplAndCcFamilies() {
    assertThat(LicenseFamilies.classify("GPL", "GPL-3.0-or-later")).isEqualTo(GPL3);
    assertThat(LicenseFamilies.classify("GPL", "LGPL-2.1-only")).isEqualTo(LGPL);
    assertThat(LicenseFamilies.classify("GPL", "GPL")).isEqualTo(OTHER);
    assertThat(LicenseFamilies.classify("GPL", "MIT")).isEqualTo(OTHER);
    assertThat(LicenseFamilies.classify("CC", "CC0-1.0")).isEqualTo(PUBLIC_DOMAIN);
    assertThat(LicenseFamilies.classify("CC", "CC-BY-4.0")).isEqualTo(OTHER);
    assertThat(LicenseFamilies.classify("CC", "MIT")).isEqualTo(OTHER);
  }

  @Test
  void noLicenseMeansNone() {
    assertThat(LicenseFamilies.classify(null, "")).isEqualTo(NONE);
    assertThat(LicenseFamilies.classify(null, null)).isEqualTo(NONE);
    assertThat(LicenseFamilies.classify(null, " \t")).isEqualTo(NONE);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "MIT OR Apache-2.0 | MIT",
      "Apache-2.0 OR BSD-3-Clause | BSD",
      "LGPL-2.1-or-later AND GPL-3.0-or-later | GPL3",
      "BSD-3-Clause AND MIT | BSD",
      "GPL-2.0-or-later WITH Classpath-exception-2.0 | GPL2",
      "Apache-2.0 WITH LLVM-exception | APACHE",
      "GPL (>= 2) | GPL3",
      "GPL | OTHER",
      "MPL-2.0 | OTHER",
      "ISC | OTHER",
      "Unlimited | MIT",
      "AGPL-3.0-only | AGPL"})
  void followsCondaBuildForExpressionsAndFreeText(String license, LicenseFamily expected) {
    assertThat(LicenseFamilies.classify(null, license)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Apache-2.0+ | APACHE", "apache-2.0-or-later | APACHE", "MPL-2.0-only | OTHER", "bsd-3-clause | BSD",
      "  MIT  | MIT", "LGPL-2.1+ | LGPL", "Python-2.0.1-or-later | PSF"})
  void readsBareSpdxIdsWithVersionQualifiers(String license, LicenseFamily expected) {
    assertThat(LicenseFamilies.classify(null, license)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Python Software Foundation License | PSF",
      "PSF-2.0 | PSF",
      "Python-2.0 | PSF",
      "Python-2.0.2 | PSF",
      "CNRI-Python-Future | PSF",
      "Public Domain | PUBLIC_DOMAIN",
      "LicenseRef-Public-Domain | PUBLIC_DOMAIN",
      "public_domain | PUBLIC_DOMAIN",
      "CC0 | PUBLIC_DOMAIN",
      "CC0 1.0 Universal | PUBLIC_DOMAIN",
      "The Unlicense | PUBLIC_DOMAIN",
      "SAX-PD-3.0 | PUBLIC_DOMAIN",
      "MIT OR CC0-1.0 | PUBLIC_DOMAIN",
      "CC-BY-4.0 | OTHER",
      "psfrag | OTHER",
      "FSL-1.1-MIT | OTHER"})
  void correctsCondaBuildForPublicDomainAndPython(String license, LicenseFamily expected) {
    assertThat(LicenseFamilies.classify(null, license)).isEqualTo(expected);
  }

  @Test
  void aPublicDomainPartOfAConjunctionDoesNotMakeTheWholePublicDomain() {
    assertThat(LicenseFamilies.classify(null, "GPL-3.0-only AND Public Domain")).isEqualTo(GPL3);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "NVIDIA Proprietary Software License",
      "NVIDIA End User License Agreement",
      "LicenseRef-NVIDIA-End-User-License-Agreement",
      "Intel End User License Agreement for Developer Tools",
      "Proprietary",
      "LicenseRef-Proprietary",
      "EULA",
      "Commercial",
      "LicenseRef-Qt-Commercial",
      "Commercial license",
      "IEC Code Components End-user licence agreement"})
  void vendorTermsAreProprietary(String license) {
    assertThat(LicenseFamilies.classify(null, license)).isEqualTo(PROPRIETARY);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "GPL-3.0-only OR LicenseRef-Qt-Commercial | GPL3",
      "LicenseRef-Proprietary OR MIT | MIT",
      "CC-BY-NC-4.0 | OTHER",
      "Creative Commons Attribution-NonCommercial 4.0 | OTHER",
      "PolyForm-Noncommercial-1.0.0 | OTHER",
      "BSD-like, commercial use allowed | BSD"})
  void anOpenAlternativeOrANonCommercialClauseIsNotProprietary(String license, LicenseFamily expected) {
    assertThat(LicenseFamilies.classify(null, license)).isEqualTo(expected);
  }

  @Test
  void mapsEveryCondaBuildFamilyOntoWharfs() {
    Map<String, LicenseFamily> expected = Map.ofEntries(
        Map.entry("AGPL", AGPL), Map.entry("LGPL", LGPL), Map.entry("GPL3", GPL3), Map.entry("GPL2", GPL2),
        Map.entry("GPL", OTHER), Map.entry("BSD", BSD), Map.entry("MIT", MIT), Map.entry("APACHE", APACHE),
        Map.entry("PSF", PSF), Map.entry("CC", OTHER), Map.entry("MOZILLA", OTHER),
        Map.entry("PUBLIC-DOMAIN", PUBLIC_DOMAIN), Map.entry("PROPRIETARY", PROPRIETARY), Map.entry("OTHER", OTHER),
        Map.entry("NONE", NONE));
    assertThat(expected.keySet()).containsExactlyInAnyOrderElementsOf(CondaBuildLicenseFamily.FAMILIES);
    expected.forEach((name, family) -> assertThat(LicenseFamilies.fromCondaBuild(name)).as(name).isEqualTo(family));
  }
}
