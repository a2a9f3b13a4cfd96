package io.wharf.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf cve import|list|show|set-status}: vulnerability data through the server's API. */
@Command(name = "cve", mixinStandardHelpOptions = true, description = "Import, list, show and curate CVEs.",
    subcommands = {CveCommand.Import.class, CveCommand.ListCves.class, CveCommand.Show.class,
        CveCommand.SetStatus.class})
public final class CveCommand {

  @Command(name = "import", mixinStandardHelpOptions = true,
      description = "Import OSV (JSON/YAML) or NVD CVE API 2.0 JSON: a file, .gz, .zip, .tar.gz, a directory "
          + "(sent as one zip), or an http(s) URL the server downloads. Runs as a server job; shows its progress "
          + "and prints the counts at the end. Administrators.")
  static final class Import implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", description = "file, archive, directory or http(s) URL") String source;
    @Option(names = "--detach", description = "print the job id and return at once; follow with 'wharf job show'")
    boolean detach;

    @Override
    public Integer call() throws IOException {
      ApiClient api = client.client();
      JsonNode job = submit(api);
      long id = job.path("id").asLong();
      if (detach) {
        System.out.println(id);
        System.err.println("job " + id + " queued; follow it with: wharf job show " + id + " --wait");
        return 0;
      }
      JsonNode done = JobWatch.follow(api, id, System.err, System.console() != null);
      if (done.path("state").asText().equals("failed")) {
        throw new CliException("import failed (job " + id + "): " + done.path("error").path("message").asText());
      }
      JsonNode r = done.path("result");
      System.out.printf("records read %d, added %d, updated %d; new file matches %d%n", r.path("read").asInt(),
          r.path("added").asInt(), r.path("updated").asInt(), r.path("matched").asInt());
      return 0;
    }

    private JsonNode submit(ApiClient api) throws IOException {
      String lower = source.toLowerCase(java.util.Locale.ROOT);
      if (lower.startsWith("http://") || lower.startsWith("https://")) {
        return api.post("/api/cves/import", Map.of("url", source));
      }
      Path path = Path.of(source);
      if (!Files.exists(path)) {
        throw new CliException("cannot read " + path + ": no such file or directory");
      }
      if (!Files.isDirectory(path)) {
        return api.postFile("/api/cves/import?filename=" + ApiClient.enc(path.getFileName().toString()), path);
      }
      Path zip = Files.createTempFile("wharf-cves-", ".zip");
      try {
        zipDirectory(path, zip);
        return api.postFile("/api/cves/import?filename=" + ApiClient.enc(path.getFileName() + ".zip"), zip);
      } finally {
        Files.deleteIfExists(zip);
      }
    }

    private static void zipDirectory(Path dir, Path zip) throws IOException {
      List<Path> files;
      try (Stream<Path> walk = Files.walk(dir)) {
        files = walk.filter(Files::isRegularFile).sorted().toList();
      }
      try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
        for (Path f : files) {
          z.putNextEntry(new ZipEntry(dir.relativize(f).toString().replace('\\', '/')));
          Files.copy(f, z);
          z.closeEntry();
        }
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List the CVEs linked to packages you may read, every page.")
  static final class ListCves implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Option(names = "--channel", description = "only this channel") String channel;
    @Option(names = "--package", description = "only this package name") String pkg;
    @Option(names = "--min-score", description = "lowest CVSS score") Double minScore;
    @Option(names = "--max-score", description = "highest CVSS score") Double maxScore;
    @Option(names = "--status", description = "Active, Reported, Disputed, Mitigated or Cleared") String status;
    @Option(names = "--name", description = "part of a CVE id or alias") String name;
    @Option(names = "--file", description = "only the CVEs of this file, as subdir/filename (needs --channel)")
    String file;
    @Option(names = "--label", description = "the --file's label (main when absent)") String label;
    @Option(names = "--modified-from", description = "last modified on or after (2024-01-31 or an instant)")
    String modifiedFrom;
    @Option(names = "--modified-to", description = "last modified before (2024-01-31 or an instant)")
    String modifiedTo;
    @Option(names = "--curated-from", description = "last curated on or after (2024-01-31 or an instant)")
    String curatedFrom;
    @Option(names = "--curated-to", description = "last curated before (2024-01-31 or an instant)")
    String curatedTo;
    @Option(names = "--json", description = "print one JSON object per line") boolean json;

    @Override
    public Integer call() {
      Map<String, Object> q = new LinkedHashMap<>();
      q.put("channel", channel);
      q.put("package", pkg);
      q.put("min_score", minScore);
      q.put("max_score", maxScore);
      q.put("status", status);
      q.put("name", name);
      q.put("file", file);
      q.put("label", label);
      q.put("modified_from", modifiedFrom);
      q.put("modified_to", modifiedTo);
      q.put("curated_from", curatedFrom);
      q.put("curated_to", curatedTo);
      StringBuilder path = new StringBuilder("/api/cves");
      q.forEach((k, v) -> {
        if (v != null) {
          path.append(path.indexOf("?") < 0 ? '?' : '&').append(k).append('=').append(ApiClient.enc(v.toString()));
        }
      });
      long n = PagedList.forEach(client.client(), path.toString(), c -> {
        if (json) {
          System.out.println(c.toString());
        } else {
          System.out.printf("%-18s %5s %-9s %-9s %4d file(s)  %s%n", c.path("id").asText(), score(c),
              c.path("severity").asText("-"), c.path("status").asText("-"), c.path("files").asInt(),
              c.path("published").asText("-"));
        }
      });
      if (n == 0 && !json) {
        System.out.println("no CVEs");
      }
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one CVE and the files it affects.")
  static final class Show implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", description = "CVE id, or an imported record's id") String id;
    @Option(names = "--json", description = "print the JSON answer") boolean json;

    @Override
    public Integer call() {
      JsonNode c = client.client().get("/api/cves/" + ApiClient.enc(id));
      if (json) {
        System.out.println(c.toPrettyString());
        return 0;
      }
      System.out.printf("%s  score %s (CVSS %s, %s)%n", c.path("id").asText(), score(c),
          c.path("score_version").asText("-"), c.path("severity").asText("-"));
      System.out.println("published " + c.path("published").asText("-") + ", modified " + c.path("modified").asText());
      if (c.path("aliases").size() > 0) {
        System.out.println("aliases: " + String.join(", ", texts(c.path("aliases"))));
      }
      System.out.println(c.path("summary").asText(""));
      for (JsonNode v : c.path("vectors")) {
        System.out.printf("  %-4s %4.1f  %s%n", v.path("version").asText(), v.path("base_score").asDouble(),
            v.path("vector").asText());
      }
      for (JsonNode f : c.path("affected_files")) {
        System.out.printf("  %-10s %s/%s/%s  %s%n", f.path("status").asText(), f.path("channel").asText(),
            f.path("subdir").asText(), f.path("filename").asText(), f.path("note").asText(""));
      }
      return 0;
    }
  }

  @Command(name = "set-status", mixinStandardHelpOptions = true,
      description = "Curate a CVE on one file (--subdir and --file) or on every file of a package (every version in"
          + " the channel). Curators, maintainers and owners of the channel, and administrators.")
  static final class SetStatus implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", description = "CVE id") String id;
    @Parameters(index = "1", description = "Active, Reported, Disputed, Mitigated or Cleared") String status;
    @Option(names = "--channel", required = true, description = "channel") String channel;
    @Option(names = "--package", description = "every file of this package in the channel") String pkg;
    @Option(names = "--subdir", description = "the file's subdir") String subdir;
    @Option(names = "--file", description = "one file name") String file;
    @Option(names = "--label", description = "the file's label (main when absent)") String label;
    @Option(names = "--note", description = "why") String note;

    @Override
    public Integer call() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("channel", channel);
      body.put("package", pkg);
      body.put("subdir", subdir);
      body.put("filename", file);
      body.put("label", label);
      body.put("status", status);
      body.put("note", note);
      body.values().removeIf(v -> v == null);
      JsonNode changed = client.client().post("/api/cves/" + ApiClient.enc(id) + "/status", body);
      for (JsonNode f : changed) {
        System.out.printf("%s %s/%s/%s: %s%n", id, f.path("channel").asText(), f.path("subdir").asText(),
            f.path("filename").asText(), f.path("status").asText());
      }
      return 0;
    }
  }

  static String score(JsonNode c) {
    return c.path("score").isNumber() ? String.format(java.util.Locale.ROOT, "%.1f", c.path("score").asDouble()) : "-";
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new java.util.ArrayList<>();
    array.forEach(a -> out.add(a.asText()));
    return out;
  }
}
