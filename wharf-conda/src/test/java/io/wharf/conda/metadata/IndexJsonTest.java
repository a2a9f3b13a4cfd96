package io.wharf.conda.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IndexJsonTest {
  private static final String BASE =
      "\"name\": \"demo\", \"version\": \"1.0\", \"build\": \"py_0\", \"build_number\": 0";

  private static IndexJson parse(String json) throws InvalidMetadataException {
    return IndexJson.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static InvalidMetadataException reject(String json) {
    InvalidMetadataException e =
        catchThrowableOfType(InvalidMetadataException.class, () -> parse(json));
    assertThat(e).as("expected rejection of %s", json).isNotNull();
    assertThat(e.code()).isEqualTo("invalid_index_json");
    return e;
  }

  @Test
  void readsEveryModelledField() throws Exception {
    IndexJson index = parse("{" + BASE + ", \"depends\": [\"python >=3.8\", \"numpy\"],"
        + " \"constrains\": [\"scipy <2\"], \"subdir\": \"linux-64\", \"license\": \"MIT\","
        + " \"license_family\": \"MIT\", \"timestamp\": 1700000000123, \"platform\": \"linux\","
        + " \"arch\": \"x86_64\", \"track_features\": \"feat\"}");

    assertThat(index.name()).isEqualTo("demo");
    assertThat(index.version()).isEqualTo("1.0");
    assertThat(index.build()).isEqualTo("py_0");
    assertThat(index.buildNumber()).isZero();
    assertThat(index.depends()).containsExactly("python >=3.8", "numpy");
    assertThat(index.constrains()).containsExactly("scipy <2");
    assertThat(index.subdir()).contains("linux-64");
    assertThat(index.license()).contains("MIT");
    assertThat(index.licenseFamily()).contains("MIT");
    assertThat(index.timestamp()).hasValue(1700000000123L);
    assertThat(index.platform()).contains("linux");
    assertThat(index.arch()).contains("x86_64");
    assertThat(index.noarch()).isEmpty();
  }

  @Test
  void keepsFieldsItDoesNotModelInTheRawTree() throws Exception {
    IndexJson index = parse("{" + BASE + ", \"track_features\": \"mkl\", \"python_site_packages_path\": \"lib/x\"}");

    assertThat(index.raw().get("track_features").asText()).isEqualTo("mkl");
    assertThat(index.raw().get("python_site_packages_path").asText()).isEqualTo("lib/x");
  }

  @Test
  void rawReturnsACopyThatCannotChangeTheParsedIndex() throws Exception {
    IndexJson index = parse("{" + BASE + "}");

    index.raw().put("name", "evil");

    assertThat(index.raw().get("name").asText()).isEqualTo("demo");
  }

  @Test
  void absentOptionalFieldsReadAsEmpty() throws Exception {
    IndexJson index = parse("{" + BASE + ", \"platform\": null, \"arch\": null}");

    assertThat(index.depends()).isEmpty();
    assertThat(index.constrains()).isEmpty();
    assertThat(index.timestamp()).isEmpty();
    assertThat(index.license()).isEmpty();
    assertThat(index.subdir()).isEmpty();
    assertThat(index.platform()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"true, generic", "'\"generic\"', generic", "'\"python\"', python", "'\"true\"', generic"})
  void normalizesNoarch(String value, String expected) throws Exception {
    assertThat(parse("{" + BASE + ", \"noarch\": " + value + "}").noarch()).contains(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"false", "null", "\"false\""})
  void readsFalsyNoarchAsNone(String value) throws Exception {
    assertThat(parse("{" + BASE + ", \"noarch\": " + value + "}").noarch()).isEmpty();
  }

  @Test
  void rejectsUnknownNoarchType() {
    assertThat(reject("{" + BASE + ", \"noarch\": \"rust\"}").getMessage()).contains("noarch");
  }

  @Test
  void convertsMillisecondTimestampsToSecondsButKeepsSeconds() {
    assertThat(IndexJson.toSeconds(1542814864621L)).isEqualTo(1542814864L);
    assertThat(IndexJson.toSeconds(1542814864L)).isEqualTo(1542814864L);
    assertThat(IndexJson.toSeconds(253402300799L)).isEqualTo(253402300799L);
    assertThat(IndexJson.toSeconds(253402300800L)).isEqualTo(253402300L);
  }

  @Test
  void keepsTimestampExactlyAsWritten() throws Exception {
    assertThat(parse("{" + BASE + ", \"timestamp\": 1508520039}").timestamp()).hasValue(1508520039L);
  }

  @ParameterizedTest
  @ValueSource(strings = {"name", "version", "build", "build_number"})
  void rejectsMissingRequiredField(String field) {
    String json = "{" + BASE.replace("\"" + field + "\":", "\"x_" + field + "\":") + "}";

    assertThat(reject(json).getMessage()).contains("\"" + field + "\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "{\"name\": 5, \"version\": \"1\", \"build\": \"0\", \"build_number\": 0}",
    "{\"name\": \"\", \"version\": \"1\", \"build\": \"0\", \"build_number\": 0}",
    "{\"name\": \"a\", \"version\": 1.0, \"build\": \"0\", \"build_number\": 0}",
    "{\"name\": \"a\", \"version\": \"1\", \"build\": \"0\", \"build_number\": \"0\"}",
    "{\"name\": \"a\", \"version\": \"1\", \"build\": \"0\", \"build_number\": 1.5}",
    "{\"name\": \"a\", \"version\": \"1\", \"build\": \"0\", \"build_number\": -1}",
    "{\"name\": \"a\", \"version\": \"1\", \"build\": \"0\", \"build_number\": 0, \"depends\": \"python\"}",
    "{\"name\": \"a\", \"version\": \"1\", \"build\": \"0\", \"build_number\": 0, \"depends\": [1]}",
    "{\"name\": \"a\", \"version\": \"1\", \"build\": \"0\", \"build_number\": 0, \"constrains\": {}}",
    "{\"name\": \"a\", \"version\": \"1\", \"build\": \"0\", \"build_number\": 0, \"subdir\": 64}",
    "{\"name\": \"a\", \"version\": \"1\", \"build\": \"0\", \"build_number\": 0, \"timestamp\": \"now\"}",
  })
  void rejectsFieldsOfTheWrongType(String json) {
    reject(json);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "[]", "\"demo\"", "{", "{} {}", "name: demo"})
  void rejectsDocumentsThatAreNotASingleObject(String json) {
    reject(json);
  }

  @Test
  void toleratesTrailingWhitespaceAndLegacyPrettyPrinting() throws Exception {
    assertThat(parse("{\n  \"name\": \"demo\", \n  \"version\": \"1.0\", \n  \"build\": \"0\", \n"
        + "  \"build_number\": 0\n}\n\n").name()).isEqualTo("demo");
  }
}
