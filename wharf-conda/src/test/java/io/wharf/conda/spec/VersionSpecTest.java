package io.wharf.conda.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.conda.version.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VersionSpecTest {

    private static boolean m(String spec, String version) {
        return VersionSpec.parse(spec).matches(Version.parse(version));
    }

    @Test
    void prefixMatchComparesWholeComponents() {
        assertThat(m("1.8.*", "1.8")).isTrue();
        assertThat(m("1.8.*", "1.8.0")).isTrue();
        assertThat(m("1.8.*", "1.8.2a")).isTrue();
        assertThat(m("1.8.*", "1.80")).isFalse();
        assertThat(m("1.8.*", "1.7.9")).isFalse();
        assertThat(m("1.8*", "1.8.5")).isTrue();
        assertThat(m("1.8*", "1.80")).isFalse();
        assertThat(m("=1.8", "1.8.3")).isTrue();
        assertThat(m("=1.8", "1.9")).isFalse();
    }

    @Test
    void bareLiteralIsExactUnlessAskedOtherwise() {
        assertThat(m("1.8", "1.8.0")).isTrue();
        assertThat(m("1.8", "1.8.1")).isFalse();
        assertThat(VersionSpec.parse("1.8", false).matches(Version.parse("1.8.1"))).isTrue();
        assertThat(VersionSpec.parse("1.8", false).matches(Version.parse("1.80"))).isFalse();
        assertThat(VersionSpec.parse(">=1.8", false).matches(Version.parse("2.0"))).isTrue();
    }

    @Test
    void rangeBoundariesAreInclusiveOrExclusiveAsWritten() {
        String spec = ">=1.21,<2";
        assertThat(m(spec, "1.21")).isTrue();
        assertThat(m(spec, "1.21.0")).isTrue();
        assertThat(m(spec, "1.20.9")).isFalse();
        assertThat(m(spec, "1.26.4")).isTrue();
        assertThat(m(spec, "2")).isFalse();
        assertThat(m(spec, "2.0.0")).isFalse();
        assertThat(m(spec, "2.0a1")).isTrue(); // pre-releases of 2 sort below 2
        assertThat(m(">1.0", "1.0")).isFalse();
        assertThat(m("<=1.0", "1.0.0")).isTrue();
        assertThat(m("==1.0", "1.0.0")).isTrue();
        assertThat(m("!=1.0", "1.0.0")).isFalse();
        assertThat(m("!=1.0", "1.0.1")).isTrue();
    }

    @Test
    void commaBindsTighterThanPipe() {
        String spec = "1.5|>=1.7,<1.8|2.*";
        assertThat(m(spec, "1.5")).isTrue();
        assertThat(m(spec, "1.6")).isFalse();
        assertThat(m(spec, "1.7.3")).isTrue();
        assertThat(m(spec, "1.8")).isFalse();
        assertThat(m(spec, "2.4")).isTrue();
        assertThat(m(">=1,<2|>=3", "2.5")).isFalse();
        assertThat(m(">=1,<2|>=3", "3.1")).isTrue();
    }

    @Test
    void parenthesesOverridePrecedence() {
        String spec = "(1.5|1.6),<1.6";
        assertThat(m(spec, "1.5")).isTrue();
        assertThat(m(spec, "1.6")).isFalse();
        assertThat(m("((1.5|((1.6|1.7),1.8),1.9|2.0))|2.1", "2.1")).isTrue();
        assertThat(m("((1.5|((1.6|1.7),1.8),1.9|2.0))|2.1", "1.6")).isFalse();
    }

    @Test
    void negatedPrefixExcludesAWholeSeries() {
        String spec = ">=5.3.0,!=8.3.*";
        assertThat(m(spec, "8.3")).isFalse();
        assertThat(m(spec, "8.3.2")).isFalse();
        assertThat(m(spec, "8.30")).isTrue();
        assertThat(m(spec, "8.4.0")).isTrue();
        assertThat(m(spec, "5.2")).isFalse();
    }

    @Test
    void compatibleReleaseOperatorMeansAtLeastAndSamePrefix() {
        assertThat(m("~=0.5.3", "0.5.3")).isTrue();
        assertThat(m("~=0.5.3", "0.5.9")).isTrue();
        assertThat(m("~=0.5.3", "0.5.2")).isFalse();
        assertThat(m("~=0.5.3", "0.6.0")).isFalse();
        assertThat(m("~=2.2", "2.9")).isTrue();
        assertThat(m("~=2.2", "3.0")).isFalse();
    }

    @Test
    void operatorWithTrailingWildcard() {
        assertThat(m(">=1.8.*", "1.8")).isTrue();
        assertThat(m(">=1.8.*", "1.7.9")).isFalse();
        assertThat(VersionSpec.parse(">=1.8.*").toString()).isEqualTo(">=1.8");
        assertThat(m("==1.8.*", "1.8.4")).isTrue();
        assertThat(m("<2.*", "1.9")).isTrue();
    }

    @Test
    void globInTheMiddleAndRegex() {
        assertThat(m("1.*.3", "1.2.3")).isTrue();
        assertThat(m("1.*.3", "1.2.4")).isFalse();
        assertThat(m("*.0", "7.0")).isTrue();
        assertThat(m("^1\\.(2|3)\\.[0-9]+$", "1.3.10")).isTrue();
        assertThat(m("^1\\.(2|3)\\.[0-9]+$", "1.4.1")).isFalse();
        assertThat(m("^1\\.(2|3)\\.[0-9]+$|>=5", "6")).isTrue();
        assertThat(m("*", "0.0.1dev")).isTrue();
    }

    @Test
    void ignoresSpacesInsideExpressions() {
        assertThat(m(">= 1.0 , < 2.0", "1.5")).isTrue();
        assertThat(VersionSpec.parse(" >= 1.0 , < 2.0 ").toString()).isEqualTo(">=1.0,<2.0");
    }

    @ParameterizedTest
    @ValueSource(strings = {">=1.21,<2", "1.5|>=1.7,<1.8|2.*", "(1.5|1.6),<1.6", ">=5.3.0,!=8.3.*", "~=0.5.3",
            "1.*.3", "*", "^1\\.2$", "1.8.*", "==1.8", "!=1.0", ">1|<0.5,(>0.1|<0.05)"})
    void normalizedTextParsesBackToTheSameSpec(String text) {
        VersionSpec spec = VersionSpec.parse(text);
        assertThat(VersionSpec.parse(spec.toString())).isEqualTo(spec);
        assertThat(VersionSpec.parse(spec.toString()).toString()).isEqualTo(spec.toString());
    }

    @Test
    void normalizesToCanonicalForms() {
        assertThat(VersionSpec.parse("1.8*").toString()).isEqualTo("1.8.*");
        assertThat(VersionSpec.parse("=1.8").toString()).isEqualTo("1.8.*");
        assertThat(VersionSpec.parse("1.8").toString()).isEqualTo("==1.8");
        assertThat(VersionSpec.parse("(1.5|1.6),<1.6").toString()).isEqualTo("(1.5|1.6),<1.6".replace("1.5", "==1.5").replace("|1.6", "|==1.6"));
        assertThat(VersionSpec.parse("((1.5|1.6))|1.7").toString()).isEqualTo("==1.5|==1.6|==1.7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", ">=", "<=>1.0", ">>1", "=<1", "1.0,", ",1.0", "|1.0", "(1.0", "1.0)", "()",
            ">=1.0.*.1", "~=1", "~=1.*", "1..0", "foo bar!", "^1.0", "1.0$", "^(?=1)1$", "^(a)\\1$", "1.0@", ">=1;<2"})
    void rejectsGarbage(String text) {
        assertThatThrownBy(() -> VersionSpec.parse(text)).isInstanceOf(InvalidSpecException.class)
                .hasMessageStartingWith("Invalid spec");
    }

    @Test
    void boundsNestingAndLength() {
        assertThatThrownBy(() -> VersionSpec.parse("(".repeat(100) + "1" + ")".repeat(100)))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("nested");
        assertThatThrownBy(() -> VersionSpec.parse("1|".repeat(3000) + "1"))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("longer than");
    }

    @Test
    void catastrophicRegexGivesUpInsteadOfHanging() {
        VersionSpec evil = VersionSpec.parse("^(a|a)*(a|a)*(a|a)*b$");
        assertThat(evil.matches(Version.parse("a".repeat(60)))).isFalse();
    }
}
