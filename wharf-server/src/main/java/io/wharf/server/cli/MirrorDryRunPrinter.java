package io.wharf.server.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code wharf mirror run NAME --dry-run}: the server's verdicts as text, JSON or CSV. */
final class MirrorDryRunPrinter {
  private MirrorDryRunPrinter() {}

  static int print(ApiClient api, String mirror, String format) {
    String path = "/api/mirrors/" + ApiClient.enc(mirror) + "/dry-run";
    switch (format) {
      case "csv" -> System.out.print(api.getText(path + "?format=csv"));
      case "json" -> System.out.println(api.get(path).toPrettyString());
      case "text" -> {
        JsonNode r = api.get(path);
        for (JsonNode f : r.path("files")) {
          String file = f.path("subdir").asText() + "/" + f.path("filename").asText();
          System.out.println(f.path("admitted").asBoolean() ? "  admit    " + file
              : "  exclude  " + file + ": " + f.path("reason").asText());
        }
        System.out.println((r.path("policy").isTextual() ? "policy " + r.path("policy").asText()
            : "no policy") + ": " + r.path("admitted").asLong() + " admitted, " + r.path("excluded").asLong()
            + " excluded (dry run, nothing written)");
      }
      default -> throw new CliException("--format is text, json or csv, not " + format);
    }
    return 0;
  }
}
