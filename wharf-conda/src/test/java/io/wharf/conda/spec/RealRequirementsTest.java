package io.wharf.conda.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dependants of real packages in a real channel (index4.json: 5643 records of linux-64 and noarch).
 * The expected counts were worked out by hand from the distinct python and openssl specs in the file.
 */
class RealRequirementsTest {

    private static final Path FIXTURES = Path.of(System.getProperty("wharf.fixtures", "../fixtures"));
    private static final Map<String, JsonNode> INDEX4 = new LinkedHashMap<>();
    private static JsonNode pytorch;

    @BeforeAll
    static void load() throws IOException {
        ObjectMapper json = new ObjectMapper();
        json.readTree(FIXTURES.resolve("real/large/index4.json").toFile())
                .fields().forEachRemaining(e -> INDEX4.put(e.getKey(), e.getValue()));
        pytorch = json.readTree(FIXTURES.resolve("real/large/pytorch-linux-64/repodata.json").toFile());
    }

    /**
     * Filenames of records whose {@code kind} requirements on {@code name}, taken together, give
     * {@code answer} for that version.
     */
    private static Set<String> dependants(String kind, String name, String version, Admits answer) {
        Set<String> out = new TreeSet<>();
        INDEX4.forEach((filename, record) -> {
            List<String> specs = Requirements.requirements(record).stream()
                    .filter(r -> r.kind().equals(kind) && r.name().equals(name)).map(Requirement::spec).toList();
            if (!specs.isEmpty() && Requirements.admitsAll(specs, name, version, null) == answer) {
                out.add(filename);
            }
        });
        return out;
    }

    @Test
    void everyRecordIsReadAndEverySpecOfItParses() {
        assertThat(INDEX4).hasSize(5643);
        List<Requirement> unparsable = new ArrayList<>();
        INDEX4.values().forEach(record -> Requirements.requirements(record).stream()
                .filter(r -> !r.parsable()).forEach(unparsable::add));
        assertThat(unparsable).isEmpty();
    }

    @Test
    void python2AndPython3DependantsAreSeparatedByTheirVersionRanges() {
        // 783 'python >=2.7,<2.8.0a0' + 17 'python 2.7*' + 16 'python' + 1 'python >=2,<3'
        Set<String> for2715 = dependants("depends", "python", "2.7.15", Admits.YES);
        // 762 'python >=3.6,<3.7.0a0' + 16 'python' + 1 'python 3.6*' + 1 'python >=3,<4'
        Set<String> for365 = dependants("depends", "python", "3.6.5", Admits.YES);

        assertThat(for2715).hasSize(817)
                .contains("numpy-1.11.3-py27h1b885b7_8.tar.bz2", "conda-4.4.10-py27_0.tar.bz2",
                        "python-digest-1.1.1-py2_0.tar.bz2")
                .doesNotContain("numpy-1.11.3-py36h1b885b7_8.tar.bz2");
        assertThat(for365).hasSize(780)
                .contains("numpy-1.11.3-py36h1b885b7_8.tar.bz2")
                .doesNotContain("numpy-1.11.3-py27h1b885b7_8.tar.bz2", "python-digest-1.1.1-py2_0.tar.bz2");
        // Unpinned dependants admit both; they include noarch: python records, which are ordinary rows here.
        assertThat(for2715).contains("flask-0.11.1-py_0.tar.bz2");
        assertThat(for365).contains("flask-0.11.1-py_0.tar.bz2");
        assertThat(INDEX4.get("flask-0.11.1-py_0.tar.bz2").get("subdir").asText()).isEqualTo("noarch");
        Set<String> both = new TreeSet<>(for2715);
        both.retainAll(for365);
        assertThat(both).hasSize(16);
        assertThat(dependants("depends", "python", "3.6.5", Admits.UNKNOWN)).isEmpty();
    }

    @Test
    void opensslLetterReleasesOrderAsCondaAndEverySpecOfARecordMustAgree() {
        // 124 records depend on openssl. 1.0.2m < 1.0.2n, so 'openssl 1.0.*', '>=1.0.2m', '>=1.0.2l' and a
        // bare 'openssl' admit 1.0.2m, while '>=1.0.2n', '>=1.0.2o' and '>=1.0.2p' do not. 25 records
        // carry two openssl specs; those with '1.0.*' beside '>=1.0.2n' or later say no as a whole.
        assertThat(dependants("depends", "openssl", "1.0.2m", Admits.YES)).hasSize(71)
                .contains("python-3.6.3-h0ef2715_3.tar.bz2");
        assertThat(dependants("depends", "openssl", "1.0.2m", Admits.NO)).hasSize(53)
                .contains("qt-5.6.2-hd25b39d_14.tar.bz2", "qt-5.6.3-h39df351_0.tar.bz2");
        assertThat(Requirements.admits("openssl 1.0.*", "openssl", "1.0.2m", null)).isEqualTo(Admits.YES);
        // Every pinned dependant stops below 1.0.3a, so only the unpinned ones would take 1.1.0.
        assertThat(dependants("depends", "openssl", "1.1.0", Admits.YES)).hasSize(3);
    }

    @Test
    void aBuildPinAdmitsOnlyThatBuild() {
        Requirement numpyBase = Requirements.requirements(INDEX4.get("numpy-1.11.3-py27h1b885b7_8.tar.bz2")).stream()
                .filter(r -> r.name().equals("numpy-base")).findFirst().orElseThrow();

        assertThat(numpyBase.spec()).isEqualTo("numpy-base 1.11.3 py27hdbf6ddf_8");
        assertThat(Requirements.admits(numpyBase.spec(), "numpy-base", "1.11.3", "py27hdbf6ddf_8")).isEqualTo(Admits.YES);
        assertThat(Requirements.admits(numpyBase.spec(), "numpy-base", "1.11.3", "py27h2b20989_8")).isEqualTo(Admits.NO);
        assertThat(Requirements.admits(numpyBase.spec(), "numpy-base", "1.11.3", null)).isEqualTo(Admits.UNKNOWN);
        assertThat(Requirements.admits(numpyBase.spec(), "numpy-base", "1.11.2", null)).isEqualTo(Admits.NO);
    }

    @Test
    void constrainsAreKeptApartFromDependsAndNamesAreLowercased() {
        List<Requirement> twisted = Requirements.requirements(INDEX4.get("twisted-17.9.0-py27h7008fb7_0.tar.bz2"));
        Requirement cfNetwork = twisted.stream().filter(r -> r.spec().equals("pyobjc-framework-CFNetwork"))
                .findFirst().orElseThrow();

        assertThat(cfNetwork.kind()).isEqualTo("constrains");
        assertThat(cfNetwork.name()).isEqualTo("pyobjc-framework-cfnetwork");
        assertThat(Requirements.admits(cfNetwork.spec(), "pyobjc-framework-cfnetwork", "5.0", null)).isEqualTo(Admits.YES);
        // 63 records constrain 'conda-build >=2.1' and 4 'conda-build  >=3.12.0' (two spaces, as written).
        assertThat(dependants("constrains", "conda-build", "2.0.1", Admits.NO)).hasSize(67);
        assertThat(dependants("constrains", "conda-build", "3.0.0", Admits.YES)).hasSize(63);
        assertThat(dependants("depends", "conda-build", "3.0.0", Admits.YES)).doesNotContain("conda-4.4.10-py27_0.tar.bz2");
    }

    @Test
    void glibcRequirementsOfRealRecordsAreVirtual() {
        JsonNode faiss = pytorch.path("packages").path("faiss-cpu-1.7.4-py3.10_h8c27c75_0_cpu.tar.bz2");
        Requirement glibc = Requirements.requirements(faiss).get(0);

        assertThat(glibc.spec()).isEqualTo("__glibc >=2.17,<3.0.a0");
        assertThat(glibc.name()).isEqualTo("__glibc");
        assertThat(glibc.virtual()).isTrue();
        assertThat(Requirements.requirements(faiss).stream().filter(Requirement::virtual)).hasSize(1);
        assertThat(Requirements.admits(glibc.spec(), "__glibc", "2.28", null)).isEqualTo(Admits.YES);
        assertThat(Requirements.admits(glibc.spec(), "__glibc", "2.12", null)).isEqualTo(Admits.NO);
    }
}
