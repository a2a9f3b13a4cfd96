package io.wharf.server.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.pkg.DependencyRows.Row;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class DependencyRowsTest {
  @Test
  void dependsComeBeforeConstrainsEachInRecordOrderWithTheirPositions() {
    String record = "{\"constrains\":[\"openssl >=3\"],\"name\":\"x\",\"info\":{\"depends\":[\"nested\"]},"
        + "\"depends\":[\"python >=3.8\",\"zlib 1.2.*\",\"libgcc-ng >=9\"],\"version\":\"1.0\"}";
    assertThat(DependencyRows.of(record)).containsExactly(
        new Row("depends", "python", "python >=3.8", 0),
        new Row("depends", "zlib", "zlib 1.2.*", 1),
        new Row("depends", "libgcc-ng", "libgcc-ng >=9", 2),
        new Row("constrains", "openssl", "openssl >=3", 0));
  }

  @Test
  void entriesThatAreNoStringOrNameNoPackageHaveNoRowButKeepTheirPlace() {
    String record = "{\"depends\":[1,{\"a\":[\"b\"]},[\"c\"],\"\",\"numpy\",null,\"scipy >=1\"]}";
    assertThat(DependencyRows.of(record)).containsExactly(
        new Row("depends", "numpy", "numpy", 4),
        new Row("depends", "scipy", "scipy >=1", 6));
  }

  @Test
  void aMemberThatIsNoArrayGivesNoRowsAndTheLastOfARepeatedMemberCounts() {
    assertThat(DependencyRows.of("{\"depends\":{\"python\":\"3\"},\"constrains\":\"openssl\"}")).isEmpty();
    assertThat(DependencyRows.of("{\"depends\":[\"a\"],\"depends\":[\"b\"]}"))
        .containsExactly(new Row("depends", "b", "b", 0));
    assertThat(DependencyRows.of("{\"depends\":[\"a\"],\"depends\":null}")).isEmpty();
  }

  @Test
  void aRecordThatIsNoObjectHasNoRows() {
    assertThat(DependencyRows.of("[\"depends\"]")).isEmpty();
    assertThat(DependencyRows.of("null")).isEmpty();
    assertThat(DependencyRows.of("")).isEmpty();
  }

  @Test
  void aRecordThatIsNoJsonIsRefused() {
    assertThatThrownBy(() -> DependencyRows.of("{\"depends\":[\"a\",")).isInstanceOf(UncheckedIOException.class);
    assertThatThrownBy(() -> DependencyRows.of("{\"depends\" [\"a\"]}")).isInstanceOf(UncheckedIOException.class);
  }
}
