package io.wharf.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class InListsTest {
  @Test
  void aListIsLengthenedToThePowerOfTwoAboveWithItsLastValue() {
    assertThat(InLists.padded(List.of("a"))).containsExactly("a");
    assertThat(InLists.padded(List.of("a", "b"))).containsExactly("a", "b");
    assertThat(InLists.padded(List.of("a", "b", "c"))).containsExactly("a", "b", "c", "c");
    assertThat(InLists.padded(List.of(1, 2, 3, 4, 5))).containsExactly(1, 2, 3, 4, 5, 5, 5, 5);
    List<Integer> big = IntStream.range(0, 500).boxed().toList();
    assertThat(InLists.padded(big)).hasSize(512).startsWith(big.toArray(Integer[]::new)).endsWith(499, 499);
  }

  @Test
  void fiveHundredLengthsBecomeTenStatements() {
    assertThat(IntStream.rangeClosed(1, 500)
        .map(n -> InLists.padded(IntStream.range(0, n).boxed().toList()).size()).distinct().count()).isEqualTo(10);
  }

  @Test
  void anEmptyListIsRefused() {
    assertThatThrownBy(() -> InLists.padded(List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
