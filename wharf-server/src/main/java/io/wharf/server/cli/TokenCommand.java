package io.wharf.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "token", mixinStandardHelpOptions = true, description = "Create, list and revoke tokens.",
    subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
public final class TokenCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a token; its secret is"
      + " printed once, on the last line.")
  static final class Create implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Option(names = "--name", required = true, description = "what the token is for") String name;
    @Option(names = "--channel", description = "limit to this channel (or CHANNEL/LABEL); repeat for more;"
        + " none: everything the owner may do") List<String> channels;
    @Option(names = "--permission", description = "read (default), write or manage") String permission;
    @Option(names = "--expires-days", description = "days until it expires (the server's default when not given)")
    Integer expiresDays;
    @Option(names = "--owner", description = "the user or service account it acts for (administrators only;"
        + " default: yourself)") String owner;

    @Override
    public Integer call() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", name);
      body.put("channels", channels == null ? List.of() : channels);
      body.put("permission", permission == null ? "read" : permission);
      if (expiresDays != null) {
        body.put("expires_days", expiresDays);
      }
      if (owner != null) {
        body.put("owner", owner);
      }
      JsonNode t = client.client().post("/api/tokens", body);
      System.out.println("created token " + t.get("id").asLong() + " '" + t.get("name").asText() + "' for "
          + t.get("owner").asText() + " (" + t.get("permission").asText() + ", " + scope(t) + ", expires "
          + t.get("expires_at").asText() + "); it is shown only this once:");
      System.out.println(t.get("secret").asText());
      return 0;
    }
  }

  static String scope(JsonNode t) {
    JsonNode s = t.get("scope");
    if (s == null || s.isNull()) {
      return "all channels";
    }
    List<String> names = new java.util.ArrayList<>();
    s.forEach(x -> names.add(x.asText()));
    return names.isEmpty() ? "no channels left" : String.join(",", names);
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List your tokens (--all: everyone's,"
      + " administrators only).")
  static final class ListTokens implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Option(names = "--json", description = "print JSON") boolean json;
    @Option(names = "--all", description = "every user's tokens") boolean all;

    @Override
    public Integer call() {
      JsonNode list = client.client().get("/api/tokens" + (all ? "?all=true" : ""));
      if (json) {
        System.out.println(list.toPrettyString());
        return 0;
      }
      System.out.printf("%-6s  %-24s  %-16s  %-24s  %-10s  %-24s  %-24s%n", "ID", "NAME", "OWNER", "SCOPE",
          "PERMISSION", "EXPIRES", "LAST USED");
      for (JsonNode t : list) {
        System.out.printf("%-6s  %-24s  %-16s  %-24s  %-10s  %-24s  %-24s%n", t.get("id").asText(),
            t.get("name").asText(), t.get("owner").asText(), scope(t),
            t.get("revoked").asBoolean() ? "revoked" : t.get("permission").asText(),
            t.get("expires_at").isNull() ? "never" : t.get("expires_at").asText(),
            t.get("last_used_at").isNull() ? "never" : t.get("last_used_at").asText());
      }
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token; it stops working at once.")
  static final class Revoke implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", description = "token id (from 'wharf token list')") String id;

    @Override
    public Integer call() {
      client.client().delete("/api/tokens/" + ApiClient.enc(id));
      System.out.println("revoked token " + id);
      return 0;
    }
  }
}
