package io.wharf.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf mirror set NAME ...}: changes a mirror's policy, schedule, removal settings and which records it
 * takes (PATCH).
 */
@Command(name = "set", mixinStandardHelpOptions = true, description = "Change a mirror's policy, schedule,"
    + " whether it removes files or which records it takes; what is not given stays.")
final class MirrorSetCommand implements Callable<Integer> {
  @Mixin ClientOptions client;
  @Parameters(index = "0", description = "mirror name") String name;
  @Option(names = "--policy", description = "policy the mirror follows from its next run (see 'wharf policy')")
  String policy;
  @Option(names = "--no-policy", description = "follow no policy: take everything upstream lists") boolean noPolicy;
  @Option(names = "--remove-excluded", arity = "1", paramLabel = "true|false",
      description = "whether a run removes files the policy newly excludes") Boolean removeExcluded;
  @Option(names = "--every", description = "run on a schedule, e.g. 6h, 1d or 90m (next run one period from now)")
  String every;
  @Option(names = "--no-schedule", description = "run only when asked") boolean noSchedule;
  @Option(names = "--remove-deleted", arity = "1", paramLabel = "true|false",
      description = "whether a run removes files whose records upstream no longer lists") Boolean removeDeleted;
  @Option(names = "--records", paramLabel = "patched|unpatched", description = "take upstream's patched"
      + " repodata.json or its unpatched repodata_from_packages.json (the next run reads every subdir again)")
  String records;

  @Override
  public Integer call() {
    if (policy != null && noPolicy) {
      throw new CliException("give --policy or --no-policy, not both");
    }
    if (every != null && noSchedule) {
      throw new CliException("give --every or --no-schedule, not both");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    if (policy != null || noPolicy) {
      body.put("policy", policy);
    }
    if (removeExcluded != null) {
      body.put("remove_excluded", removeExcluded);
    }
    if (every != null || noSchedule) {
      body.put("every", every);
    }
    if (removeDeleted != null) {
      body.put("remove_deleted", removeDeleted);
    }
    if (records != null) {
      body.put("records", records);
    }
    if (body.isEmpty()) {
      throw new CliException("nothing to change: give --policy, --no-policy, --remove-excluded, --every,"
          + " --no-schedule, --remove-deleted or --records");
    }
    JsonNode m = client.client().patch("/api/mirrors/" + ApiClient.enc(name), body);
    System.out.println("mirror " + m.path("name").asText() + ": " + MirrorCommand.describe(m));
    return 0;
  }
}
