package io.wharf.conda.repodata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RepodataBuilderTest {

  @Test
  void concatenatedRepodataParsesBackEqualToTheRealRepodata() throws Exception {
    ObjectNode real = Fixtures.json("conda-format-repo/linux-64/repodata.json");

    byte[] built = RepodataBuilder.build("linux-64", Fixtures.section(real, "packages"),
        Fixtures.section(real, "packages.conda"), List.of(), Optional.empty());

    assertThat(Fixtures.parse(built)).isEqualTo(real);
  }

  @Test
  void identicalInputGivesIdenticalBytes() throws Exception {
    ObjectNode real = Fixtures.json("conda-format-repo/linux-64/repodata.json");
    SortedMap<String, String> reversed = new TreeMap<>(java.util.Comparator.reverseOrder());
    reversed.putAll(Fixtures.section(real, "packages"));

    byte[] first = RepodataBuilder.build("linux-64", Fixtures.section(real, "packages"),
        Fixtures.section(real, "packages.conda"), List.of("b.tar.bz2", "a.tar.bz2"), Optional.empty());
    byte[] second = RepodataBuilder.build("linux-64", Fixtures.section(real, "packages"),
        Fixtures.section(real, "packages.conda"), List.of("a.tar.bz2", "b.tar.bz2"), Optional.empty());

    assertThat(first).isEqualTo(second);
  }

  @Test
  void emptySubdirIsMinimalValidRepodata() {
    byte[] built = RepodataBuilder.build("noarch", new TreeMap<>(), new TreeMap<>(), List.of(), Optional.empty());

    assertThat(new String(built, StandardCharsets.UTF_8)).isEqualTo(
        "{\"info\":{\"subdir\":\"noarch\"},\"packages\":{},\"packages.conda\":{},\"removed\":[],\"repodata_version\":1}");
  }

  @Test
  void baseUrlIsWrittenWithTrailingSlashAndMakesRepodataVersion2() throws Exception {
    ObjectNode real = Fixtures.json("base-url-channel/linux-64/repodata.json");

    byte[] built = RepodataBuilder.build("linux-64", Fixtures.section(real, "packages"),
        Fixtures.section(real, "packages.conda"), List.of(),
        Optional.of("https://repo.anaconda.com/pkgs/main/linux-64"));

    JsonNode parsed = Fixtures.parse(built);
    assertThat(parsed.at("/info/base_url").asText()).isEqualTo("https://repo.anaconda.com/pkgs/main/linux-64/");
    assertThat(parsed.get("repodata_version").asInt()).isEqualTo(2);
    assertThat(parsed.get("packages.conda")).isEqualTo(real.get("packages.conda"));
    assertThat(RepodataBuilder.build("linux-64", new TreeMap<>(), new TreeMap<>(), List.of(), Optional.of("../pkgs/")))
        .asString(StandardCharsets.UTF_8).contains("\"base_url\":\"../pkgs/\"");
  }

  @Test
  void removedIsSortedAndDeduplicated() throws Exception {
    byte[] built = RepodataBuilder.build("linux-64", new TreeMap<>(), new TreeMap<>(),
        List.of("z-1-0.tar.bz2", "a-1-0.conda", "z-1-0.tar.bz2"), Optional.empty());

    assertThat(Fixtures.parse(built).get("removed").toString()).isEqualTo("[\"a-1-0.conda\",\"z-1-0.tar.bz2\"]");
  }

  @Test
  void escapesFilenamesThatWouldBreakTheJson() throws Exception {
    String odd = "we\"ird\\name-1-0.tar.bz2";
    SortedMap<String, String> records = new TreeMap<>();
    records.put(odd, "{\"name\":\"weird\"}");

    byte[] built = RepodataBuilder.build("a\"b", records, new TreeMap<>(), List.of(odd), Optional.empty());

    JsonNode parsed = Fixtures.parse(built);
    assertThat(parsed.at("/info/subdir").asText()).isEqualTo("a\"b");
    assertThat(parsed.get("packages").get(odd).get("name").asText()).isEqualTo("weird");
    assertThat(parsed.get("removed").get(0).asText()).isEqualTo(odd);
  }

  @Test
  void refusesARecordThatIsNotAJsonObject() {
    SortedMap<String, String> records = new TreeMap<>();
    records.put("a-1-0.conda", "[1]");

    assertThatThrownBy(() -> RepodataBuilder.build("noarch", new TreeMap<>(), records, List.of(), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a-1-0.conda");
  }

  @Test
  void streamingWriteProducesTheSameBytesAsBuild() throws Exception {
    ObjectNode real = Fixtures.json("conda-format-repo/linux-64/repodata.json");
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    RepodataBuilder.write(out, "linux-64", Fixtures.section(real, "packages"),
        Fixtures.section(real, "packages.conda"), List.of(), Optional.of("x"));

    assertThat(out.toByteArray()).isEqualTo(RepodataBuilder.build("linux-64", Fixtures.section(real, "packages"),
        Fixtures.section(real, "packages.conda"), List.of(), Optional.of("x")));
  }

  @Test
  void buildsThePytorchChannelAndItsZstdCopyRoundTrips() throws Exception {
    ObjectNode pytorch = Fixtures.json("large/pytorch-linux-64/repodata.json");
    SortedMap<String, String> packages = Fixtures.section(pytorch, "packages");
    assertThat(packages).hasSize(2181);

    byte[] built = RepodataBuilder.build("linux-64", packages, new TreeMap<>(), List.of(), Optional.empty());
    byte[] zst = Compression.zstd(built, Compression.REPODATA_ZSTD_LEVEL);

    JsonNode parsed = Fixtures.parse(Compression.unzstd(zst, built.length));
    assertThat(parsed.get("packages")).isEqualTo(pytorch.get("packages"));
    assertThat(zst.length).isLessThan(built.length / 5);
  }
}
