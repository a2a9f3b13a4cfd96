package io.wharf.conda.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"numpy", "libgcc-ng", "_r-mutex", "_libgcc_mutex", "python_abi", "ca-certificates",
            "zope.interface", "r-base", "7za", "a", "x11-proto", "font-ttf-dejavu-sans-mono"})
    void acceptsRealPackageNames(String name) {
        assertThat(Names.requireName(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NumPy", "-numpy", ".numpy", "foo--bar", "foo-.bar", "foo_-bar", "__", "foo bar", "foo/bar",
            "foo+bar", "fóo", "foo\u0000"})
    void rejectsNamesThatBreakCep26(String name) {
        assertThatThrownBy(() -> Names.requireName(name))
                .isInstanceOfSatisfying(InvalidNameException.class, e -> {
                    assertThat(e.field()).isEqualTo("name");
                    assertThat(e.value()).isEqualTo(name);
                })
                .hasMessageStartingWith("Invalid package name");
    }

    @Test
    void refusesVirtualPackageNamesWithAnExplanation() {
        assertThat(Names.isVirtual("__glibc")).isTrue();
        assertThat(Names.isVirtual("_libgcc_mutex")).isFalse();
        assertThatThrownBy(() -> Names.requireName("__glibc"))
                .isInstanceOf(InvalidNameException.class)
                .hasMessageContaining("virtual package");
    }

    @Test
    void limitsNamesTo64Characters() {
        assertThat(Names.requireName("a".repeat(64))).hasSize(64);
        assertThatThrownBy(() -> Names.requireName("a".repeat(65)))
                .hasMessageContaining("65 characters long; at most 64");
    }

    @Test
    void rejectsEmptyAndNullWithTheFieldName() {
        assertThatThrownBy(() -> Names.requireName(""))
                .isInstanceOfSatisfying(InvalidNameException.class, e -> assertThat(e.field()).isEqualTo("name"))
                .hasMessage("The package name must not be empty.");
        assertThatThrownBy(() -> Names.requireBuild(null))
                .isInstanceOfSatisfying(InvalidNameException.class, e -> assertThat(e.field()).isEqualTo("build"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0", "2.7.18", "1.0.1_", "1!2.0", "1.0+cuda.11", "2023.10.01", "0.4.1rc1",
            "1.0.post1", "2147483647", "1.0_2"})
    void acceptsCep33Versions(String version) {
        assertThat(Names.requireVersion(version)).isEqualTo(version);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0RC1", "1.0-2", "1.0*", "1..0", ".1", "1.", "1._0", "1.0__", "_1.0", "a!1.0", "!1.0",
            "1!2!3", "1+2+3", "1.0+", "+1", "1.0+a_", "2147483648", "1.99999999999", "1 0"})
    void rejectsVersionsThatBreakCep26Or33(String version) {
        assertThatThrownBy(() -> Names.requireVersion(version))
                .isInstanceOfSatisfying(InvalidNameException.class, e -> assertThat(e.field()).isEqualTo("version"))
                .hasMessageStartingWith("Invalid package version '" + version + "'");
    }

    @Test
    void limitsVersionsTo64Characters() {
        assertThat(Names.requireVersion("1." + "0".repeat(62))).hasSize(64);
        assertThatThrownBy(() -> Names.requireVersion("1." + "0".repeat(63))).hasMessageContaining("at most 64");
    }

    @Test
    void leadingZerosDoNotCountAgainstTheDigitLimit() {
        assertThat(Names.requireVersion("0002147483647")).isEqualTo("0002147483647");
    }

    @ParameterizedTest
    @ValueSource(strings = {"py39h1234567_0", "0", "h7b6447c_3", "cuda112py39hXYZ_1", "py_0", "1.2+abc"})
    void acceptsBuildStrings(String build) {
        assertThat(Names.requireBuild(build)).isEqualTo(build);
    }

    @ParameterizedTest
    @ValueSource(strings = {"py39-0", "py 39", "py39*", "a/b", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void rejectsBadBuildStrings(String build) {
        assertThatThrownBy(() -> Names.requireBuild(build))
                .isInstanceOfSatisfying(InvalidNameException.class, e -> assertThat(e.field()).isEqualTo("build"));
    }

    @Test
    void validatesSubdirs() {
        assertThat(Names.requireSubdir("noarch")).isEqualTo("noarch");
        assertThat(Names.requireSubdir("linux-64")).isEqualTo("linux-64");
        assertThat(Names.requireSubdir("emscripten-wasm32")).isEqualTo("emscripten-wasm32");
        assertThat(Names.requireSubdir("freebsd-64")).isEqualTo("freebsd-64");
        for (String bad : new String[] {"Linux-64", "linux_64", "linux", "linux-64-x", "../linux-64", "a".repeat(20) + "-" + "b".repeat(12)}) {
            assertThatThrownBy(() -> Names.requireSubdir(bad))
                    .isInstanceOfSatisfying(InvalidNameException.class, e -> assertThat(e.field()).isEqualTo("subdir"))
                    .hasMessageStartingWith("Invalid subdir");
        }
    }

    @Test
    void validatesLabels() {
        assertThat(Names.requireLabel("main")).isEqualTo("main");
        assertThat(Names.requireLabel("rc/gcc-13.x_y")).isEqualTo("rc/gcc-13.x_y");
        for (String bad : new String[] {"1abc", "_dev", "dev label", "dev:x", "a".repeat(129)}) {
            assertThatThrownBy(() -> Names.requireLabel(bad))
                    .isInstanceOfSatisfying(InvalidNameException.class, e -> assertThat(e.field()).isEqualTo("label"))
                    .hasMessageStartingWith("Invalid channel label");
        }
    }

    @Test
    void messagesDoNotCarryRawControlCharacters() {
        assertThatThrownBy(() -> Names.requireName("bad\nname"))
                .hasMessageNotContaining("\n")
                .hasMessageContaining("bad\\x0aname");
    }
}
