package io.wharf.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf policy create|set|delete|show|list}: mirror policies (administrators). */
@Command(name = "policy", mixinStandardHelpOptions = true,
    description = "Mirror policies: which upstream records a mirror takes in (administrators).",
    subcommands = {PolicyCommand.Create.class, PolicyCommand.Change.class, PolicyCommand.Delete.class,
        PolicyCommand.Show.class, PolicyCommand.ListPolicies.class})
public final class PolicyCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The flags of create and set: the filters from a file and flags, which override the file's. */
  abstract static class FilterFlags {
    @Mixin ClientOptions client;
    @Parameters(index = "0", description = "policy name") String name;
    @Option(names = "--file", description = "JSON object of filters, as GET /api/policies/{name} shows them")
    Path file;
    @Option(names = "--subdir", description = "subdir to take (repeatable)") List<String> subdirs = new ArrayList<>();
    @Option(names = "--include", description = "package name or MatchSpec to take (repeatable; others are left)")
    List<String> include = new ArrayList<>();
    @Option(names = "--exclude", description = "package name or MatchSpec to leave (repeatable)")
    List<String> exclude = new ArrayList<>();
    @Option(names = "--license-in", description = "license family to take (repeatable)")
    List<String> licenseIn = new ArrayList<>();
    @Option(names = "--license-not-in", description = "license family to leave (repeatable)")
    List<String> licenseNotIn = new ArrayList<>();
    @Option(names = "--cve-score-min", description = "take files whose open CVE score is at least this") Double min;
    @Option(names = "--cve-score-max", description = "take files whose open CVE score is at most this") Double max;
    @Option(names = "--cve-status-in", description = "CVE status to take (repeatable)")
    List<String> statusIn = new ArrayList<>();
    @Option(names = "--cve-status-not-in", description = "CVE status to leave (repeatable)")
    List<String> statusNotIn = new ArrayList<>();
    @Option(names = "--newer-than-days", description = "take records built within this many days") Integer newer;
    @Option(names = "--older-than-days", description = "take records built at least this many days ago")
    Integer older;
    @Option(names = "--signed-only", description = "take only records upstream signed") boolean signedOnly;
    @Option(names = "--drop-tar-bz2", description = "leave a .tar.bz2 whose .conda is listed") boolean dropTarBz2;
    @Option(names = "--include-dependencies", description = "take the dependencies of the included packages too")
    boolean includeDependencies;

    ObjectNode filters() {
      ObjectNode filters = JSON.createObjectNode();
      if (file != null) {
        try {
          JsonNode read = JSON.readTree(Files.readString(file));
          if (!read.isObject()) {
            throw new CliException(file + ": the filters are a JSON object");
          }
          filters.setAll((ObjectNode) read);
        } catch (IOException e) {
          throw new CliException(file + ": " + e.getMessage());
        }
      }
      list(filters, "subdirs", subdirs);
      list(filters, "include", include);
      list(filters, "exclude", exclude);
      list(filters, "license_in", licenseIn);
      list(filters, "license_not_in", licenseNotIn);
      list(filters, "cve_status_in", statusIn);
      list(filters, "cve_status_not_in", statusNotIn);
      if (min != null) {
        filters.put("cve_score_min", min);
      }
      if (max != null) {
        filters.put("cve_score_max", max);
      }
      if (newer != null) {
        filters.put("newer_than_days", newer);
      }
      if (older != null) {
        filters.put("older_than_days", older);
      }
      if (signedOnly) {
        filters.put("signed_only", true);
      }
      if (dropTarBz2) {
        filters.put("drop_tar_bz2", true);
      }
      if (includeDependencies) {
        filters.put("include_dependencies", true);
      }
      return filters;
    }

    private static void list(ObjectNode filters, String field, List<String> values) {
      if (!values.isEmpty()) {
        values.forEach(filters.putArray(field)::add);
      }
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a policy from flags, or from a JSON file of filters (flags given too override it).")
  static final class Create extends FilterFlags implements Callable<Integer> {
    @Option(names = "--description", description = "what the policy is for") String description;

    @Override
    public Integer call() {
      Map<String, Object> body = new java.util.LinkedHashMap<>();
      body.put("name", name);
      body.put("description", description);
      body.put("filters", filters());
      JsonNode p = client.client().post("/api/policies", body);
      System.out.println("created policy " + p.path("name").asText() + ": " + p.path("filters"));
      return 0;
    }
  }

  @Command(name = "set", mixinStandardHelpOptions = true,
      description = "Replace a policy's filters with those the flags and file give (as create takes them);"
          + " mirrors following it judge every file again on their next run.")
  static final class Change extends FilterFlags implements Callable<Integer> {
    @Option(names = "--description", description = "what the policy is for (left out: kept)") String description;

    @Override
    public Integer call() {
      Map<String, Object> body = new java.util.LinkedHashMap<>();
      if (description != null) {
        body.put("description", description);
      }
      body.put("filters", filters());
      JsonNode p = client.client().put("/api/policies/" + ApiClient.enc(name), body);
      System.out.println("changed policy " + p.path("name").asText() + ": " + p.path("filters"));
      return 0;
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Delete a policy; refused while a mirror follows it (wharf mirror set MIRROR --no-policy).")
  static final class Delete implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", description = "policy name") String name;

    @Override
    public Integer call() {
      client.client().delete("/api/policies/" + ApiClient.enc(name));
      System.out.println("deleted policy " + name);
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a policy as JSON.")
  static final class Show implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", description = "policy name") String name;

    @Override
    public Integer call() {
      System.out.println(client.client().get("/api/policies/" + ApiClient.enc(name)).toPrettyString());
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the policies.")
  static final class ListPolicies implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Option(names = "--json", description = "print one JSON object per line") boolean json;

    @Override
    public Integer call() {
      JsonNode list = client.client().get("/api/policies");
      for (JsonNode p : list) {
        System.out.println(json ? p.toString() : p.path("name").asText() + "  " + p.path("filters"));
      }
      if (list.isEmpty() && !json) {
        System.out.println("no policies");
      }
      return 0;
    }
  }
}
