package io.wharf.server.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class PackageFileTest {
  private static final String RECORD = "{\"build\":\"0\",\"build_number\":0,\"depends\":[\"python >=3.8\"],"
      + "\"license\":\"MIT\",\"md5\":\"0123456789abcdef0123456789abcdef\",\"name\":\"a\",\"sha256\":\""
      + "a".repeat(64) + "\",\"size\":12,\"subdir\":\"noarch\",\"version\":\"1.0\"}";

  private static PackageFile row(String indexJson) {
    return new PackageFile(1, 1, "main", "noarch", "a-1.0-0.conda", "a", "1.0", "0", 0,
        "0123456789abcdef0123456789abcdef", "a".repeat(64), 12, "sha256/aa/" + "a".repeat(64), Instant.EPOCH, RECORD,
        indexJson, null, null, null, null);
  }

  @Test
  void aRowKnownByItsRecordAloneHasTheRecordLessItsRepodataFieldsAsItsIndex() {
    assertThat(row(PackageFile.INDEX_FROM_RECORD).indexDocument()).isEqualTo(StoredJson.parse(
        "{\"build\":\"0\",\"build_number\":0,\"depends\":[\"python >=3.8\"],\"license\":\"MIT\",\"name\":\"a\","
            + "\"subdir\":\"noarch\",\"version\":\"1.0\"}"));
  }

  @Test
  void aRowWithAnIndexOfItsOwnKeepsIt() {
    PackageFile own = row("{\"name\":\"a\",\"noarch\":\"python\"}");
    assertThat(own.indexDocument()).isEqualTo(StoredJson.parse("{\"name\":\"a\",\"noarch\":\"python\"}"));
    assertThat(own.indexFields()).isEqualTo("{\"name\":\"a\",\"noarch\":\"python\"}");
  }

  @Test
  void theFieldsOfAnIndexTakenFromTheRecordAreReadFromTheRecordItself() {
    PackageFile mirrored = row(PackageFile.INDEX_FROM_RECORD);
    assertThat(mirrored.indexFields()).isSameAs(RECORD);
    assertThat(io.wharf.server.catalog.FileFacts.licenseFamilyOf(mirrored).slug())
        .isEqualTo(io.wharf.server.catalog.FileFacts.of(mirrored).licenseFamily().slug()).isEqualTo("mit");
  }
}
