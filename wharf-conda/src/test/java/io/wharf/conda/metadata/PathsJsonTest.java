package io.wharf.conda.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathsJsonTest {
  private static PathsJson parse(String... entries) throws InvalidMetadataException {
    String json = "{\"paths_version\": 1, \"paths\": [" + String.join(",", entries) + "]}";
    return PathsJson.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String entry(String path) {
    return "{\"_path\": \"" + path + "\", \"path_type\": \"hardlink\", \"sha256\": \"00\", \"size_in_bytes\": 1}";
  }

  private static String prefixed(String path, String mode) {
    return "{\"_path\": \"" + path + "\", \"path_type\": \"hardlink\", \"file_mode\": \"" + mode
        + "\", \"prefix_placeholder\": \"/opt/anaconda1anaconda2anaconda3\"}";
  }

  @Test
  void plainFilesSetNoFlags() throws Exception {
    PathsJson paths = parse(entry("lib/libz.so.1"), entry("include/zlib.h"));

    assertThat(paths.fileCount()).isEqualTo(2);
    assertThat(paths.flags().binaryPrefix()).isFalse();
    assertThat(paths.flags().textPrefix()).isFalse();
    assertThat(paths.flags().activateD()).isFalse();
    assertThat(paths.flags().deactivateD()).isFalse();
    assertThat(paths.flags().preLink()).isFalse();
    assertThat(paths.flags().postLink()).isFalse();
    assertThat(paths.flags().preUnlink()).isFalse();
  }

  @Test
  void prefixPlaceholdersSetTheFlagOfTheirFileMode() throws Exception {
    assertThat(parse(prefixed("bin/tool", "binary")).flags().binaryPrefix()).isTrue();
    assertThat(parse(prefixed("bin/tool", "binary")).flags().textPrefix()).isFalse();
    assertThat(parse(prefixed("lib/pkgconfig/z.pc", "text")).flags().textPrefix()).isTrue();
  }

  @Test
  void fileModeWithoutPlaceholderIsNoPrefix() throws Exception {
    PathsJson paths = parse("{\"_path\": \"bin/tool\", \"file_mode\": \"binary\"}");

    assertThat(paths.flags().binaryPrefix()).isFalse();
  }

  @Test
  void activationScriptsSetTheirFlags() throws Exception {
    PathsJson paths = parse(entry("etc/conda/activate.d/demo.sh"), entry("etc/conda/deactivate.d/demo.sh"));

    assertThat(paths.flags().activateD()).isTrue();
    assertThat(paths.flags().deactivateD()).isTrue();
  }

  @Test
  void linkScriptsAreHiddenFilesNamedAfterThePackage() throws Exception {
    PathsJson paths = parse(
        entry("bin/.demo-pre-link.sh"), entry("Scripts/.demo-post-link.bat"), entry("bin/.demo-pre-unlink.sh"));

    assertThat(paths.flags().preLink()).isTrue();
    assertThat(paths.flags().postLink()).isTrue();
    assertThat(paths.flags().preUnlink()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"bin/demo-post-link.sh", ".demo-post-link.sh", "bin/.demo-post-link", "share/post-link.txt"})
  void namesThatOnlyResembleLinkScriptsDoNotCount(String path) throws Exception {
    assertThat(parse(entry(path)).flags().postLink()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "{\"paths\": {}}", "{\"paths\": [{\"path\": \"x\"}]}", "{\"paths\": [5]}", "[]"})
  void rejectsMalformedPathsJson(String json) {
    InvalidMetadataException e = catchThrowableOfType(
        InvalidMetadataException.class, () -> PathsJson.parse(json.getBytes(StandardCharsets.UTF_8)));

    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo("invalid_paths_json");
  }
}
