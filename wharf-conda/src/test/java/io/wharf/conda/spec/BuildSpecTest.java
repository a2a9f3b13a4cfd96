package io.wharf.conda.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BuildSpecTest {

    @Test
    void globMatchesPrefixSuffixAndMiddle() {
        assertThat(BuildSpec.parse("py39*").matches("py39h1234567_0")).isTrue();
        assertThat(BuildSpec.parse("py39*").matches("py310h1234567_0")).isFalse();
        assertThat(BuildSpec.parse("*_cp39").matches("2_cp39")).isTrue();
        assertThat(BuildSpec.parse("*_cp39").matches("2_cp39t")).isFalse();
        assertThat(BuildSpec.parse("*cuda*").matches("py3.9_cuda11.6_cudnn8.3.2_0")).isTrue();
        assertThat(BuildSpec.parse("*cuda*").matches("py3.9_cpu_0")).isFalse();
        assertThat(BuildSpec.parse("*").matches("anything")).isTrue();
        assertThat(BuildSpec.parse("py*_0").matches("py39h1_0")).isTrue();
        assertThat(BuildSpec.parse("py*_0").matches("py39_10")).isFalse();
    }

    @Test
    void exactMatchWithoutGlob() {
        BuildSpec spec = BuildSpec.parse("py27_0");
        assertThat(spec.isExact()).isTrue();
        assertThat(spec.matches("py27_0")).isTrue();
        assertThat(spec.matches("py27_01")).isFalse();
        assertThat(spec.matches("PY27_0")).isFalse();
        assertThat(spec.matches(null)).isFalse();
        assertThat(BuildSpec.parse("py*").isExact()).isFalse();
    }

    @Test
    void dotsArePlainCharactersInGlobs() {
        assertThat(BuildSpec.parse("py3.9*").matches("py3x9_0")).isFalse();
        assertThat(BuildSpec.parse("py3.9*").matches("py3.9_0")).isTrue();
    }

    @Test
    void regexForm() {
        BuildSpec spec = BuildSpec.parse("^py3[89].*_0$");
        assertThat(spec.matches("py38h1_0")).isTrue();
        assertThat(spec.matches("py37h1_0")).isFalse();
    }

    @Test
    void rejectsGarbage() {
        for (String bad : new String[] {"", " ", "py 39", "a,b", "a|b", "<1", "^open", "x$", "^(?<=a)b$"}) {
            assertThatThrownBy(() -> BuildSpec.parse(bad)).as(bad).isInstanceOf(InvalidSpecException.class);
        }
    }

    @Test
    void globIsLinearEnoughOnHostileInput() {
        BuildSpec spec = BuildSpec.parse("*a*a*a*a*a*a*a*a*b");
        assertThat(spec.matches("a".repeat(200))).isFalse();
    }
}
