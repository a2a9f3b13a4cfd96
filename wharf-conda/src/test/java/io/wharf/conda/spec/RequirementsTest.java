package io.wharf.conda.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequirementsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode record(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void listsDependsThenConstrainsEachInRecordOrder() throws Exception {
        JsonNode record = record("{\"constrains\": [\"cytoolz >=0.8.1\"],"
                + " \"depends\": [\"python >=3.6,<3.7.0a0\", \"numpy-base 1.11.3 py36h2b20989_8\", \"mkl\"]}");

        List<Requirement> requirements = Requirements.requirements(record);

        assertThat(requirements).extracting(Requirement::kind, Requirement::spec).containsExactly(
                org.assertj.core.groups.Tuple.tuple("depends", "python >=3.6,<3.7.0a0"),
                org.assertj.core.groups.Tuple.tuple("depends", "numpy-base 1.11.3 py36h2b20989_8"),
                org.assertj.core.groups.Tuple.tuple("depends", "mkl"),
                org.assertj.core.groups.Tuple.tuple("constrains", "cytoolz >=0.8.1"));
        assertThat(requirements.get(0)).isEqualTo(new Requirement("depends", "python >=3.6,<3.7.0a0", "python",
                false, Optional.of(">=3.6,<3.7.0a0"), Optional.empty(), true));
        // A bare version after a space is exact (CEP 29); the normalized form says so.
        assertThat(requirements.get(1).versionSpec()).contains("==1.11.3");
        assertThat(requirements.get(1).buildSpec()).contains("py36h2b20989_8");
        assertThat(requirements.get(2).versionSpec()).isEmpty();
        assertThat(requirements.get(2).buildSpec()).isEmpty();
    }

    @Test
    void marksSystemRequirementsAsVirtual() throws Exception {
        List<Requirement> requirements = Requirements.requirements(
                record("{\"depends\": [\"__glibc >=2.17\", \"libgcc-ng >=11.2.0\"], \"constrains\": [\"__cuda >=11.8\"]}"));

        assertThat(requirements).extracting(Requirement::name, Requirement::virtual).containsExactly(
                org.assertj.core.groups.Tuple.tuple("__glibc", true),
                org.assertj.core.groups.Tuple.tuple("libgcc-ng", false),
                org.assertj.core.groups.Tuple.tuple("__cuda", true));
        assertThat(requirements.get(0).versionSpec()).contains(">=2.17");
    }

    @Test
    void keepsTheNameOfASpecThatDoesNotParse() throws Exception {
        List<Requirement> requirements = Requirements.requirements(record("{\"depends\": [\"Foo >=1.0[version=\"]}"));

        assertThat(requirements).containsExactly(new Requirement("depends", "Foo >=1.0[version=", "foo", false,
                Optional.empty(), Optional.empty(), false));
    }

    @Test
    void ignoresEntriesThatAreNotStringsAndFieldsThatAreNotArrays() throws Exception {
        assertThat(Requirements.requirements(record("{\"depends\": [\"zlib\", 7, null, {\"a\": 1}],"
                + " \"constrains\": \"openssl\"}"))).extracting(Requirement::spec).containsExactly("zlib");
        assertThat(Requirements.requirements(record("{\"name\": \"zlib\"}"))).isEmpty();
    }

    @Test
    void allSpecsOfARecordMustAdmitThePackage() {
        List<String> qt = List.of("openssl 1.0.*", "openssl >=1.0.2n,<1.0.3a");

        assertThat(Requirements.admitsAll(qt, "openssl", "1.0.2o", null)).isEqualTo(Admits.YES);
        assertThat(Requirements.admitsAll(qt, "openssl", "1.0.2m", null)).isEqualTo(Admits.NO);
        assertThat(Requirements.admitsAll(List.of("openssl 1.0.*", "openssl[md5=abc]"), "openssl", "1.0.2o", null))
                .isEqualTo(Admits.UNKNOWN);
        assertThat(Requirements.admitsAll(List.of("openssl 1.1.*", "openssl[md5=abc]"), "openssl", "1.0.2o", null))
                .isEqualTo(Admits.NO);
    }

    @ParameterizedTest(name = "{0} admits {1} {2} {3}: {4}")
    @CsvSource(nullValues = "null", value = {
        "'python >=2.7,<2.8.0a0', python, 2.7.15, null, YES",
        "'python >=2.7,<2.8.0a0', python, 3.6.5, null, NO",
        "'python >=2.7,<2.8.0a0', python, 2.8.0rc1, null, NO",
        "'python 2.7*', python, 2.7.15, null, YES",
        "'python 2.7*', python, 2.70, null, NO",
        "'python', python, 3.6.5, null, YES",
        "'python', numpy, 3.6.5, null, NO",
        "'Python >=3', PYTHON, 3.6.5, null, YES",
        "'openssl >=1.0.2n,<1.0.3a', openssl, 1.0.2m, null, NO",
        "'openssl >=1.0.2n,<1.0.3a', openssl, 1.0.2o, null, YES",
        "'openssl 1.0.*', openssl, 1.0.2, null, YES",
        "'openssl 1.0.*', openssl, 1.1.0, null, NO",
        "'numpy 1.11', numpy, 1.11.3, null, NO",
        "'numpy=1.11', numpy, 1.11.3, null, YES",
        "'numpy >=1.16,<2|>=2.1', numpy, 2.0.0, null, NO",
        "'numpy >=1.16,<2|>=2.1', numpy, 2.1.0, null, YES",
        "'python_abi 3.9.* *_cp39', python_abi, 3.9, 2_cp39, YES",
        "'python_abi 3.9.* *_cp39', python_abi, 3.9, 2_cp310, NO",
        "'python_abi 3.9.* *_cp39', python_abi, 3.9, null, UNKNOWN",
        "'python_abi 3.9.* *_cp39', python_abi, 3.10, null, NO",
        "'numpy[version=\">=1.2\",build_number=3]', numpy, 1.5, np_3, UNKNOWN",
        "'numpy[version=\">=1.2\",build_number=3]', numpy, 1.1, np_3, NO",
        "'numpy >=1.2', numpy, 1..2, null, UNKNOWN",
        "'numpy', numpy, 1..2, null, YES",
        "'numpy >=1.0[version=', numpy, 1.5, null, UNKNOWN",
        "'conda-forge::numpy >=1.2', numpy, 1.5, null, YES",
        "'__glibc >=2.17', __glibc, 2.28, null, YES",
        "'__glibc >=2.17', __glibc, 2.12, null, NO",
    })
    void admitsWithMatchSpecSemantics(String spec, String name, String version, String build, Admits expected) {
        assertThat(Requirements.admits(spec, name, version, build)).isEqualTo(expected);
    }
}
