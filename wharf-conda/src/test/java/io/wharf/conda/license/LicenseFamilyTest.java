package io.wharf.conda.license;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LicenseFamilyTest {

  @Test
  void labelsAndSlugsAreTheDocumentedOnes() {
    assertThat(Arrays.stream(LicenseFamily.values()).map(LicenseFamily::label)).containsExactly(
        "AGPL", "GPL2", "GPL3", "LGPL", "BSD", "MIT", "Apache", "PSF", "Public Domain", "Proprietary", "Other", "None");
    assertThat(Arrays.stream(LicenseFamily.values()).map(LicenseFamily::slug)).containsExactly(
        "agpl", "gpl2", "gpl3", "lgpl", "bsd", "mit", "apache", "psf", "public-domain", "proprietary", "other", "none");
  }

  @ParameterizedTest
  @EnumSource(LicenseFamily.class)
  void readsBackItsOwnLabelSlugAndName(LicenseFamily family) {
    assertThat(LicenseFamily.fromSlugOrLabel(family.label())).contains(family);
    assertThat(LicenseFamily.fromSlugOrLabel(family.slug())).contains(family);
    assertThat(LicenseFamily.fromSlugOrLabel(family.name())).contains(family);
    assertThat(LicenseFamily.fromSlugOrLabel(family.slug().toUpperCase())).contains(family);
  }

  @Test
  void readsCondaBuildSpellings() {
    assertThat(LicenseFamily.fromSlugOrLabel("PUBLIC-DOMAIN")).contains(LicenseFamily.PUBLIC_DOMAIN);
    assertThat(LicenseFamily.fromSlugOrLabel("PUBLICDOMAIN")).contains(LicenseFamily.PUBLIC_DOMAIN);
    assertThat(LicenseFamily.fromSlugOrLabel("public_domain")).contains(LicenseFamily.PUBLIC_DOMAIN);
    assertThat(LicenseFamily.fromSlugOrLabel("APACHE")).contains(LicenseFamily.APACHE);
    assertThat(LicenseFamily.fromSlugOrLabel("Proprietary")).contains(LicenseFamily.PROPRIETARY);
  }

  @Test
  void rejectsWhatIsNotAFamilyName() {
    assertThat(LicenseFamily.fromSlugOrLabel(null)).isEmpty();
    assertThat(LicenseFamily.fromSlugOrLabel("")).isEmpty();
    assertThat(LicenseFamily.fromSlugOrLabel("GPL")).isEmpty();
    assertThat(LicenseFamily.fromSlugOrLabel("Apache-2.0")).isEmpty();
    assertThat(LicenseFamily.fromSlugOrLabel("mit".repeat(100))).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(LicenseFamily.class)
  void everyFamilyExplainsItselfAndLinksToASecureReference(LicenseFamily family) {
    assertThat(family.description()).isNotBlank().endsWith(".");
    URI reference = URI.create(family.referenceUrl());
    assertThat(reference.getScheme()).isEqualTo("https");
    assertThat(reference.getHost()).isNotBlank();
  }
}
