package io.wharf.conda.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PackageFilenameTest {

    @Test
    void splitsFromTheRightSoNamesMayContainDashes() {
        PackageFilename f = PackageFilename.parse("font-ttf-dejavu-sans-mono-2.37-hab24e00_0.tar.bz2");
        assertThat(f.name()).isEqualTo("font-ttf-dejavu-sans-mono");
        assertThat(f.version()).isEqualTo("2.37");
        assertThat(f.build()).isEqualTo("hab24e00_0");
        assertThat(f.format()).isEqualTo(PackageFormat.TAR_BZ2);
        assertThat(f.stem()).isEqualTo("font-ttf-dejavu-sans-mono-2.37-hab24e00_0");
        assertThat(f.filename()).isEqualTo("font-ttf-dejavu-sans-mono-2.37-hab24e00_0.tar.bz2");
    }

    @Test
    void parsesCondaFormat() {
        PackageFilename f = PackageFilename.parse("_libgcc_mutex-0.1-main.conda");
        assertThat(f).isEqualTo(new PackageFilename("_libgcc_mutex", "0.1", "main", PackageFormat.CONDA));
        assertThat(f.toString()).isEqualTo("_libgcc_mutex-0.1-main.conda");
        assertThat(f.format().repodataKey()).isEqualTo("packages.conda");
    }

    @Test
    void knowsBothFormats() {
        assertThat(PackageFormat.ofFilename("a-1-0.conda")).contains(PackageFormat.CONDA);
        assertThat(PackageFormat.ofFilename("a-1-0.tar.bz2")).contains(PackageFormat.TAR_BZ2);
        assertThat(PackageFormat.ofFilename("a-1-0.tar.gz")).isEmpty();
        assertThat(PackageFormat.ofFilename("a-1-0.CONDA")).isEmpty();
        assertThat(PackageFormat.ofFilename(".conda")).isEmpty();
        assertThat(PackageFormat.TAR_BZ2.extension()).isEqualTo(".tar.bz2");
        assertThat(PackageFormat.TAR_BZ2.repodataKey()).isEqualTo("packages");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil-1.0-0.conda", "dir/pkg-1.0-0.conda", "dir\\pkg-1.0-0.conda", "pkg-1.0..1-0.conda",
            "pkg-1.0-0\u0000.conda", "pkg-1.0-0\n.conda", "pkg-1.0-0.zip", "pkg-1.0-0", "pkg-1.0.conda", "pkg.conda",
            "-1.0-0.conda", ""})
    void refusesUnsafeOrMalformedFilenames(String filename) {
        assertThatThrownBy(() -> PackageFilename.parse(filename))
                .isInstanceOfSatisfying(InvalidNameException.class, e -> assertThat(e.field()).isEqualTo("filename"));
    }

    @Test
    void reportsWhichPartIsInvalid() {
        assertThatThrownBy(() -> PackageFilename.parse("NumPy-1.0-py39_0.conda"))
                .isInstanceOfSatisfying(InvalidNameException.class, e -> assertThat(e.field()).isEqualTo("name"));
        assertThatThrownBy(() -> PackageFilename.parse("numpy-1.0RC-py39_0.conda"))
                .isInstanceOfSatisfying(InvalidNameException.class, e -> assertThat(e.field()).isEqualTo("version"));
        assertThatThrownBy(() -> PackageFilename.parse("numpy-1.0-py39+h!_0.conda"))
                .isInstanceOfSatisfying(InvalidNameException.class, e -> assertThat(e.field()).isEqualTo("build"));
        assertThatThrownBy(() -> PackageFilename.parse("__glibc-2.17-0.conda"))
                .isInstanceOfSatisfying(InvalidNameException.class, e -> assertThat(e.field()).isEqualTo("name"))
                .hasMessageContaining("virtual");
    }

    @Test
    void limitsTheWholeFilenameTo211Characters() {
        String name = "a".repeat(64);
        String version = "1." + "0".repeat(62);
        String build = "b".repeat(64);
        // 64 + 1 + 64 + 1 + 64 + 6 = 200 characters: allowed.
        assertThat(PackageFilename.parse(name + "-" + version + "-" + build + ".conda").filename()).hasSize(200);
        assertThatThrownBy(() -> PackageFilename.parse("a".repeat(200) + "-1.0-0.tar.bz2"))
                .isInstanceOfSatisfying(InvalidNameException.class, e -> assertThat(e.field()).isEqualTo("filename"))
                .hasMessageContaining("at most 211");
    }

    @Test
    void constructorValidatesToo() {
        assertThatThrownBy(() -> new PackageFilename("ok", "1.0", "bad-build", PackageFormat.CONDA))
                .isInstanceOfSatisfying(InvalidNameException.class, e -> assertThat(e.field()).isEqualTo("build"));
    }

    @Test
    void knowsTheCommonSubdirs() {
        assertThat(Subdirs.isKnown("linux-64")).isTrue();
        assertThat(Subdirs.isKnown("noarch")).isTrue();
        assertThat(Subdirs.isKnown("zos-z")).isTrue();
        assertThat(Subdirs.isKnown("freebsd-64")).isFalse();
        assertThat(Subdirs.isKnown(null)).isFalse();
        assertThat(Subdirs.KNOWN).hasSize(17).allSatisfy(Names::requireSubdir);
    }
}
