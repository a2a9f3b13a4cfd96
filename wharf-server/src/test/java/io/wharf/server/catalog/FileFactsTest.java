package io.wharf.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.conda.license.LicenseFamily;
import io.wharf.server.pkg.NewPackageFile;
import io.wharf.server.pkg.PackageFile;
import io.wharf.server.pkg.PackageFiles;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FileFactsTest {

  private static PackageFile file(String indexJson, String aboutJson) {
    NewPackageFile p = PackageFiles.file(1, "main", "noarch", "a-1.0-0.conda");
    return new PackageFile(1, 1, p.label(), p.subdir(), p.filename(), p.name(), p.version(), p.build(), 0, p.md5(),
        p.sha256(), p.size(), p.blobKey(), Instant.EPOCH, p.recordJson(), indexJson, aboutJson, null, null, null);
  }

  private static LicenseFamily both(String indexJson, String aboutJson) {
    PackageFile f = file(indexJson, aboutJson);
    LicenseFamily family = FileFacts.licenseFamilyOf(f);
    assertThat(family).as("licenseFamilyOf agrees with of").isEqualTo(FileFacts.of(f).licenseFamily());
    return family;
  }

  @Test
  void theLicenseFamilyAloneIsReadAsTheFullFactsReadIt() {
    assertThat(both("{\"name\":\"a\",\"license\":\"  MIT \",\"depends\":[\"b\"]}", null)).isEqualTo(LicenseFamily.MIT);
    // index.json wins; about.json fills in what index.json lacks
    assertThat(both("{\"license\":\"GPL-3.0-only\"}", "{\"license\":\"MIT\",\"license_family\":\"GPL\"}"))
        .isEqualTo(LicenseFamily.GPL3);
    assertThat(both("{\"license\":\"\",\"license_family\":null}", "{\"license\":\"Apache-2.0\"}"))
        .isEqualTo(LicenseFamily.APACHE);
    assertThat(both("{\"license\":{\"nested\":\"MIT\"}}", null)).isEqualTo(LicenseFamily.NONE);
    assertThat(both("{\"license\":\"MIT\",\"license\":\"BSD-3-Clause\"}", null)).isEqualTo(LicenseFamily.BSD);
    assertThat(both("{\"license\":12}", "{\"license\":\"MIT\"}")).isEqualTo(both("{\"license\":12}", null));
  }

  @Test
  void unreadableIndexJsonIsABrokenDatabaseForBoth() {
    PackageFile broken = file("{\"license\":", null);
    assertThatThrownBy(() -> FileFacts.of(broken)).isInstanceOf(java.io.UncheckedIOException.class);
    assertThatThrownBy(() -> FileFacts.licenseFamilyOf(broken)).isInstanceOf(java.io.UncheckedIOException.class);
  }
}
