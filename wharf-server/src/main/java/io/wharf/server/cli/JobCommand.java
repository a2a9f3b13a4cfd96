package io.wharf.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf job list|show}: background jobs (CVE imports) through the server's API. */
@Command(name = "job", mixinStandardHelpOptions = true,
    description = "List and show background jobs: administrators see all, others their own.",
    subcommands = {JobCommand.ListJobs.class, JobCommand.Show.class})
public final class JobCommand {

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List jobs, newest first, every page.")
  static final class ListJobs implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Option(names = "--json", description = "print one JSON object per line") boolean json;

    @Override
    public Integer call() {
      long n = PagedList.forEach(client.client(), "/api/jobs", j -> {
        if (json) {
          System.out.println(j.toString());
        } else {
          System.out.printf("%6d  %-12s %-10s %-20s %s%s%n", j.path("id").asLong(), j.path("kind").asText(),
              j.path("state").asText(), j.path("created_at").asText(), j.path("phase").asText(""),
              JobWatch.counters(j));
        }
      });
      if (n == 0 && !json) {
        System.out.println("no jobs");
      }
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one job: state, progress, outcome.")
  static final class Show implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", description = "job id") long id;
    @Option(names = "--json", description = "print the JSON answer") boolean json;
    @Option(names = "--wait", description = "follow the job until it finishes") boolean await;

    @Override
    public Integer call() {
      ApiClient api = client.client();
      JsonNode j = await ? JobWatch.follow(api, id, System.err, System.console() != null) : api.get("/api/jobs/" + id);
      if (json) {
        System.out.println(j.toPrettyString());
        return 0;
      }
      System.out.printf("job %d  %s  %s%n", j.path("id").asLong(), j.path("kind").asText(), j.path("state").asText());
      System.out.println("created " + j.path("created_at").asText() + " by " + j.path("created_by").asText());
      if (j.hasNonNull("started_at")) {
        System.out.println("started " + j.path("started_at").asText() + " (attempt " + j.path("attempt").asInt()
            + (j.hasNonNull("node") ? ", " + j.path("node").asText() : "") + ")");
      }
      if (j.hasNonNull("finished_at")) {
        System.out.println("finished " + j.path("finished_at").asText());
      }
      System.out.println("phase " + j.path("phase").asText("-") + JobWatch.counters(j));
      if (j.hasNonNull("result")) {
        System.out.println("result " + j.path("result"));
      }
      if (j.hasNonNull("error")) {
        System.out.println("error " + j.path("error").path("code").asText() + ": " + j.path("error").path("message").asText());
      }
      return j.path("state").asText().equals("failed") ? 1 : 0;
    }
  }
}
