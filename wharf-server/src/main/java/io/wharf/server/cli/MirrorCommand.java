package io.wharf.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf mirror create|set|run|list|history|delete}: mirrors of upstream conda channels. */
@Command(name = "mirror", mixinStandardHelpOptions = true,
    description = "Mirror upstream conda channels into a channel (administrators and channel owners).",
    subcommands = {MirrorCommand.Create.class, MirrorSetCommand.class, MirrorCommand.Run.class,
        MirrorCommand.ListMirrors.class, MirrorCommand.History.class, MirrorCommand.Delete.class})
public final class MirrorCommand {

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a mirror (run it with 'mirror run').")
  static final class Create implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", description = "mirror name") String name;
    @Option(names = "--upstream", required = true,
        description = "upstream channel URL (another Wharf, a public channel, a static directory); a conda token"
            + " may be in it as /t/<token>/") String upstream;
    @Option(names = "--channel", required = true, description = "channel to mirror into") String channel;
    @Option(names = "--label", description = "label (subchannel) to mirror into; default main") String label;
    @Option(names = "--mode", required = true, description = "active (download every file now) or passive"
        + " (copy records now, fetch each file when first asked for)") String mode;
    @Option(names = "--subdir", description = "subdir to mirror (repeatable; noarch is always included);"
        + " default: the upstream's subdirs") List<String> subdirs = new ArrayList<>();
    @Option(names = "--remove-deleted", description = "remove files whose records upstream no longer lists")
    boolean removeDeleted;
    @Option(names = "--policy", description = "policy the mirror follows (see 'wharf policy')") String policy;
    @Option(names = "--remove-excluded", description = "a run removes files the policy newly excludes")
    boolean removeExcluded;
    @Option(names = "--every", description = "run on a schedule, e.g. 6h, 1d or 90m (the first run one period"
        + " from now); default: only when asked") String every;
    @Option(names = "--records", paramLabel = "patched|unpatched", description = "take upstream's patched"
        + " repodata.json (default) or its unpatched repodata_from_packages.json, so only this channel's own"
        + " patches apply") String records;
    @Option(names = "--upstream-token", description = "conda token for the upstream (sent as /t/<token>/)")
    String token;
    @Option(names = "--upstream-bearer", description = "bearer token for the upstream") String bearer;
    @Option(names = "--upstream-user", description = "user name for the upstream (HTTP Basic)") String user;
    @Option(names = "--upstream-password", interactive = true, arity = "0..1",
        description = "password for the upstream (asked for when given without a value)") String password;

    @Override
    public Integer call() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", name);
      body.put("upstream", upstream);
      body.put("channel", channel);
      body.put("label", label);
      body.put("mode", mode);
      body.put("subdirs", subdirs);
      body.put("remove_deleted", removeDeleted);
      if (policy != null) {
        body.put("policy", policy);
        body.put("remove_excluded", removeExcluded);
      }
      body.put("every", every);
      if (records != null) {
        body.put("records", records);
      }
      if (token != null || bearer != null || user != null) {
        Map<String, Object> creds = new LinkedHashMap<>();
        creds.put("token", token);
        creds.put("bearer", bearer);
        creds.put("username", user);
        creds.put("password", password);
        body.put("credentials", creds);
      }
      JsonNode m = client.client().post("/api/mirrors", body);
      System.out.println("created mirror " + m.path("name").asText() + ": " + describe(m));
      return 0;
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Run a mirror now as a server job and wait for it, showing its progress.")
  static final class Run implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", description = "mirror name") String name;
    @Option(names = "--detach", description = "print the job id and return at once; follow with 'wharf job show'")
    boolean detach;
    @Option(names = "--json", description = "print the finished run as one JSON object") boolean json;
    @Option(names = "--dry-run", description = "read upstream and show what the mirror's policy would take in"
        + " and why it would leave the rest; write nothing") boolean dryRun;
    @Option(names = "--format", description = "dry run: text (default), json or csv") String format = "text";

    @Override
    public Integer call() {
      if (dryRun) {
        return MirrorDryRunPrinter.print(client.client(), name, format);
      }
      ApiClient api = client.client();
      long id;
      try {
        id = api.post("/api/mirrors/" + ApiClient.enc(name) + "/run", Map.of()).path("id").asLong();
      } catch (ApiError e) {
        if (!"mirror_running".equals(e.code())) {
          throw e;
        }
        // 409: this command did not start the run under way, so it says which job to follow instead
        long running = e.details().path("job_id").asLong();
        throw e.reworded("mirror " + name + " is already running as job " + running + "; follow it with: wharf job"
            + " show " + running + " --wait");
      }
      if (detach) {
        System.out.println(id);
        System.err.println("job " + id + " queued; follow it with: wharf job show " + id + " --wait");
        return 0;
      }
      JsonNode done = JobWatch.follow(api, id, System.err, System.console() != null);
      if (done.path("state").asText().equals("failed")) {
        throw new CliException("mirror " + name + " failed (job " + id + "): "
            + done.path("error").path("message").asText());
      }
      JsonNode r = done.path("result");
      System.out.println(json ? r.toString() : summary(r));
      return r.path("status").asText().equals("succeeded") ? 0 : 1;
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Delete a mirror and its run history; the files it mirrored stay in the channel.")
  static final class Delete implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", description = "mirror name") String name;

    @Override
    public Integer call() {
      client.client().delete("/api/mirrors/" + ApiClient.enc(name));
      System.out.println("deleted mirror " + name + "; the files it mirrored stay in the channel");
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the mirrors you may manage.")
  static final class ListMirrors implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Option(names = "--json", description = "print one JSON object per line") boolean json;

    @Override
    public Integer call() {
      JsonNode list = client.client().get("/api/mirrors");
      for (JsonNode m : list) {
        System.out.println(json ? m.toString() : m.path("name").asText() + "  " + describe(m));
      }
      if (list.isEmpty() && !json) {
        System.out.println("no mirrors");
      }
      return 0;
    }
  }

  @Command(name = "history", mixinStandardHelpOptions = true, description = "Show a mirror's runs, newest first.")
  static final class History implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", description = "mirror name") String name;
    @Option(names = "--json", description = "print one JSON object per line") boolean json;

    @Override
    public Integer call() {
      JsonNode runs = client.client().get("/api/mirrors/" + ApiClient.enc(name) + "/runs");
      for (JsonNode r : runs) {
        System.out.println(json ? r.toString() : r.path("started_at").asText() + "  " + summary(r));
      }
      if (runs.isEmpty() && !json) {
        System.out.println("mirror " + name + " has not run yet");
      }
      return 0;
    }
  }

  static String describe(JsonNode m) {
    String label = m.path("label").asText("main");
    return m.path("upstream").asText() + " -> " + m.path("channel").asText()
        + (label.equals("main") ? "" : "/label/" + label) + ", " + m.path("mode").asText()
        + (m.path("subdirs").isEmpty() ? ", upstream's subdirs" : ", subdirs " + join(m.path("subdirs")))
        + ("unpatched".equals(m.path("records").asText()) ? ", unpatched records" : "")
        + (m.path("remove_deleted").asBoolean() ? ", removes deleted" : "")
        + (m.path("credentials_set").asBoolean() ? ", credentials set" : "")
        + (m.path("every").isTextual() ? ", every " + m.path("every").asText() : "")
        + (m.path("policy").isTextual() ? ", policy " + m.path("policy").asText()
            + (m.path("remove_excluded").asBoolean() ? " (removes excluded)" : "") : "");
  }

  static String summary(JsonNode r) {
    return r.path("status").asText() + ": " + r.path("files").asLong() + " files, " + r.path("bytes").asLong()
        + " bytes downloaded, " + r.path("errors").asLong() + " errors, " + r.path("removed").asLong() + " removed"
        + excluded(r)
        + (r.path("message").isTextual() ? " (" + r.path("message").asText() + ")" : "");
  }

  /** ", 3 excluded by policy (include 2, license_not_in 1)"; empty when the policy kept nothing out. */
  private static String excluded(JsonNode r) {
    if (r.path("excluded").asLong() == 0) {
      return "";
    }
    List<String> by = new ArrayList<>();
    r.path("excluded_by").fields().forEachRemaining(e -> by.add(e.getKey() + " " + e.getValue().asLong()));
    return ", " + r.path("excluded").asLong() + " excluded by policy (" + String.join(", ", by) + ")";
  }

  private static String join(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.forEach(s -> out.add(s.asText()));
    return String.join(",", out);
  }
}
