package io.wharf.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Console;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf copy}, {@code wharf move} and {@code wharf remove}: many files in one request, which the
 * server carries out in one transaction. A refusal prints one line per file or item it concerns.
 */
public final class TransferCommands {
  private TransferCommands() {}

  static final String ITEMS =
      "package name (every file of it), name=version, or file name (optionally subdir/filename)";

  /** Either flag, or neither (a collision then refuses the request). */
  static final class Collisions {
    @Option(names = "--skip-existing", description = "leave files that already exist in the target") boolean skip;
    @Option(names = "--replace", description = "replace files that already exist in the target") boolean replace;

    static String of(Collisions c) {
      return c == null ? "fail" : c.replace ? "replace" : c.skip ? "skip" : "fail";
    }
  }

  abstract static class Transfer implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Option(names = "--from", required = true, description = "source: channel or channel/label/NAME") String from;
    @Option(names = "--to", required = true, description = "target: channel or channel/label/NAME") String to;
    @ArgGroup(exclusive = true) Collisions collisions;
    @Option(names = "--dry-run", description = "only show what would happen") boolean dryRun;
    @Option(names = "--json", description = "print the server's answer as JSON") boolean json;
    @Parameters(arity = "1..*", paramLabel = "ITEM", description = ITEMS) List<String> items;

    abstract String action();

    @Override
    public Integer call() {
      Location src = Location.parse(from);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("to", to);
      body.put("items", items);
      body.put("fromLabel", src.label());
      body.put("onCollision", Collisions.of(collisions));
      body.put("dryRun", dryRun);
      return send(client.client(), "/api/channels/" + ApiClient.enc(src.channel()) + "/" + action(), body, json);
    }
  }

  @Command(name = "copy", mixinStandardHelpOptions = true,
      description = "Copy package files to another channel or label (the stored file is shared, not duplicated).")
  public static final class Copy extends Transfer {
    @Override
    String action() {
      return "copy";
    }
  }

  @Command(name = "move", mixinStandardHelpOptions = true,
      description = "Move package files to another channel or label.")
  public static final class Move extends Transfer {
    @Override
    String action() {
      return "move";
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true,
      description = "Remove package files from a channel or label. Without --yes, lists them and asks.")
  public static final class Remove implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Option(names = "--from", required = true, description = "channel or channel/label/NAME") String from;
    @Option(names = "--yes", description = "remove without asking") boolean yes;
    @Option(names = "--json", description = "print the server's answer as JSON") boolean json;
    @Parameters(arity = "1..*", paramLabel = "ITEM", description = ITEMS) List<String> items;

    @Override
    public Integer call() throws java.io.IOException {
      Location src = Location.parse(from);
      ApiClient api = client.client();
      String path = "/api/channels/" + ApiClient.enc(src.channel()) + "/remove";
      List<String> what = items;
      if (!yes) {
        Map<String, Object> preview = body(items, src.label(), true);
        JsonNode planned;
        try {
          planned = api.post(path, preview);
        } catch (ApiError e) {
          return refused(e);
        }
        printFiles(planned, "would remove");
        Console console = System.console();
        if (console == null) {
          System.err.println("error: not removing without confirmation: stdin is not a terminal; pass --yes");
          return 1;
        }
        String answer = console.readLine("Remove these %d file(s) from %s? [y/N] ", planned.path("files").size(), from);
        if (answer == null || !answer.trim().toLowerCase(Locale.ROOT).startsWith("y")) {
          System.err.println("error: nothing removed");
          return 1;
        }
        // exactly the files shown, even if more matching files arrived meanwhile
        what = new ArrayList<>();
        for (JsonNode f : planned.path("files")) {
          what.add(f.path("subdir").asText() + "/" + f.path("filename").asText());
        }
      }
      return send(api, path, body(what, src.label(), false), json);
    }

    private static Map<String, Object> body(List<String> items, String label, boolean dryRun) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("items", items);
      body.put("label", label);
      body.put("dryRun", dryRun);
      return body;
    }
  }

  /** {@code channel} or {@code channel/label/NAME}, split the way the server splits a target. */
  record Location(String channel, String label) {
    static Location parse(String text) {
      String[] parts = text.split("/", -1);
      if (parts.length == 1 && !parts[0].isEmpty()) {
        return new Location(parts[0], "main");
      }
      if (parts.length == 3 && parts[1].equals("label") && !parts[0].isEmpty() && !parts[2].isEmpty()) {
        return new Location(parts[0], parts[2]);
      }
      throw new CliException("'" + text + "' is not a channel: write 'channel' or 'channel/label/NAME'");
    }
  }

  static int send(ApiClient api, String path, Map<String, Object> body, boolean json) {
    JsonNode done;
    try {
      done = api.post(path, body);
    } catch (ApiError e) {
      return refused(e);
    }
    if (json) {
      System.out.println(done.toPrettyString());
      return 0;
    }
    printFiles(done, null);
    String verb = switch (done.path("action").asText()) {
      case "copy" -> "copied";
      case "move" -> "moved";
      default -> "removed";
    };
    long changed = 0;
    for (JsonNode f : done.path("files")) {
      if (!f.path("result").asText().equals("skipped")) {
        changed++;
      }
    }
    System.out.println((done.path("dryRun").asBoolean() ? "would have " : "") + verb + " " + changed
        + " file(s) from " + done.path("from").asText()
        + (done.path("to").isTextual() ? " to " + done.path("to").asText() : ""));
    return 0;
  }

  private static void printFiles(JsonNode done, String verb) {
    for (JsonNode f : done.path("files")) {
      String label = f.path("label").asText("main");
      System.out.printf("%-9s %s/%s%s%n", verb != null ? verb : f.path("result").asText(), f.path("subdir").asText(),
          f.path("filename").asText(), label.equals("main") ? "" : "  (label " + label + ")");
    }
  }

  /** One line per colliding file or unmatched item, else the server's sentence; exit code 1. */
  static int refused(ApiError e) {
    JsonNode collisions = e.details().path("collisions");
    JsonNode unmatched = e.details().path("items");
    if ("collision".equals(e.code()) && collisions.isArray() && !collisions.isEmpty()) {
      for (JsonNode c : collisions) {
        System.err.println("error: " + c.path("subdir").asText() + "/" + c.path("filename").asText()
            + " already exists in the target (use --skip-existing or --replace)");
      }
      System.err.println("error: nothing was changed");
    } else if ("no_match".equals(e.code()) && unmatched.isArray() && !unmatched.isEmpty()) {
      for (JsonNode item : unmatched) {
        System.err.println("error: nothing matches '" + item.asText() + "'");
      }
      System.err.println("error: nothing was changed");
    } else {
      System.err.println("error: " + e.getMessage());
    }
    return 1;
  }
}
