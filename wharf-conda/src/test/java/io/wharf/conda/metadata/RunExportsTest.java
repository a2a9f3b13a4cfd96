package io.wharf.conda.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunExportsTest {
  private static RunExports parse(String json) throws InvalidMetadataException {
    return RunExports.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void legacyListMeansWeakExports() throws Exception {
    RunExports exports = parse("[\"zlib >=1.2.11,<1.3.0a0\"]");

    assertThat(exports.weak()).containsExactly("zlib >=1.2.11,<1.3.0a0");
    assertThat(exports.strong()).isEmpty();
    assertThat(exports.toJson().toString()).isEqualTo("{\"weak\":[\"zlib >=1.2.11,<1.3.0a0\"]}");
  }

  @Test
  void readsAllFiveKindsAndWritesThemInAFixedOrder() throws Exception {
    RunExports exports = parse("{\"noarch\": [\"n\"], \"strong_constrains\": [\"sc\"],"
        + " \"weak_constrains\": [\"wc\"], \"strong\": [\"s\"], \"weak\": [\"w\"]}");

    assertThat(exports.weak()).containsExactly("w");
    assertThat(exports.strong()).containsExactly("s");
    assertThat(exports.weakConstrains()).containsExactly("wc");
    assertThat(exports.strongConstrains()).containsExactly("sc");
    assertThat(exports.noarch()).containsExactly("n");
    assertThat(exports.toJson().toString()).isEqualTo(
        "{\"weak\":[\"w\"],\"strong\":[\"s\"],\"weak_constrains\":[\"wc\"],"
            + "\"strong_constrains\":[\"sc\"],\"noarch\":[\"n\"]}");
  }

  @Test
  void dropsEmptyKindsWhenNormalizing() throws Exception {
    RunExports exports = parse("{\"weak\": [], \"strong\": [\"libfoo 1.*\"]}");

    assertThat(exports.toJson().toString()).isEqualTo("{\"strong\":[\"libfoo 1.*\"]}");
    assertThat(exports.isEmpty()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "[]", "{\"weak\": []}", "{\"weak\": null}"})
  void recognizesEmptyRunExports(String json) throws Exception {
    RunExports exports = parse(json);

    assertThat(exports.isEmpty()).isTrue();
    assertThat(exports.toJson().isEmpty()).isTrue();
  }

  @Test
  void ignoresKindsOutsideTheSpec() throws Exception {
    assertThat(parse("{\"weak\": [\"a\"], \"future_kind\": [\"b\"]}").toJson().toString())
        .isEqualTo("{\"weak\":[\"a\"]}");
  }

  @Test
  void listAndDictFormsOfTheSameExportsAreEqual() throws Exception {
    assertThat(parse("[\"a\"]")).isEqualTo(parse("{\"weak\": [\"a\"]}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"zlib\"", "5", "{\"weak\": \"zlib\"}", "{\"strong\": [1]}", "[{}]", "nope"})
  void rejectsMalformedRunExports(String json) {
    InvalidMetadataException e = catchThrowableOfType(InvalidMetadataException.class, () -> parse(json));

    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo("invalid_run_exports_json");
  }
}
