package io.wharf.server.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SearchTermsTest {
  @Test
  void distanceCountsTranspositionsAsOneEdit() {
    assertThat(SearchTerms.distance("numpy", "nunpy", 2)).isEqualTo(1);
    assertThat(SearchTerms.distance("pandas", "pnadas", 2)).isEqualTo(1);
    assertThat(SearchTerms.distance("pandas", "xpandax", 2)).isEqualTo(2);
    assertThat(SearchTerms.distance("abc", "abc", 2)).isZero();
  }

  @Test
  void distanceStopsAboveTheLimit() {
    assertThat(SearchTerms.distance("pandas", "pxndxs", 2)).isEqualTo(2);
    assertThat(SearchTerms.distance("pandas", "pxndxx", 2)).isEqualTo(3);
    assertThat(SearchTerms.distance("a", "abcdef", 2)).isEqualTo(3);
  }

  @Test
  void prefixDistanceIsTheDistanceToTheClosestStartOfTheName() {
    assertThat(SearchTerms.prefixDistance("xtensro", "xtensor-io", 2)).isEqualTo(1);
    assertThat(SearchTerms.prefixDistance("numpi", "numpy-base", 2)).isEqualTo(1);
    assertThat(SearchTerms.prefixDistance("scikit-lern", "scikit-learn-intelex", 2)).isEqualTo(1);
    assertThat(SearchTerms.prefixDistance("numpy", "numpy-base", 2)).isZero();
    assertThat(SearchTerms.prefixDistance("numpi", "mpi4py", 2)).isEqualTo(2);
    assertThat(SearchTerms.prefixDistance("xtensro", "pyxtensor", 2)).isEqualTo(3);
    assertThat(SearchTerms.prefixDistance("xtensor-io", "xtensor", 2)).isEqualTo(3);
    assertThat(SearchTerms.prefixDistance("abc", "", 2)).isEqualTo(3);
  }

  @Test
  void misspeltPrefixesNeedFiveCharactersAndAllowTwoEditsFromNine() {
    assertThat(SearchTerms.maxPrefixEdits("nump")).isZero();
    assertThat(SearchTerms.maxPrefixEdits("numpi")).isEqualTo(1);
    assertThat(SearchTerms.maxPrefixEdits("scikit-l")).isEqualTo(1);
    assertThat(SearchTerms.maxPrefixEdits("scikit-le")).isEqualTo(2);
    assertThat(SearchTerms.maxPrefixEdits("😀😀😀😀")).isZero();
  }

  @Test
  void normalizeDropsControlCharactersCollapsesSpaceAndLowercases() {
    assertThat(SearchTerms.normalize("  Num\u0000Py \t\n Base  ")).isEqualTo("numpy base");
    assertThat(SearchTerms.normalize("x".repeat(500))).hasSize(SearchTerms.MAX_QUERY_CODE_POINTS);
  }

  @Test
  void prefixUpperBoundIsTheNextStringAfterEveryExtension() {
    assertThat(SearchTerms.prefixUpperBound("numpy")).isEqualTo("numpz");
    assertThat(SearchTerms.prefixUpperBound("a\uD7FF")).isEqualTo("a\uE000");
    assertThat(SearchTerms.prefixUpperBound("a" + new String(Character.toChars(Character.MAX_CODE_POINT))))
        .isEqualTo("b");
  }

  @Test
  void deletionVariantsHoldTheNameAndEachOneCharacterDeletion() {
    assertThat(SearchTerms.deletionVariants("abca")).containsExactly("abca", "bca", "aca", "aba", "abc");
    assertThat(SearchTerms.deletionVariants("x".repeat(65))).hasSize(1);
  }

  @Test
  void piecesSplitLongQueriesSoOneSurvivesEveryAllowedEdit() {
    assertThat(SearchTerms.pieces("scikit-learn", 2))
        .containsExactly("scik", "it-l", "earn", "sciki", "t-le", "arn");
    assertThat(SearchTerms.pieces("abcdefghi", 2)).containsExactly("abc", "def", "ghi");
    assertThat(SearchTerms.pieces("pandas", 2)).containsExactly("pan", "das");
    assertThat(SearchTerms.pieces("numpy", 2)).containsExactly("num", "mpy");
    assertThat(SearchTerms.pieces("abc", 2)).isEmpty();
  }

  @Test
  void likePatternsAndFtsStringsTreatInputLiterally() {
    assertThat(SearchTerms.likeContains("50%_off!")).isEqualTo("%50!%!_off!!%");
    assertThat(SearchTerms.ftsString("a \"b\" OR c")).isEqualTo("\"a \"\"b\"\" OR c\"");
  }
}
