package io.wharf.server.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.server.error.WharfException;
import org.junit.jupiter.api.Test;

class UpstreamRecordTest {
  private static UpstreamRecord withSha256(String sha256) {
    ObjectNode r = GeneratedUpstream.record("a-1.0-0.tar.bz2").put("sha256", sha256);
    return UpstreamRecord.of("linux-64", "a-1.0-0.tar.bz2", r, "http://up/linux-64/", null);
  }

  @Test
  void aSha256OfSixtyFourHexDigitsInEitherCaseIsTakenLowercased() {
    String upper = "ABCDEF0123456789".repeat(4);
    assertThat(withSha256(upper).sha256()).isEqualTo(upper.toLowerCase(java.util.Locale.ROOT));
  }

  @Test
  void aSha256ThatIsNotSixtyFourAsciiHexDigitsIsRefused() {
    String fullwidthZero = "\uff10";
    for (String bad : new String[] {"", "a".repeat(63), "a".repeat(65), "g" + "a".repeat(63),
        fullwidthZero + "a".repeat(63), " " + "a".repeat(63)}) {
      assertThatThrownBy(() -> withSha256(bad).sha256()).as(bad)
          .isInstanceOfSatisfying(WharfException.class, e -> assertThat(e.code()).isEqualTo("invalid_record"))
          .hasMessageContaining("no sha256");
    }
  }
}
