package io.wharf.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "licenses", mixinStandardHelpOptions = true,
    description = "License families with their package counts per channel"
        + " (list the packages with: wharf search --license-family FAMILY).")
public final class LicensesCommand implements Callable<Integer> {
  @Mixin ClientOptions client;

  @Option(names = "--json", description = "print JSON")
  boolean json;

  @Override
  public Integer call() {
    JsonNode groups = client.client().get("/api/licenses");
    if (json) {
      System.out.println(groups.toPrettyString());
      return 0;
    }
    for (JsonNode g : groups) {
      System.out.printf("%-14s %5d package(s)%n", g.get("family").asText(), g.get("package_count").asLong());
      g.get("channels").fields().forEachRemaining(e ->
          System.out.printf("    %-20s %5d%n", e.getKey(), e.getValue().get("package_count").asLong()));
    }
    return 0;
  }
}
