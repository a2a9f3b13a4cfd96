package io.wharf.conda.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionOrderTest {
  @Test
  void ordersByCondaVersionOrderNotByText() {
    List<String> versions = new ArrayList<>(List.of("1.10", "1.9", "1.0rc1", "1.0", "1!0.1"));
    versions.sort(VersionOrder.COMPARATOR);
    assertThat(versions).containsExactly("1.0rc1", "1.0", "1.9", "1.10", "1!0.1");
  }

  @Test
  void versionsTheParserRejectsSortBelowValidOnesAndKeepTheOrderTotal() {
    List<String> versions = new ArrayList<>(List.of("2.0", "not a version", "1.0", "also..bad"));
    versions.sort(VersionOrder.COMPARATOR);
    assertThat(versions).containsExactly("also..bad", "not a version", "1.0", "2.0");
    assertThat(VersionOrder.compare("1.1", "1.1.0")).isZero();
  }
}
