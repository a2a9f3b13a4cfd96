package io.wharf.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.auth.User;
import io.wharf.server.auth.JdbcUsers;
import io.wharf.server.auth.UserService;
import io.wharf.server.config.ConfigLoader;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.db.Database;
import io.wharf.server.error.WharfException;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "user", mixinStandardHelpOptions = true, description = "Create, list and disable users.",
    subcommands = {UserCommand.Create.class, UserCommand.ListUsers.class, UserCommand.Disable.class})
public final class UserCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a user or service account,"
      + " through the server, or directly in the data directory with --data-dir (the way to make the first"
      + " administrator besides the bootstrap token).")
  static final class Create implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", description = "user name") String name;
    @Option(names = "--admin", description = "an instance administrator") boolean admin;
    @Option(names = "--service", description = "a service account: no password, tokens only") boolean service;
    @Option(names = "--password-stdin", description = "read the password from the first line of standard input")
    boolean passwordStdin;
    @Option(names = "--data-dir", description = "work on this data directory's database instead of a server"
        + " (PostgreSQL when WHARF_DB_URL is set)") Path dataDir;

    @Override
    public Integer call() {
      String password = service ? null : password();
      if (dataDir != null) {
        WharfConfig config = ConfigLoader.load(null, System.getenv(), Map.of("data", dataDir.toString()));
        try (Database db = config.dbUrl() == null ? Database.openSqlite(config.sqliteFile())
            : Database.open(config.dbUrl(), config.dbUser(), config.dbPassword())) {
          User u = new UserService(new JdbcUsers(db), Clock.systemUTC()).create(name, password, admin, service);
          System.out.println("created user " + u.name() + kind(u.admin(), u.service()));
        } catch (WharfException e) {
          throw new CliException(e.getMessage());
        }
        return 0;
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", name);
      body.put("password", password);
      body.put("admin", admin);
      body.put("service", service);
      JsonNode u = client.client().post("/api/users", body);
      System.out.println("created user " + u.get("name").asText()
          + kind(u.get("admin").asBoolean(), u.get("service").asBoolean()));
      return 0;
    }

    private String password() {
      if (passwordStdin) {
        try {
          String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
          if (line == null || line.isEmpty()) {
            throw new CliException("no password on standard input");
          }
          return line;
        } catch (IOException e) {
          throw new CliException("cannot read the password: " + e.getMessage());
        }
      }
      Console console = System.console();
      if (console == null) {
        throw new CliException("no terminal to ask for a password: pass --password-stdin, or --service for a"
            + " service account");
      }
      char[] first = console.readPassword("Password for %s: ", name);
      char[] again = console.readPassword("Again: ");
      if (first == null || again == null || !new String(first).equals(new String(again))) {
        throw new CliException("the passwords do not match");
      }
      return new String(first);
    }
  }

  static String kind(boolean admin, boolean service) {
    return admin ? " (administrator)" : service ? " (service account)" : "";
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List users (administrators only).")
  static final class ListUsers implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Option(names = "--json", description = "print JSON") boolean json;

    @Override
    public Integer call() {
      JsonNode list = client.client().get("/api/users");
      if (json) {
        System.out.println(list.toPrettyString());
        return 0;
      }
      for (JsonNode u : list) {
        String flags = (u.get("admin").asBoolean() ? "admin " : "") + (u.get("service").asBoolean() ? "service " : "")
            + (u.get("disabled").asBoolean() ? "disabled" : "");
        System.out.printf("%-32s  %s%n", u.get("name").asText(), flags.isBlank() ? "user" : flags.trim());
      }
      return 0;
    }
  }

  @Command(name = "disable", mixinStandardHelpOptions = true, description = "Disable a user; its sessions and"
      + " tokens stop working at once.")
  static final class Disable implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", description = "user name") String name;

    @Override
    public Integer call() {
      client.client().patch("/api/users/" + ApiClient.enc(name), Map.of("disabled", true));
      System.out.println("disabled user " + name);
      return 0;
    }
  }
}
