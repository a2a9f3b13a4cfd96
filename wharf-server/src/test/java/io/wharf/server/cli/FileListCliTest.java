package io.wharf.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.testing.SmallPackages;
import io.wharf.server.testing.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wharf file list} and {@code wharf channel show} on a channel longer than one page of the API. */
class FileListCliTest {
  @TempDir static Path data;
  @TempDir static Path work;
  static TestServer server;
  static List<String> files;

  @BeforeAll
  static void start() {
    server = TestServer.start(data);
    server.createChannel("long", "public");
    server.createChannel("nothing", "public");
    files = SmallPackages.upload(server, work, "long", "pkg", 130, ""); // the API's default page is 100
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static CliRun run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--url", server.url()));
    CliRun run = CliRun.of(all.toArray(String[]::new));
    assertThat(run.exit()).as(run.err()).isZero();
    return run;
  }

  @Test
  void fileListFollowsThePagesAndPrintsEveryFileOnceUnderOneHeader() {
    List<List<String>> rows = run("file", "list", "--channel", "long").rows();

    assertThat(rows.get(0)).startsWith("LABEL", "SUBDIR", "FILE");
    assertThat(rows.subList(1, rows.size())).extracting(r -> r.get(2)).containsExactlyElementsOf(files);
  }

  @Test
  void fileListAsJsonIsOneArrayOfEveryFile() {
    JsonNode json = run("file", "list", "--channel", "long", "--json").json();

    assertThat(json.isArray()).isTrue();
    List<String> names = new ArrayList<>();
    json.forEach(f -> names.add(f.get("filename").asText()));
    assertThat(names).containsExactlyElementsOf(files);
  }

  @Test
  void anEmptyChannelListsNoFilesInEitherForm() {
    assertThat(run("file", "list", "--channel", "nothing").out()).isEqualTo("no files" + System.lineSeparator());
    assertThat(run("file", "list", "--channel", "nothing", "--json").json()).isEmpty();
  }

  @Test
  void channelShowListsEveryPackage() {
    List<String> packages = run("channel", "show", "long").out().lines()
        .filter(l -> l.matches("\\s+pkg-\\d{3}\\s+1 file\\(s\\)")).map(String::strip)
        .map(l -> l.split("\\s+")[0]).toList();

    assertThat(packages).hasSize(130).doesNotHaveDuplicates().isSorted();
  }

  @Test
  void theNextLinkIsReadFromTheLinkHeaderAsRfc8288WritesIt() {
    assertThat(PagedList.nextLink(List.of("</api/x?cursor=a>; rel=\"next\""))).isEqualTo("/api/x?cursor=a");
    assertThat(PagedList.nextLink(List.of("</p>; rel=\"prev\", </n?x=1>; rel=next"))).isEqualTo("/n?x=1");
    assertThat(PagedList.nextLink(List.of("<http://host:8080/api/x?cursor=b>; rel=\"next\"")))
        .as("absolute target cut to its path").isEqualTo("/api/x?cursor=b");
    assertThat(PagedList.nextLink(List.of("</p>; rel=\"prev\""))).isNull();
    assertThat(PagedList.nextLink(List.of("</p>; rel=\"nextish\""))).isNull();
    assertThat(PagedList.nextLink(List.of())).isNull();
  }
}
