package io.wharf.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.conda.repodata.PatchPackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf patch set|show|remove}: a channel's repodata patch instructions, per subdir. */
@Command(name = "patch", mixinStandardHelpOptions = true,
    description = "Repodata patch instructions (patch_instructions.json) applied when a channel is published.",
    subcommands = {PatchCommand.Set.class, PatchCommand.Show.class, PatchCommand.Remove.class})
public final class PatchCommand {
  /** The same bound the server applies to one subdir's instructions. */
  static final long MAX_BYTES = 64L * 1024 * 1024;

  static String path(String channel, String subdir) {
    return "/api/channels/" + ApiClient.enc(channel) + "/patches" + (subdir == null ? "" : "/" + ApiClient.enc(subdir));
  }

  static final class Source {
    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "patch_instructions.json (needs --subdir)")
    Path file;
    @Option(names = "--from-package", paramLabel = "PACKAGE",
        description = "a repodata-patches package (.tar.bz2 or .conda): every <subdir>/patch_instructions.json in it")
    Path pkg;
  }

  @Command(name = "set", mixinStandardHelpOptions = true,
      description = "Set the instructions of a subdir from a file, or of every subdir a patches package holds.")
  static final class Set implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Option(names = "--channel", required = true, description = "channel") String channel;
    @Option(names = "--subdir", description = "subdir the FILE patches (not with --from-package)") String subdir;
    @ArgGroup(exclusive = true, multiplicity = "1") Source source;

    @Override
    public Integer call() {
      SortedMap<String, byte[]> bySubdir = new TreeMap<>();
      String from;
      if (source.pkg != null) {
        if (subdir != null) {
          throw new CliException("--subdir goes with FILE; a package names its subdirs itself");
        }
        try {
          bySubdir.putAll(PatchPackage.read(source.pkg, MAX_BYTES));
        } catch (IOException e) {
          throw new CliException(source.pkg + ": " + e.getMessage());
        }
        from = source.pkg.getFileName().toString();
      } else {
        if (subdir == null) {
          throw new CliException("--subdir is needed with FILE");
        }
        try {
          if (Files.size(source.file) > MAX_BYTES) {
            throw new CliException(source.file + " is larger than " + MAX_BYTES + " bytes");
          }
          bySubdir.put(subdir, Files.readAllBytes(source.file));
        } catch (IOException e) {
          throw new CliException("cannot read " + source.file + ": " + e.getMessage());
        }
        from = source.file.getFileName().toString();
      }
      ApiClient api = client.client();
      for (Map.Entry<String, byte[]> e : bySubdir.entrySet()) {
        JsonNode r = api.putJsonBytes(path(channel, e.getKey()) + "?source=" + ApiClient.enc(from), e.getValue());
        System.out.println(channel + " " + e.getKey() + ": patches set (revision " + r.path("revision").asLong()
            + ", " + r.path("files").asLong() + " files named, " + r.path("republished_names").asLong()
            + " package names republished)");
      }
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "List the subdirs with instructions, or print one subdir's instructions as JSON.")
  static final class Show implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Option(names = "--channel", required = true, description = "channel") String channel;
    @Option(names = "--subdir", description = "print this subdir's instructions") String subdir;

    @Override
    public Integer call() {
      ApiClient api = client.client();
      if (subdir != null) {
        System.out.println(api.get(path(channel, subdir)).toPrettyString());
        return 0;
      }
      JsonNode list = api.get(path(channel, null));
      if (list.isEmpty()) {
        System.out.println("no patch instructions in " + channel);
      }
      System.out.printf("%-14s  %8s  %7s  %-26s  %s%n", "SUBDIR", "REVISION", "FILES", "CHANGED", "BY / SOURCE");
      for (JsonNode p : list) {
        System.out.printf("%-14s  %8d  %7d  %-26s  %s%n", p.path("subdir").asText(), p.path("revision").asLong(),
            p.path("files").asLong(), p.path("changed_at").asText(), p.path("changed_by").asText()
                + (p.path("source").isTextual() ? " / " + p.path("source").asText() : ""));
      }
      return 0;
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true,
      description = "Remove a subdir's instructions: its records are published as stored again.")
  static final class Remove implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Option(names = "--channel", required = true, description = "channel") String channel;
    @Option(names = "--subdir", required = true, description = "subdir") String subdir;

    @Override
    public Integer call() {
      JsonNode r = client.client().deleteJson(path(channel, subdir));
      System.out.println(channel + " " + subdir + ": patches removed (" + r.path("republished_names").asLong()
          + " package names republished)");
      return 0;
    }
  }
}
