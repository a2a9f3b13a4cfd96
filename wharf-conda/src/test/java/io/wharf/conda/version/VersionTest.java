package io.wharf.conda.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VersionTest {

    // CEP 33 "Examples" and conda's VersionOrder docstring; each inner list is one equality class.
    private static final List<List<String>> ORDER = List.of(
            List.of("0.4", "0.4.0"),
            List.of("0.4.1.rc", "0.4.1.RC"),
            List.of("0.4.1+local"),
            List.of("0.4.1+0.local"),
            List.of("0.4.1", "0.4.1+0"),
            List.of("0.4.1+1.local"),
            List.of("0.5a1"),
            List.of("0.5b3"),
            List.of("0.5C1"),
            List.of("0.5"),
            List.of("0.9.6"),
            List.of("0.960923"),
            List.of("1.0"),
            List.of("1.1dev1"),
            List.of("1.1_"),
            List.of("1.1a1"),
            List.of("1.1.0dev1", "1.1.dev1"),
            List.of("1.1.a1"),
            List.of("1.1.0rc1"),
            List.of("1.1.0.0", "1.1.0", "1.1"),
            List.of("1.1.post1", "1.1.0post1"),
            List.of("1.1post1"),
            List.of("1996.07.12"),
            List.of("1!0.4.1"),
            List.of("1!3.1.1.6"),
            List.of("2!0.4.1"));

    private static Version v(String s) {
        return Version.parse(s);
    }

    @Test
    void followsTheCep33OrderingChain() {
        for (int i = 0; i < ORDER.size(); i++) {
            for (String a : ORDER.get(i)) {
                for (String same : ORDER.get(i)) {
                    assertThat(v(a)).as("%s == %s", a, same).isEqualByComparingTo(v(same));
                    assertThat(v(a)).isEqualTo(v(same)).hasSameHashCodeAs(v(same));
                }
                for (int j = i + 1; j < ORDER.size(); j++) {
                    for (String b : ORDER.get(j)) {
                        assertThat(v(a)).as("%s < %s", a, b).isLessThan(v(b));
                        assertThat(v(b)).as("%s > %s", b, a).isGreaterThan(v(a));
                        assertThat(v(a)).isNotEqualTo(v(b));
                    }
                }
            }
        }
    }

    @Test
    void sortingAShuffledListRestoresTheChain() {
        List<Version> expected = new ArrayList<>();
        ORDER.forEach(group -> expected.add(v(group.get(0))));
        List<Version> shuffled = new ArrayList<>(expected);
        Collections.reverse(shuffled);
        Collections.sort(shuffled);
        assertThat(shuffled).containsExactlyElementsOf(expected);
    }

    @Test
    void preReleaseMarkersAreSensitiveToTheInsertedZero() {
        // The known pitfall (CEP 33 warning, conda#12568).
        assertThat(v("1.1.0rc1")).isEqualTo(v("1.1.rc1"));
        assertThat(v("1.1.rc1")).isGreaterThan(v("1.1rc1"));
        assertThat(v("1.1.a1")).isEqualTo(v("1.1.0a1"));
        // A separated .dev sorts after a letter glued to the previous number.
        assertThat(v("1.0.dev1")).isGreaterThan(v("1.0a1"));
    }

    @Test
    void ordersPreReleasesReleasesAndPostReleases() {
        List<String> chain = List.of("1.0dev1", "1.0a1", "1.0alpha", "1.0b2", "1.0beta", "1.0rc1", "1.0", "1.0post1");
        for (int i = 0; i + 1 < chain.size(); i++) {
            assertThat(v(chain.get(i))).as("%s < %s", chain.get(i), chain.get(i + 1)).isLessThan(v(chain.get(i + 1)));
        }
        assertThat(v("1.0alpha")).isNotEqualTo(v("1.0a"));
        // 'post' is infinity inside its component, so it even beats a further segment.
        assertThat(v("1.0post1")).isGreaterThan(v("1.0.1"));
    }

    @Test
    void trailingUnderscoreGivesOpensslOrdering() {
        assertThat(v("1.0.1_")).isLessThan(v("1.0.1a"));
        assertThat(v("1.0.1_")).isLessThan(v("1.0.1"));
        assertThat(v("1.0.1a")).isLessThan(v("1.0.1"));
    }

    @Test
    void epochOutweighsEverythingElse() {
        assertThat(v("1.0")).isLessThan(v("1!0.1"));
        assertThat(v("0!1.0")).isEqualTo(v("1.0"));
        assertThat(v("9999")).isLessThan(v("1!0"));
    }

    @Test
    void numbersCompareNumericallyWithoutOverflow() {
        assertThat(v("1.10")).isGreaterThan(v("1.9"));
        assertThat(v("1.010")).isEqualTo(v("1.10"));
        assertThat(v("0.0.20180101000000000001")).isGreaterThan(v("0.0.20180101000000000000"));
        assertThat(v("0.0.99999999999999999999")).isLessThan(v("0.0.100000000000000000000"));
    }

    @Test
    void stringsSortBelowNumbersAndPostAboveEverything() {
        assertThat(v("1.a")).isLessThan(v("1.0"));
        assertThat(v("1.0post")).isGreaterThan(v("1.0.99999"));
        assertThat(v("1.zzz")).isLessThan(v("1.0"));
        assertThat(v("1.1devel")).isGreaterThan(v("1.1dev")).isGreaterThan(v("1.1_"));
    }

    @Test
    void localVersionOnlyBreaksTies() {
        assertThat(v("1.0+abc")).isLessThan(v("1.0.1"));
        assertThat(v("1.0+2")).isGreaterThan(v("1.0+1"));
        assertThat(v("1.0+1.0")).isEqualTo(v("1.0+1"));
    }

    @Test
    void isCaseInsensitiveAndKeepsTheOriginalText() {
        Version upper = v("1.0RC1");
        assertThat(upper).isEqualTo(v("1.0rc1"));
        assertThat(upper.toString()).isEqualTo("1.0RC1");
        assertThat(upper.normalized()).isEqualTo("1.0rc1");
    }

    @Test
    void dashesStandForUnderscoresWhenThereAreNoUnderscores() {
        assertThat(v("1.0-2")).isEqualTo(v("1.0_2")).isEqualTo(v("1.0.2"));
        assertThatThrownBy(() -> v("1.0-2_3")).isInstanceOf(InvalidVersionException.class);
    }

    @Test
    void equalVersionsHashAlike() {
        assertThat(v("1.1")).hasSameHashCodeAs(v("1.1.0.0"));
        assertThat(v("1.0a")).hasSameHashCodeAs(v("1.0a0"));
        assertThat(v("2.0+1")).hasSameHashCodeAs(v("2.0.0+1.0"));
        assertThat(new java.util.HashSet<>(List.of(v("1.1"), v("1.1.0"), v("1.1.0.0")))).hasSize(1);
    }

    @Test
    void startsWithMatchesWholeComponents() {
        Version prefix = v("1.8");
        assertThat(v("1.8").startsWith(prefix)).isTrue();
        assertThat(v("1.8.0").startsWith(prefix)).isTrue();
        assertThat(v("1.8.2a").startsWith(prefix)).isTrue();
        assertThat(v("1.8a").startsWith(prefix)).isTrue();
        assertThat(v("1.80").startsWith(prefix)).isFalse();
        assertThat(v("1.7.9").startsWith(prefix)).isFalse();
        assertThat(v("1!1.8").startsWith(prefix)).isFalse();
        assertThat(v("1.0").startsWith(v("1.0.0"))).isTrue();
    }

    @Test
    void startsWithTreatsATrailingStringAsAStringPrefix() {
        assertThat(v("1.1alpha2").startsWith(v("1.1a"))).isTrue();
        assertThat(v("1.1b1").startsWith(v("1.1a"))).isFalse();
        assertThat(v("1.1").startsWith(v("1.1a"))).isFalse();
    }

    @Test
    void startsWithAcrossEpochAndLocalParts() {
        assertThat(v("1!2.3").startsWith(v("1!2"))).isTrue();
        assertThat(v("2.3").startsWith(v("1!2"))).isFalse();
        assertThat(v("1.0+cuda.11").startsWith(v("1.0+cuda"))).isTrue();
        assertThat(v("1.0.1+cuda").startsWith(v("1.0+cuda"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "1..2", "1.2.", ".1", "_1", "1!2!3", "a!1", "!1.0", "1+2+3", "+1",
            "1.0+", "1 0", "1.0/2", "1.0*", "1,0", "1.0$", "é1"})
    void rejectsInvalidVersions(String text) {
        assertThatThrownBy(() -> v(text)).isInstanceOf(InvalidVersionException.class)
                .hasMessageStartingWith("Invalid version");
    }

    @Test
    void rejectsNullAndHugeInput() {
        assertThatThrownBy(() -> v(null)).isInstanceOf(InvalidVersionException.class);
        assertThatThrownBy(() -> v("1.".repeat(1000) + "1")).isInstanceOf(InvalidVersionException.class)
                .hasMessageContaining("longer than");
    }
}
