package io.wharf.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf channel members}, {@code wharf channel member add|remove}, {@code wharf channel set}. */
final class MemberCommands {
  private MemberCommands() {}

  @Command(name = "members", mixinStandardHelpOptions = true, description = "List a channel's members and roles.")
  static final class Members implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", description = "channel name") String channel;
    @Option(names = "--json", description = "print JSON") boolean json;

    @Override
    public Integer call() {
      JsonNode list = client.client().get("/api/channels/" + ApiClient.enc(channel) + "/members");
      if (json) {
        System.out.println(list.toPrettyString());
        return 0;
      }
      for (JsonNode m : list) {
        System.out.printf("%-32s  %s%s%n", m.get("user").asText(), m.get("role").asText(),
            m.get("disabled").asBoolean() ? "  (disabled)" : "");
      }
      return 0;
    }
  }

  @Command(name = "member", mixinStandardHelpOptions = true, description = "Add, change or remove a member.",
      subcommands = {Add.class, Remove.class})
  static final class Member implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(System.out);
    }
  }

  @Command(name = "add", mixinStandardHelpOptions = true, description = "Give a user a role in a channel"
      + " (replacing the role it had).")
  static final class Add implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", description = "channel name") String channel;
    @Parameters(index = "1", description = "user name") String user;
    @Option(names = "--role", required = true, description = "viewer, curator, maintainer or owner") String role;

    @Override
    public Integer call() {
      JsonNode m = client.client().put("/api/channels/" + ApiClient.enc(channel) + "/members/" + ApiClient.enc(user),
          Map.of("role", role));
      System.out.println(m.get("user").asText() + " is " + m.get("role").asText() + " of " + channel);
      return 0;
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Take a user's role in a channel away.")
  static final class Remove implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", description = "channel name") String channel;
    @Parameters(index = "1", description = "user name") String user;

    @Override
    public Integer call() {
      client.client().delete("/api/channels/" + ApiClient.enc(channel) + "/members/" + ApiClient.enc(user));
      System.out.println(user + " is no longer a member of " + channel);
      return 0;
    }
  }

  @Command(name = "set", mixinStandardHelpOptions = true, description = "Change a channel's privacy or description.")
  static final class Set implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", description = "channel name") String channel;
    @Option(names = "--privacy", description = "public, authenticated or private") String privacy;
    @Option(names = "--description", description = "free text shown on the channel page") String description;

    @Override
    public Integer call() {
      Map<String, Object> body = new java.util.LinkedHashMap<>();
      if (privacy != null) {
        body.put("privacy", privacy);
      }
      if (description != null) {
        body.put("description", description);
      }
      JsonNode c = client.client().patch("/api/channels/" + ApiClient.enc(channel), body);
      System.out.println("channel " + c.get("name").asText() + " is " + c.get("privacy").asText());
      return 0;
    }
  }
}
