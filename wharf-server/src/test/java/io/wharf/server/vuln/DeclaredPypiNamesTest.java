package io.wharf.server.vuln;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.conda.archive.PackageArchives;
import io.wharf.conda.archive.ReadLimits;
import io.wharf.conda.metadata.PathsJson;
import io.wharf.server.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which PyPI projects a package's own paths declare. */
class DeclaredPypiNamesTest {

  @Test
  void theEggInfoDirectoryOfARealPackageNamesItsProject() throws Exception {
    String file = "conda-index-pkg-a-1.0-py27h5e241af_0.tar.bz2";
    List<String> paths = PackageArchives.readInfo(Fixtures.realPackage(file), file, ReadLimits.defaults()).paths()
        .orElseThrow().entries().stream().map(PathsJson.Entry::path).toList();

    assertThat(paths).contains("lib/python2.7/site-packages/conda_index_pkg_a-1.0-py2.7.egg-info/PKG-INFO");
    assertThat(DeclaredPypiNames.of(paths)).containsExactly("conda-index-pkg-a");
  }

  @Test
  void distInfoAndEggInfoNamesAreNormalisedAsPep503Says() {
    assertThat(DeclaredPypiNames.of(List.of(
        "lib/python3.11/site-packages/PyYAML-6.0.1.dist-info/METADATA",
        "site-packages/typing_extensions-4.9.0.dist-info/RECORD",
        "lib/python3.8/site-packages/Zope.Interface-5.0-py3.8.egg-info",
        "lib/python3.8/site-packages/ruamel.yaml.egg-info/PKG-INFO")))
        .containsExactly("pyyaml", "typing-extensions", "zope-interface", "ruamel-yaml");
  }

  @Test
  void vendoredCopiesAndOtherPlacesDeclareNothing() {
    assertThat(DeclaredPypiNames.of(List.of(
        "lib/python3.11/site-packages/setuptools/_vendor/packaging-24.2.dist-info/METADATA",
        "share/doc/requests-2.31.0.dist-info/METADATA",
        "lib/python3.11/site-packages/requests/__init__.py",
        "lib/python3.11/site-packages/noversion.dist-info/METADATA",
        "lib/python3.11/site-packages/-bad-1.0.dist-info/METADATA",
        "lib/python3.11/site-packages"))).isEmpty();
  }

  @Test
  void aPackageDeclaringVeryManyProjectsIsCutAtTheBound() {
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      paths.add("lib/python3.11/site-packages/project" + i + "-1.0.dist-info/METADATA");
    }
    paths.add("lib/python3.11/site-packages/" + "x".repeat(DeclaredPypiNames.MAX_LENGTH + 1) + "-1.0.dist-info/RECORD");

    assertThat(DeclaredPypiNames.of(paths)).hasSize(DeclaredPypiNames.MAX_NAMES).startsWith("project0", "project1");
    assertThat(DeclaredPypiNames.of(paths.subList(1000, 1001))).as("over-long names are not names").isEmpty();
  }
}
