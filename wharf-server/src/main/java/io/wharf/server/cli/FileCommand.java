package io.wharf.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "file", mixinStandardHelpOptions = true,
    description = "List, show and delete the package files of a channel.",
    subcommands = {FileCommand.ListFiles.class, FileCommand.Show.class, FileCommand.Delete.class})
public final class FileCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Where a file sits in a channel; subdir is needed only when the file name exists in several. */
  static final class Location {
    @Option(names = {"--channel", "-c"}, required = true, description = "channel")
    String channel;

    @Option(names = "--subdir", description = "platform subdir (needed only when the file name exists in several)")
    String subdir;

    @Option(names = "--label", description = "subchannel (default main)")
    String label;
  }

  /**
   * The one file of that name under the label (and subdir, when given), as the API describes it;
   * a clear error when there is none or the name is ambiguous.
   */
  static JsonNode find(ApiClient api, String channel, String label, String subdir, String filename) {
    StringBuilder query = new StringBuilder("/api/channels/" + ApiClient.enc(channel) + "/files?filename="
        + ApiClient.enc(filename) + "&label=" + ApiClient.enc(label == null ? "main" : label));
    if (subdir != null) {
      query.append("&subdir=").append(ApiClient.enc(subdir));
    }
    JsonNode matches = api.get(query.toString());
    if (matches.isEmpty()) {
      throw new CliException(filename + " is not in channel " + channel);
    }
    if (matches.size() > 1) {
      List<String> subdirs = new ArrayList<>();
      matches.forEach(m -> subdirs.add(m.get("subdir").asText()));
      throw new CliException(filename + " exists in several subdirs (" + String.join(", ", subdirs)
          + "); choose one with --subdir");
    }
    return matches.get(0);
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the files of a channel.")
  static final class ListFiles implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Option(names = {"--channel", "-c"}, required = true, description = "channel") String channel;
    @Option(names = "--subdir", description = "only this platform subdir") String subdir;
    @Option(names = "--label", description = "only this subchannel") String label;
    @Option(names = "--json", description = "print JSON") boolean json;

    @Override
    public Integer call() {
      List<String> params = new ArrayList<>();
      if (subdir != null) {
        params.add("subdir=" + ApiClient.enc(subdir));
      }
      if (label != null) {
        params.add("label=" + ApiClient.enc(label));
      }
      String path = "/api/channels/" + ApiClient.enc(channel) + "/files"
          + (params.isEmpty() ? "" : "?" + String.join("&", params));
      ApiClient api = client.client();
      if (json) {
        // One JSON array, written as the pages arrive.
        boolean[] first = {true};
        System.out.println("[");
        PagedList.forEach(api, path, f -> {
          System.out.print((first[0] ? "" : ",\n") + f.toPrettyString());
          first[0] = false;
        });
        System.out.println(first[0] ? "]" : "\n]");
        return 0;
      }
      boolean[] header = {true};
      long count = PagedList.forEach(api, path, f -> {
        if (header[0]) {
          System.out.printf("%-8s %-12s %-56s %12s  %-8s  %s%n", "LABEL", "SUBDIR", "FILE", "SIZE", "INDEXING",
              "UPLOADED");
          header[0] = false;
        }
        // indexing: "stored" (bytes here) or "passive" (a mirror's record, fetched on first download)
        System.out.printf("%-8s %-12s %-56s %12d  %-8s  %s%n", f.get("label").asText(), f.get("subdir").asText(),
            f.get("filename").asText(), f.get("size").asLong(), f.path("indexing").asText("stored"),
            f.get("uploaded_at").asText());
      });
      if (count == 0) {
        System.out.println("no files");
      }
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Show one file: checksums, size, upload time and its repodata record.")
  static final class Show implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Mixin Location where;
    @Parameters(index = "0", description = "file name, e.g. zlib-1.2.11-h7b6447c_3.conda") String filename;
    @Option(names = "--json", description = "print JSON") boolean json;

    @Override
    public Integer call() {
      ApiClient api = client.client();
      JsonNode f = find(api, where.channel, where.label, where.subdir, filename);
      if (json) {
        System.out.println(f.toPrettyString());
        return 0;
      }
      System.out.println("file:      " + f.get("filename").asText());
      System.out.println("package:   " + f.get("name").asText() + " " + f.get("version").asText() + " "
          + f.get("build").asText());
      System.out.println("channel:   " + f.get("channel").asText() + " (label " + f.get("label").asText() + ")");
      System.out.println("subdir:    " + f.get("subdir").asText());
      System.out.println("size:      " + f.get("size").asLong());
      System.out.println("md5:       " + f.get("md5").asText());
      System.out.println("sha256:    " + f.get("sha256").asText());
      System.out.println("uploaded:  " + f.get("uploaded_at").asText());
      System.out.println("url:       " + api.base() + f.get("url").asText());
      JsonNode depends = f.get("record").get("depends");
      if (depends != null && !depends.isEmpty()) {
        System.out.println("depends:");
        depends.forEach(d -> System.out.println("  " + d.asText()));
      }
      return 0;
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Delete one file; it leaves the channel's repodata at once.")
  static final class Delete implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Mixin Location where;
    @Parameters(index = "0", description = "file name") String filename;
    @Option(names = "--yes", description = "confirm deletion", required = true) boolean yes;

    @Override
    public Integer call() {
      ApiClient api = client.client();
      JsonNode f = find(api, where.channel, where.label, where.subdir, filename);
      api.delete("/api/channels/" + ApiClient.enc(where.channel) + "/files/" + ApiClient.enc(f.get("subdir").asText())
          + "/" + ApiClient.enc(filename) + "?label=" + ApiClient.enc(f.get("label").asText()));
      System.out.println("deleted " + f.get("subdir").asText() + "/" + filename + " from channel " + where.channel);
      return 0;
    }
  }
}
