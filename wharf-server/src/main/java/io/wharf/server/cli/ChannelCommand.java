package io.wharf.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "channel", mixinStandardHelpOptions = true, description = "Create, list, show and delete channels.",
    subcommands = {ChannelCommand.Create.class, ChannelCommand.ListChannels.class, ChannelCommand.Show.class,
        ChannelCommand.Delete.class, ChannelHistoryCommand.class,
        MemberCommands.Set.class, MemberCommands.Members.class, MemberCommands.Member.class})
public final class ChannelCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a channel.")
  static final class Create implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", description = "channel name") String name;
    @Option(names = "--description", description = "free text shown on the channel page") String description;
    @Option(names = "--privacy", description = "public (default), authenticated or private") String privacy;

    @Override
    public Integer call() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", name);
      if (description != null) {
        body.put("description", description);
      }
      if (privacy != null) {
        body.put("privacy", privacy);
      }
      JsonNode c = client.client().post("/api/channels", body);
      System.out.println("created channel " + c.get("name").asText() + " (" + c.get("privacy").asText() + ")");
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List channels you can read.")
  static final class ListChannels implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Option(names = "--json", description = "print JSON") boolean json;

    @Override
    public Integer call() {
      JsonNode list = client.client().get("/api/channels");
      if (json) {
        System.out.println(list.toPrettyString());
        return 0;
      }
      for (JsonNode c : list) {
        System.out.printf("%-32s %s%n", c.get("name").asText(), c.get("privacy").asText());
      }
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a channel and its packages.")
  static final class Show implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", description = "channel name") String name;

    @Override
    public Integer call() {
      ApiClient api = client.client();
      JsonNode c = api.get("/api/channels/" + ApiClient.enc(name));
      System.out.println("name:        " + c.get("name").asText());
      System.out.println("privacy:     " + c.get("privacy").asText());
      System.out.println("description: " + c.get("description").asText());
      System.out.println("conda URL:   " + api.base() + c.get("conda_url").asText());
      JsonNode labels = c.get("labels");
      if (labels != null) {
        for (JsonNode l : labels) {
          if (!l.get("name").asText().equals("main")) {
            System.out.println("subchannel:  " + l.get("name").asText() + "  " + api.base()
                + l.get("conda_url").asText());
          }
        }
      }
      System.out.println("packages:");
      PagedList.forEach(api, "/api/channels/" + ApiClient.enc(name) + "/packages", p ->
          System.out.printf("  %-40s %d file(s)%n", p.get("name").asText(), p.get("file_count").asLong()));
      return 0;
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a channel and all its files.")
  static final class Delete implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", description = "channel name") String name;
    @Option(names = "--yes", description = "confirm deletion", required = true) boolean yes;

    @Override
    public Integer call() {
      client.client().delete("/api/channels/" + ApiClient.enc(name));
      System.out.println("deleted channel " + name);
      return 0;
    }
  }
}
