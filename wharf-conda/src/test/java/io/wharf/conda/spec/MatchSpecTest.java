package io.wharf.conda.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MatchSpecTest {

    private static String version(MatchSpec spec) {
        return spec.version().map(Object::toString).orElse(null);
    }

    private static String build(MatchSpec spec) {
        return spec.build().map(Object::toString).orElse(null);
    }

    @Test
    void bareName() {
        MatchSpec spec = MatchSpec.parse("python");
        assertThat(spec.name()).isEqualTo("python");
        assertThat(spec.version()).isEmpty();
        assertThat(spec.build()).isEmpty();
        assertThat(spec.channel()).isEmpty();
        assertThat(spec.matches("python", "3.12.1", "h1_0")).isTrue();
        assertThat(spec.matches("python-dateutil", "2.8", "0")).isFalse();
    }

    @Test
    void nameWithRange() {
        MatchSpec spec = MatchSpec.parse("python >=3.6,<3.7.0a0");
        assertThat(spec.name()).isEqualTo("python");
        assertThat(version(spec)).isEqualTo(">=3.6,<3.7.0a0");
        assertThat(spec.build()).isEmpty();
        assertThat(spec.matches("python", "3.6.15", "x")).isTrue();
        assertThat(spec.matches("python", "3.7.0a0", "x")).isFalse();
        assertThat(spec.matches("python", "3.5", "x")).isFalse();
    }

    @Test
    void versionAndBuildGlobs() {
        MatchSpec spec = MatchSpec.parse("python_abi 3.9.* *_cp39");
        assertThat(version(spec)).isEqualTo("3.9.*");
        assertThat(build(spec)).isEqualTo("*_cp39");
        assertThat(spec.matches("python_abi", "3.9", "2_cp39")).isTrue();
        assertThat(spec.matches("python_abi", "3.9", "2_cp39t")).isFalse();
        assertThat(spec.matches("python_abi", "3.10", "2_cp39")).isFalse();

        MatchSpec numpy = MatchSpec.parse("numpy >=1.21,<2 py39*");
        assertThat(version(numpy)).isEqualTo(">=1.21,<2");
        assertThat(build(numpy)).isEqualTo("py39*");
        assertThat(numpy.matches("numpy", "1.26.4", "py39h1_0")).isTrue();
        assertThat(numpy.matches("numpy", "1.26.4", "py310h1_0")).isFalse();
        assertThat(numpy.matches("numpy", "2.0.0", "py39h1_0")).isFalse();
    }

    @Test
    void dashedNameWithLowerBound() {
        MatchSpec spec = MatchSpec.parse("libgcc-ng >=7.5.0");
        assertThat(spec.name()).isEqualTo("libgcc-ng");
        assertThat(spec.matches("libgcc-ng", "7.5.0", "h1_0")).isTrue();
        assertThat(spec.matches("libgcc-ng", "7.3.0", "h1_0")).isFalse();
    }

    @Test
    void virtualPackages() {
        MatchSpec spec = MatchSpec.parse("__glibc >=2.17");
        assertThat(spec.isVirtual()).isTrue();
        assertThat(spec.name()).isEqualTo("__glibc");
        assertThat(MatchSpec.parse("_libgcc_mutex 0.1 main").isVirtual()).isFalse();
    }

    @Test
    void spaceSeparatedVersionIsExact() {
        MatchSpec spec = MatchSpec.parse("foo 1.0 py27_0");
        assertThat(version(spec)).isEqualTo("==1.0");
        assertThat(build(spec)).isEqualTo("py27_0");
        assertThat(spec.matches("foo", "1.0.0", "py27_0")).isTrue();
        assertThat(spec.matches("foo", "1.0.1", "py27_0")).isFalse();
        assertThat(spec.matches("foo", "1.0", "py27_1")).isFalse();
        assertThat(MatchSpec.parse("numpy 1.8").matches("numpy", "1.8.1", "0")).isFalse();
    }

    @Test
    void equalsSeparatedTripleIsExact() {
        MatchSpec spec = MatchSpec.parse("foo=1.0=py27_0");
        assertThat(spec.name()).isEqualTo("foo");
        assertThat(version(spec)).isEqualTo("==1.0");
        assertThat(build(spec)).isEqualTo("py27_0");
        assertThat(spec.matches("foo", "1.0", "py27_0")).isTrue();
        assertThat(spec.matches("foo", "1.0.1", "py27_0")).isFalse();
        assertThat(MatchSpec.parse("foo==1.0=py27_0").toString()).isEqualTo(spec.toString());
    }

    @Test
    void singleEqualsIsFuzzy() {
        MatchSpec spec = MatchSpec.parse("numpy=1.8");
        assertThat(version(spec)).isEqualTo("1.8.*");
        assertThat(spec.build()).isEmpty();
        assertThat(spec.matches("numpy", "1.8.2", "0")).isTrue();
        assertThat(spec.matches("numpy", "1.80", "0")).isFalse();
        // CEP 29: with spaces, "=1.8" keeps its fuzzy meaning even when a build follows.
        MatchSpec spaced = MatchSpec.parse("numpy =1.8 py39_0");
        assertThat(version(spaced)).isEqualTo("1.8.*");
        assertThat(build(spaced)).isEqualTo("py39_0");
    }

    @Test
    void cep29EquivalenceClasses() {
        String[] fuzzy = {"pkg=1.8", "pkg =1.8", "pkg 1.8.*", "pkg 1.8.* *", "pkg=1.8.*", "pkg=1.8.*=*",
                "pkg =1.8.* *", "pkg ==1.8.* *", "pkg[version=1.8.*]", "pkg[version=\"1.8.*\"]"};
        String[] exact = {"pkg 1.8", "pkg 1.8 *", "pkg==1.8", "pkg=1.8=*", "pkg==1.8=*", "pkg ==1.8 *",
                "pkg[version=1.8]", "pkg[version=\"1.8\"]"};
        for (String text : fuzzy) {
            MatchSpec spec = MatchSpec.parse(text);
            assertThat(spec.matches("pkg", "1.8.3", "b")).as(text).isTrue();
            assertThat(spec.matches("pkg", "1.80", "b")).as(text).isFalse();
        }
        for (String text : exact) {
            MatchSpec spec = MatchSpec.parse(text);
            assertThat(spec.matches("pkg", "1.8.0", "b")).as(text).isTrue();
            assertThat(spec.matches("pkg", "1.8.3", "b")).as(text).isFalse();
        }
    }

    @Test
    void channelAndSubdirPrefix() {
        MatchSpec spec = MatchSpec.parse("conda-forge::numpy >=1.21");
        assertThat(spec.channel()).contains("conda-forge");
        assertThat(spec.subdir()).isEmpty();
        assertThat(spec.name()).isEqualTo("numpy");
        assertThat(version(spec)).isEqualTo(">=1.21");

        MatchSpec withSubdir = MatchSpec.parse("conda-forge/linux-64::foo>=1.0");
        assertThat(withSubdir.channel()).contains("conda-forge");
        assertThat(withSubdir.subdir()).contains("linux-64");
        assertThat(withSubdir.toString()).isEqualTo("conda-forge/linux-64::foo >=1.0");

        MatchSpec url = MatchSpec.parse("https://host.example/ch/label/dev::foo 1.0");
        assertThat(url.channel()).contains("https://host.example/ch/label/dev");
        assertThat(url.subdir()).isEmpty();
        assertThat(MatchSpec.parse("*::foo").channel()).isEmpty();
    }

    @Test
    void bracketForm() {
        MatchSpec spec = MatchSpec.parse("numpy[version='>=1.21,<2',build=py39*]");
        assertThat(spec.name()).isEqualTo("numpy");
        assertThat(version(spec)).isEqualTo(">=1.21,<2");
        assertThat(build(spec)).isEqualTo("py39*");
        assertThat(spec.matches("numpy", "1.22", "py39_0")).isTrue();
        assertThat(spec.matches("numpy", "2.0", "py39_0")).isFalse();

        MatchSpec spaced = MatchSpec.parse("pkg[version=\">=1\", build=\"py*\" , md5=abc123]");
        assertThat(version(spaced)).isEqualTo(">=1");
        assertThat(build(spaced)).isEqualTo("py*");
        assertThat(spaced.keywords()).containsEntry("md5", "abc123").hasSize(1);
    }

    @Test
    void bracketsOverridePositionalFieldsButNeverTheName() {
        MatchSpec spec = MatchSpec.parse("conda-forge::tensorflow 1.0 py27_0[name=pytorch, version='>=2', channel=other/osx-64]");
        assertThat(spec.name()).isEqualTo("tensorflow");
        assertThat(version(spec)).isEqualTo(">=2");
        assertThat(build(spec)).isEqualTo("py27_0");
        assertThat(spec.channel()).contains("other");
        assertThat(spec.subdir()).contains("osx-64");
        assertThat(spec.keywords()).isEmpty();
    }

    @Test
    void orAndPrecedenceInsideAMatchSpec() {
        MatchSpec spec = MatchSpec.parse("foo >=1,<2|>=3");
        assertThat(spec.matches("foo", "1.5", "0")).isTrue();
        assertThat(spec.matches("foo", "2.5", "0")).isFalse();
        assertThat(spec.matches("foo", "3.0", "0")).isTrue();
        MatchSpec parens = MatchSpec.parse("foo (>=1,<2)|(>=3,<4) py*");
        assertThat(build(parens)).isEqualTo("py*");
        assertThat(parens.matches("foo", "3.5", "py39")).isTrue();
        assertThat(parens.matches("foo", "4.0", "py39")).isFalse();
    }

    @Test
    void spacesAroundOperatorsAreIgnored() {
        MatchSpec spec = MatchSpec.parse("foo >=1.0 , < 2.0 py34_0");
        assertThat(version(spec)).isEqualTo(">=1.0,<2.0");
        assertThat(build(spec)).isEqualTo("py34_0");
        assertThat(build(MatchSpec.parse("foo >=1.0 , < 2.0 =py34_0"))).isEqualTo("py34_0");
    }

    @Test
    void anyVersionWithBuild() {
        MatchSpec spec = MatchSpec.parse("blas * mkl");
        assertThat(version(spec)).isEqualTo("*");
        assertThat(spec.matches("blas", "1.0", "mkl")).isTrue();
        assertThat(spec.matches("blas", "1.0", "openblas")).isFalse();
    }

    @Test
    void namesAreCaseInsensitive() {
        MatchSpec spec = MatchSpec.parse("PyYAML >=5");
        assertThat(spec.name()).isEqualTo("pyyaml");
        assertThat(spec.matches("pyyaml", "6.0", "0")).isTrue();
        assertThat(spec.matches("PyYAML", "6.0", "0")).isTrue();
    }

    @Test
    void aRecordWithAnUnparseableVersionDoesNotMatchAVersionedSpec() {
        assertThat(MatchSpec.parse("foo >=1").matches("foo", "not a version", "0")).isFalse();
        assertThat(MatchSpec.parse("foo").matches("foo", "not a version", "0")).isTrue();
    }

    @Test
    void keepsTheOriginalAndNormalizes() {
        MatchSpec spec = MatchSpec.parse("  numpy   >=1.21 , <2   py39*  ");
        assertThat(spec.original()).isEqualTo("  numpy   >=1.21 , <2   py39*  ");
        assertThat(spec.toString()).isEqualTo("numpy >=1.21,<2 py39*");
        assertThat(MatchSpec.parse(spec.toString())).isEqualTo(spec);
        assertThat(MatchSpec.parse("foo[build_number=3]").toString()).isEqualTo("foo[build_number='3']");
        assertThat(MatchSpec.parse("foo[build='^py3.*$ ']").toString()).isEqualTo("foo * ^py3.*$");
    }

    @Test
    void stripsComments() {
        assertThat(MatchSpec.parse("foo >=1  # pinned").toString()).isEqualTo("foo >=1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", ">=1.0", "foo >=", "foo >=1.0,", "foo[version=1", "foo[version]",
            "foo[version=]", "foo[version=1,version=2]", "foo[a=1]x", "foo(bar)", "fo/o", "foo 1.0 py|", "foo\u0001",
            "foo[version='1.0]", "foo ^1\\.2", "# just a comment"})
    void rejectsGarbage(String text) {
        assertThatThrownBy(() -> MatchSpec.parse(text)).isInstanceOf(InvalidSpecException.class)
                .hasMessageStartingWith("Invalid spec");
    }

    @Test
    void errorMessagesNameTheSpecAndTheRule() {
        assertThatThrownBy(() -> MatchSpec.parse("numpy >=1.0,<2..0"))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.spec()).isEqualTo("numpy >=1.0,<2..0"))
                .hasMessage("Invalid spec 'numpy >=1.0,<2..0': bad version '>=1.0,<2..0': bad version '2..0' (empty version component).");
    }

    @Test
    void nameOfFollowsRattlersScan() {
        assertThat(MatchSpec.nameOf("python >=3.6")).isEqualTo("python");
        assertThat(MatchSpec.nameOf("numpy>=1.21")).isEqualTo("numpy");
        assertThat(MatchSpec.nameOf("foo=1.0=py27_0")).isEqualTo("foo");
        assertThat(MatchSpec.nameOf("conda-forge::PyYAML")).isEqualTo("pyyaml");
        assertThat(MatchSpec.nameOf("conda-forge/linux-64::foo~=1.0")).isEqualTo("foo");
        assertThat(MatchSpec.nameOf("pkg[version='>=1']")).isEqualTo("pkg");
        assertThat(MatchSpec.nameOf("pkg[url='https://x::y']")).isEqualTo("pkg");
        assertThat(MatchSpec.nameOf("  __glibc!=2.17")).isEqualTo("__glibc");
        assertThat(MatchSpec.nameOf("foo;bar")).isEqualTo("foo");
        assertThat(MatchSpec.nameOf("foo<2")).isEqualTo("foo");
    }
}
