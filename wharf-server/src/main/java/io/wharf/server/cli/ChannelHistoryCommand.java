package io.wharf.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf channel history NAME}: what was done to a channel, newest first, every page. */
@Command(name = "history", mixinStandardHelpOptions = true,
    description = "Show what was done to a channel, by whom and when, newest first.")
final class ChannelHistoryCommand implements Callable<Integer> {
  @Mixin ClientOptions client;
  @Parameters(index = "0", description = "channel name") String name;
  @Option(names = "--json", description = "print one JSON object per line") boolean json;

  @Override
  public Integer call() {
    ApiClient api = client.client();
    long n = PagedList.forEach(api, "/api/channels/" + ApiClient.enc(name) + "/history", e -> {
      if (json) {
        System.out.println(e.toString());
      } else {
        System.out.printf("%s  %-14s  %-10s  %-15s  %s%n", e.path("at").asText(), e.path("action").asText(),
            e.path("actor").asText(), e.path("address").asText("-"), summary(e));
      }
    });
    if (n == 0 && !json) {
      System.out.println("no history recorded for " + name);
    }
    return 0;
  }

  static String summary(JsonNode e) {
    JsonNode d = e.path("details");
    return switch (e.path("action").asText()) {
      case "upload", "replace", "delete" -> (d.path("label").asText("main").equals("main") ? ""
          : "label " + d.path("label").asText() + ": ") + d.path("subdir").asText() + "/" + d.path("filename").asText();
      case "copy", "move" -> d.path("from").asText() + " -> " + d.path("to").asText() + " (" + files(d) + ")";
      case "remove" -> d.path("from").asText() + " (" + files(d) + ")";
      default -> d.toString();
    };
  }

  private static String files(JsonNode d) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode f : d.path("files")) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(f.path("subdir").asText()).append('/').append(f.path("filename").asText()).append(' ')
          .append(f.path("result").asText());
    }
    return sb.toString();
  }
}
