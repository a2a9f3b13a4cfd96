package io.wharf.conda.repodata;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LooseMatchSpecTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "python                         | 3.9.1  | h1_0      | python    | true",
    "python >=3.6,<3.7.0a0          | 3.6.12 | h1_0      | python    | true",
    "python >=3.6,<3.7.0a0          | 3.7.0  | h1_0      | python    | false",
    "python >= 3.6                  | 3.6    | h1_0      | python    | true",
    "python_abi 3.9.* *_cp39        | 3.9    | 2_cp39    | python_abi| true",
    "python_abi 3.9.* *_cp39        | 3.9    | 2_cp310   | python_abi| false",
    "numpy >=1.21,<2 py39*          | 1.26.4 | py39h1_0  | numpy     | true",
    "foo 1.8                        | 1.8.0  | 0         | foo       | true",
    "foo 1.8                        | 1.80   | 0         | foo       | false",
    "foo=1.8                        | 1.8.2a | 0         | foo       | true",
    "foo=1.8                        | 1.80   | 0         | foo       | false",
    "foo=1.0=py27_0                 | 1.0    | py27_0    | foo       | true",
    "foo=1.0=py27_0                 | 1.0    | py36_0    | foo       | false",
    "'foo 1.0|2.0'                  | 2.0    | 0         | foo       | true",
    "foo !=1.5.*                    | 1.5.3  | 0         | foo       | false",
    "conda-forge::Foo >1            | 2      | 0         | foo       | true",
    "foo[version='>=9']             | 1      | 0         | foo       | true",
  })
  void matchesVersionsAndBuildsLikeCondaForCommonSpecs(
      String spec, String version, String build, String name, boolean matches) {
    LooseMatchSpec ms = LooseMatchSpec.parse(spec);

    assertThat(ms.name()).isEqualTo(name);
    assertThat(ms.matches(version, build, SimpleVersionOrder.INSTANCE)).isEqualTo(matches);
  }
}
