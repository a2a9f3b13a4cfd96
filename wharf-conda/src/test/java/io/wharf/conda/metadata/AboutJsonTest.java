package io.wharf.conda.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AboutJsonTest {
  private static AboutJson parse(String json) throws InvalidMetadataException {
    return AboutJson.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsDescriptiveFields() throws Exception {
    AboutJson about = parse("{\"summary\": \"Compression\", \"description\": \"Long text\","
        + " \"home\": \"https://zlib.net\", \"dev_url\": \"https://github.com/madler/zlib\","
        + " \"doc_url\": \"https://zlib.net/manual.html\", \"license\": \"Zlib\","
        + " \"license_family\": \"Other\", \"keywords\": [\"compression\", \"deflate\"],"
        + " \"tags\": [\"c\"], \"identifiers\": [\"doi:10/x\"], \"extra\": {\"maintainers\": [\"m\"]}}");

    assertThat(about.summary()).contains("Compression");
    assertThat(about.description()).contains("Long text");
    assertThat(about.home()).contains("https://zlib.net");
    assertThat(about.devUrl()).contains("https://github.com/madler/zlib");
    assertThat(about.docUrl()).contains("https://zlib.net/manual.html");
    assertThat(about.license()).contains("Zlib");
    assertThat(about.licenseFamily()).contains("Other");
    assertThat(about.keywords()).containsExactly("compression", "deflate");
    assertThat(about.tags()).containsExactly("c");
    assertThat(about.identifiers()).containsExactly("doi:10/x");
    assertThat(about.raw().get("extra").get("maintainers").get(0).asText()).isEqualTo("m");
  }

  @Test
  void fieldsOfUnexpectedTypeReadAsAbsent() throws Exception {
    AboutJson about = parse("{\"summary\": [\"a\"], \"home\": null, \"keywords\": \"single\", \"tags\": 5}");

    assertThat(about.summary()).isEmpty();
    assertThat(about.home()).isEmpty();
    assertThat(about.keywords()).containsExactly("single");
    assertThat(about.tags()).isEmpty();
  }

  @Test
  void rejectsADocumentThatIsNotAnObject() {
    InvalidMetadataException e = catchThrowableOfType(InvalidMetadataException.class, () -> parse("[1, 2]"));

    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo("invalid_about_json");
  }
}
