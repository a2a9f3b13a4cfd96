package io.wharf.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.testing.SmallPackages;
import io.wharf.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The files and package names of a channel through the API, one page at a time, and the limits on a page. */
class ListPagingTest {
  private static final Pattern NEXT = Pattern.compile("<([^>]+)>; rel=\"next\"");

  @TempDir static Path data;
  @TempDir static Path work;
  static TestServer server;
  static List<String> mainFiles;
  static List<String> devFiles;
  static List<String> manyVersions;

  @BeforeAll
  static void start() {
    server = TestServer.start(data);
    server.createChannel("paged", "public");
    // 105 in main is more than the default page of 100; 4 more under the label dev.
    mainFiles = SmallPackages.upload(server, work, "paged", "pkg", 105, "");
    devFiles = SmallPackages.upload(server, work, "paged", "dev-pkg", 4, "label=dev");
    server.createChannel("versions", "public");
    manyVersions = SmallPackages.versions(server, work, "versions", "many", 55);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static List<String> filenames(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.forEach(f -> out.add(f.get("label").asText() + "/" + f.get("filename").asText()));
    return out;
  }

  private static String next(HttpResponse<byte[]> res) {
    String link = res.headers().firstValue("Link").orElse(null);
    if (link == null) {
      return null;
    }
    Matcher m = NEXT.matcher(link);
    assertThat(m.matches()).as(link).isTrue();
    return m.group(1);
  }

  private static String error(HttpResponse<byte[]> res) {
    assertThat(res.statusCode()).as(new String(res.body(), StandardCharsets.UTF_8)).isEqualTo(400);
    return TestServer.json(res).get("error").asText();
  }

  @Test
  void theFirstPageHoldsTheDefaultHundredAndLinksToTheNext() {
    HttpResponse<byte[]> first = server.get("/api/channels/paged/files");

    assertThat(first.statusCode()).isEqualTo(200);
    List<String> files = filenames(TestServer.json(first));
    assertThat(files).hasSize(100);
    // By label, then subdir, then filename: "dev" sorts before "main".
    assertThat(files.subList(0, 4)).containsExactlyElementsOf(devFiles.stream().map(f -> "dev/" + f).toList());
    assertThat(files.get(4)).isEqualTo("main/" + mainFiles.get(0));
    assertThat(next(first)).startsWith("/api/channels/paged/files?cursor=");
  }

  @Test
  void followingTheNextLinksListsEveryFileOnceAndTheLastPageHasNoLink() {
    List<String> seen = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    String path = "/api/channels/paged/files?limit=25";
    while (path != null) {
      HttpResponse<byte[]> res = server.get(path);
      assertThat(res.statusCode()).isEqualTo(200);
      List<String> page = filenames(TestServer.json(res));
      sizes.add(page.size());
      seen.addAll(page);
      path = next(res);
      if (path != null) {
        assertThat(path).as("the limit stays").contains("limit=25");
      }
    }

    assertThat(sizes).containsExactly(25, 25, 25, 25, 9);
    List<String> expected = new ArrayList<>(devFiles.stream().map(f -> "dev/" + f).toList());
    mainFiles.forEach(f -> expected.add("main/" + f));
    assertThat(seen).containsExactlyElementsOf(expected);
  }

  @Test
  void aFullLastPageHasNoLinkEither() {
    HttpResponse<byte[]> res = server.get("/api/channels/paged/files?label=dev&limit=4");

    assertThat(filenames(TestServer.json(res))).hasSize(4);
    assertThat(next(res)).isNull();
  }

  @Test
  void filtersAreKeptOnEveryPage() {
    HttpResponse<byte[]> first = server.get("/api/channels/paged/files?label=dev&subdir=noarch&limit=3");
    assertThat(filenames(TestServer.json(first))).containsExactly("dev/" + devFiles.get(0), "dev/" + devFiles.get(1),
        "dev/" + devFiles.get(2));
    String nextPath = next(first);
    assertThat(nextPath).contains("label=dev", "subdir=noarch", "limit=3");

    HttpResponse<byte[]> second = server.get(nextPath);
    assertThat(filenames(TestServer.json(second))).containsExactly("dev/" + devFiles.get(3));
    assertThat(next(second)).isNull();

    assertThat(filenames(server.getJson("/api/channels/paged/files?filename=" + mainFiles.get(7))))
        .containsExactly("main/" + mainFiles.get(7));
  }

  @Test
  void packageNamesComeInPagesToo() {
    List<String> names = new ArrayList<>();
    String path = "/api/channels/paged/packages?limit=50";
    int pages = 0;
    while (path != null) {
      HttpResponse<byte[]> res = server.get(path);
      TestServer.json(res).forEach(p -> {
        names.add(p.get("name").asText());
        assertThat(p.get("file_count").asLong()).isEqualTo(1);
      });
      path = next(res);
      pages++;
    }

    assertThat(pages).isEqualTo(3);
    assertThat(names).hasSize(109).doesNotHaveDuplicates().isSorted();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "1001", "abc", "2.5"})
  void aLimitOutsideOneToAThousandIsRefused(String limit) {
    assertThat(error(server.get("/api/channels/paged/files?limit=" + limit))).isEqualTo("invalid_limit");
    assertThat(error(server.get("/api/channels/paged/packages?limit=" + limit))).isEqualTo("invalid_limit");
  }

  @Test
  void theLargestPageIsAThousand() {
    HttpResponse<byte[]> res = server.get("/api/channels/paged/files?limit=1000");

    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(TestServer.json(res)).hasSize(109);
    assertThat(next(res)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"not-base64!", "bm90IGpzb24", "WyJvbmx5IHR3byIsInBhcnRzIl0", "WzEsMiwzXQ", "e30"})
  void aCursorThisServerDidNotMakeIsRefused(String cursor) {
    // not JSON; ["only two","parts"]; [1,2,3]; {}
    HttpResponse<byte[]> res = server.get("/api/channels/paged/files?cursor=" + cursor);

    assertThat(error(res)).isEqualTo("invalid_cursor");
    assertThat(TestServer.json(res).get("message").asText()).contains("cursor");
  }

  @Test
  void aCursorForPackagesIsNotOneForFiles() {
    String packagesCursor = next(server.get("/api/channels/paged/packages?limit=1")).replaceAll(".*cursor=", "");

    assertThat(error(server.get("/api/channels/paged/files?cursor=" + packagesCursor))).isEqualTo("invalid_cursor");
    assertThat(new String(Base64.getUrlDecoder().decode(packagesCursor), StandardCharsets.UTF_8))
        .as("opaque to clients, but only a key").isEqualTo("[\"dev-pkg-000\"]");
  }

  private static List<String> fileRowsOfPackagePage(String html) {
    String table = html.substring(html.indexOf("<table class=\"data\" id=\"files\">"), html.indexOf("</table>",
        html.indexOf("id=\"files\"")));
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("<tr>\\s*<td[^>]*>([^<]+)").matcher(table); // the first cell of each row
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void thePackagePageShowsItsFilesFiftyAtATimeNewestUploadFirst() {
    HttpResponse<byte[]> first = server.get("/channels/versions/packages/many");
    String html = new String(first.body(), StandardCharsets.UTF_8);
    List<String> newestFirst = new ArrayList<>(manyVersions);
    java.util.Collections.reverse(newestFirst);

    assertThat(html).contains("Files (55)");
    assertThat(fileRowsOfPackagePage(html)).containsExactlyElementsOf(newestFirst.subList(0, 50));
    Matcher older = Pattern.compile("<a rel=\"next\" href=\"([^\"]+)\">Older files").matcher(html);
    assertThat(older.find()).isTrue();

    String second = new String(server.get(older.group(1)).body(), StandardCharsets.UTF_8);
    assertThat(fileRowsOfPackagePage(second)).containsExactlyElementsOf(newestFirst.subList(50, 55));
    assertThat(second).doesNotContain("Older files").contains("href=\"/channels/versions/packages/many\">« Newest files");

    assertThat(server.get("/channels/versions/packages/many?before=soon").statusCode()).isEqualTo(400);
  }
}
