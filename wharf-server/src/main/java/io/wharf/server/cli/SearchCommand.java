package io.wharf.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "search", mixinStandardHelpOptions = true,
    description = "Search packages in every channel you may read (or in one channel).")
public final class SearchCommand implements Callable<Integer> {
  @Mixin ClientOptions client;

  @Parameters(index = "0", arity = "0..1", description = "words to look for in names, summaries and descriptions")
  String query;

  @Option(names = {"--channel", "-c"}, description = "search only this channel")
  String channel;

  @Option(names = "--platform", description = "only packages with files for this subdir, e.g. linux-64")
  String platform;

  @Option(names = "--license-family", description = "only this license family, e.g. MIT or \"Public Domain\"")
  String licenseFamily;

  @Option(names = "--page", defaultValue = "1", description = "result page (default 1)")
  int page;

  @Option(names = "--json", description = "print JSON")
  boolean json;

  @Override
  public Integer call() {
    List<String> params = new ArrayList<>();
    params.add("q=" + ApiClient.enc(query == null ? "" : query));
    if (channel != null) {
      params.add("channel=" + ApiClient.enc(channel));
    }
    if (platform != null) {
      params.add("platform=" + ApiClient.enc(platform));
    }
    if (licenseFamily != null) {
      params.add("license_family=" + ApiClient.enc(licenseFamily));
    }
    params.add("page=" + page);
    JsonNode res = client.client().get("/api/search?" + String.join("&", params));
    if (json) {
      System.out.println(res.toPrettyString());
      return 0;
    }
    JsonNode results = res.get("results");
    if (results.isEmpty()) {
      System.out.println("no packages found");
      return 0;
    }
    System.out.printf("%-24s %-32s %-14s %-28s %s%n", "CHANNEL", "NAME", "VERSION", "PLATFORMS", "LICENSE");
    for (JsonNode r : results) {
      System.out.printf("%-24s %-32s %-14s %-28s %s%n", r.get("channel").asText(), r.get("name").asText(),
          r.get("latest_version").asText(), join(r.get("platforms")), join(r.get("license_families")));
    }
    long total = res.get("total").asLong();
    int perPage = res.get("per_page").asInt();
    if (total > (long) page * perPage) {
      System.out.println("(" + total + " packages; page " + page + " of " + ((total + perPage - 1) / perPage)
          + ", next with --page " + (page + 1) + ")");
    }
    return 0;
  }

  static String join(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return String.join(",", out);
  }
}
