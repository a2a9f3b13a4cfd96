package io.wharf.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "package", mixinStandardHelpOptions = true,
    description = "Details, dependencies and dependants of a package in a channel.",
    subcommands = {PackageCommand.Show.class, PackageCommand.Dependencies.class, PackageCommand.Dependants.class})
public final class PackageCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Options every package subcommand takes. */
  static final class Target {
    @Mixin ClientOptions client;
    @Option(names = {"--channel", "-c"}, required = true, description = "channel") String channel;
    @Parameters(index = "0", description = "package name") String name;
    @Option(names = "--json", description = "print JSON") boolean json;

    String path(String suffix) {
      return "/api/channels/" + ApiClient.enc(channel) + "/packages/" + ApiClient.enc(name) + suffix;
    }

    boolean printedJson(JsonNode n) {
      if (json) {
        System.out.println(n.toPrettyString());
      }
      return json;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Latest version, license and files.")
  static final class Show implements Callable<Integer> {
    @Mixin Target t;

    @Override
    public Integer call() {
      JsonNode p = t.client.client().get(t.path(""));
      if (t.printedJson(p)) {
        return 0;
      }
      System.out.println(p.get("name").asText() + " " + p.get("latest_version").asText() + "  ("
          + p.get("channel").asText() + ")");
      if (!p.get("summary").asText().isEmpty()) {
        System.out.println("  " + p.get("summary").asText());
      }
      System.out.println("license:   " + p.get("license").asText() + " [" + p.get("license_family").asText() + "]");
      System.out.println("versions:  " + SearchCommand.join(p.get("versions")));
      System.out.println("platforms: " + SearchCommand.join(p.get("platforms")));
      System.out.println("downloads: " + p.get("downloads").asLong() + downloadsByVersion(p.get("downloads_by_version")));
      for (String url : new String[] {"home", "dev_url", "doc_url"}) {
        if (!p.get(url).asText().isEmpty()) {
          System.out.printf("%-10s %s%n", url + ":", p.get(url).asText());
        }
      }
      System.out.println("files:");
      System.out.printf("  %-12s %-48s %10s %10s  %s%n", "platform", "file", "size", "downloads", "license family");
      for (JsonNode f : p.get("files")) {
        System.out.printf("  %-12s %-48s %10d %10d  %s%n", f.get("subdir").asText(), f.get("filename").asText(),
            f.get("size").asLong(), f.get("downloads").asLong(), f.get("license_family").asText());
      }
      return 0;
    }

    /** " (1.1: 5, 1.0: 2)": the versions that were downloaded, newest first as the server lists them. */
    private static String downloadsByVersion(JsonNode byVersion) {
      StringBuilder sb = new StringBuilder();
      byVersion.fields().forEachRemaining(e -> {
        if (e.getValue().asLong() > 0) {
          sb.append(sb.length() == 0 ? " (" : ", ").append(e.getKey()).append(": ").append(e.getValue().asLong());
        }
      });
      return sb.length() == 0 ? "" : sb.append(')').toString();
    }
  }

  @Command(name = "dependencies", aliases = "deps", mixinStandardHelpOptions = true,
      description = "What each file of the package depends on and constrains.")
  static final class Dependencies implements Callable<Integer> {
    @Mixin Target t;

    @Override
    public Integer call() {
      JsonNode d = t.client.client().get(t.path("/dependencies"));
      if (t.printedJson(d)) {
        return 0;
      }
      for (JsonNode f : d.get("files")) {
        System.out.println(f.get("subdir").asText() + "/" + f.get("filename").asText());
        for (String kind : new String[] {"depends", "constrains"}) {
          for (JsonNode r : f.get(kind)) {
            String where = r.get("virtual").asBoolean() ? "system requirement"
                : r.get("available_in").isEmpty() ? "not in your channels"
                : "in " + SearchCommand.join(r.get("available_in"));
            System.out.printf("  %-10s %-44s %s%n", kind, r.get("spec").asText(), where);
          }
        }
      }
      return 0;
    }
  }

  @Command(name = "dependants", mixinStandardHelpOptions = true,
      description = "Packages whose depends/constrains name this package, and whether they admit its latest version.")
  static final class Dependants implements Callable<Integer> {
    @Mixin Target t;
    @Option(names = "--platform", description = "only dependants for this subdir (noarch counts for every platform)")
    String platform;

    @Override
    public Integer call() {
      JsonNode d = t.client.client().get(t.path("/dependants")
          + (platform == null ? "" : "?platform=" + ApiClient.enc(platform)));
      if (t.printedJson(d)) {
        return 0;
      }
      System.out.println("latest " + d.get("name").asText() + ": " + d.get("latest_version").asText());
      if (d.get("dependants").isEmpty()) {
        System.out.println("no dependants in your channels");
      }
      for (JsonNode r : d.get("dependants")) {
        System.out.printf("  %-16s %-28s %-12s %-12s %-10s %-36s admits latest: %s%n", r.get("channel").asText(),
            r.get("name").asText(), r.get("version").asText(), r.get("subdir").asText(), r.get("kind").asText(),
            r.get("spec").asText(), r.get("admits_latest").asText());
      }
      return 0;
    }
  }
}
