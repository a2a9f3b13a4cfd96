package io.wharf.conda.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.conda.pkg.PackageFilename;
import io.wharf.conda.version.Version;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every depends/constrains string and record of two real channels, run through the parsers. */
class RealRepodataSpecsTest {

    private static final Path FIXTURES = Path.of(System.getProperty("wharf.fixtures", "../fixtures"));
    private static final Map<String, JsonNode> RECORDS = new LinkedHashMap<>();

    @BeforeAll
    static void load() throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode pytorch = json.readTree(FIXTURES.resolve("real/large/pytorch-linux-64/repodata.json").toFile());
        pytorch.path("packages").fields().forEachRemaining(e -> RECORDS.put(e.getKey(), e.getValue()));
        pytorch.path("packages.conda").fields().forEachRemaining(e -> RECORDS.put(e.getKey(), e.getValue()));
        // index4.json is a bare {filename: record} map.
        json.readTree(FIXTURES.resolve("real/large/index4.json").toFile())
                .fields().forEachRemaining(e -> RECORDS.put(e.getKey(), e.getValue()));
    }

    private static List<String> specs(String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode record : RECORDS.values()) {
            record.path(field).forEach(s -> out.add(s.asText()));
        }
        return out;
    }

    @Test
    void parsesEveryDependsAndConstrainsString() {
        List<String> all = new ArrayList<>(specs("depends"));
        all.addAll(specs("constrains"));
        assertThat(RECORDS).hasSizeGreaterThan(7000);
        assertThat(all).hasSizeGreaterThan(20_000);
        List<String> problems = new ArrayList<>();
        for (String text : all) {
            MatchSpec spec = MatchSpec.parse(text);
            if (!spec.name().equals(MatchSpec.nameOf(text))) {
                problems.add("name differs: " + text);
            }
            if (!MatchSpec.parse(spec.toString()).equals(spec)) {
                problems.add("does not round-trip: " + text + " -> " + spec);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyRecordMatchesItsOwnExactSpecAndNoNeighbour() {
        List<String> problems = new ArrayList<>();
        for (JsonNode r : RECORDS.values()) {
            String name = r.get("name").asText();
            String version = r.get("version").asText();
            String build = r.get("build").asText();
            for (String matching : List.of(name + " " + version + " " + build, name + "=" + version + "=" + build,
                    name + "=" + version, name + " >=" + version + ",<=" + version)) {
                if (!MatchSpec.parse(matching).matches(name, version, build)) {
                    problems.add(matching + " should match");
                }
            }
            for (String other : List.of(name + " >" + version, name + " " + version + " " + build + "x",
                    name + "x " + version)) {
                if (MatchSpec.parse(other).matches(name, version, build)) {
                    problems.add(other + " should not match " + name + "-" + version + "-" + build);
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyFilenameAgreesWithItsRecord() {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : RECORDS.entrySet()) {
            PackageFilename f = PackageFilename.parse(e.getKey());
            JsonNode r = e.getValue();
            PackageFilename fromRecord = new PackageFilename(r.get("name").asText(), r.get("version").asText(),
                    r.get("build").asText(), f.format());
            if (!f.equals(fromRecord) || !f.filename().equals(e.getKey())) {
                problems.add(e.getKey());
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void pytorchDependenciesMatchTheExpectedRecords() {
        // A real pin from the pytorch channel: pytorch 1.12.0 built for CUDA 11.6 on Python 3.9.
        MatchSpec pin = MatchSpec.parse("pytorch 1.12.0 py3.9_cuda11.6_cudnn8.3.2_0");
        List<String> matched = RECORDS.entrySet().stream()
                .filter(e -> pin.matches(e.getValue().get("name").asText(), e.getValue().get("version").asText(),
                        e.getValue().get("build").asText()))
                .map(Map.Entry::getKey)
                .toList();
        assertThat(matched).containsExactly("pytorch-1.12.0-py3.9_cuda11.6_cudnn8.3.2_0.tar.bz2");

        MatchSpec range = MatchSpec.parse("pytorch >=1.11,<1.12 *cuda11.3*");
        List<Version> versions = RECORDS.values().stream()
                .filter(r -> range.matches(r.get("name").asText(), r.get("version").asText(), r.get("build").asText()))
                .map(r -> Version.parse(r.get("version").asText()))
                .toList();
        assertThat(versions).isNotEmpty().allSatisfy(v -> {
            assertThat(v).isGreaterThanOrEqualTo(Version.parse("1.11"));
            assertThat(v).isLessThan(Version.parse("1.12"));
        });
    }
}
