package io.wharf.server.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.history.HistoryEntry;
import java.util.ArrayList;
import java.util.List;

/** One line saying what a history entry did, for the channel's history page and the CLI. */
public final class HistorySummary {
  /** Files named in one line; the rest are counted. */
  private static final int NAMED = 3;

  private HistorySummary() {}

  public static String of(HistoryEntry e) {
    JsonNode d = e.details();
    return switch (e.action()) {
      case "upload", "replace", "delete" -> location(d);
      case "copy", "move" -> d.path("from").asText() + " → " + d.path("to").asText() + ": " + files(d.path("files"));
      case "remove" -> d.path("from").asText() + ": " + files(d.path("files"));
      case "channel_create" -> d.path("privacy").asText();
      default -> "";
    };
  }

  private static String location(JsonNode d) {
    String label = d.path("label").asText("main");
    return (label.equals("main") ? "" : "label " + label + ": ") + d.path("subdir").asText() + "/"
        + d.path("filename").asText();
  }

  private static String files(JsonNode files) {
    List<String> named = new ArrayList<>();
    for (JsonNode f : files) {
      if (named.size() == NAMED) {
        break;
      }
      named.add(f.path("subdir").asText() + "/" + f.path("filename").asText() + " (" + f.path("result").asText()
          + ")");
    }
    int rest = files.size() - named.size();
    return String.join(", ", named) + (rest > 0 ? " and " + rest + " more" : "");
  }
}
