package io.wharf.server.cli;

import io.wharf.server.config.ConfigLoader;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.db.Database;
import io.wharf.server.error.WharfException;
import io.wharf.server.trust.JdbcTrustMetadata;
import io.wharf.server.trust.KeyDirectory;
import io.wharf.server.trust.TrustSetup;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The instance's package signing keys (conda-content-trust layout), worked on directly in the data
 * directory: the private keys never pass through the API.
 */
@Command(name = "signing", mixinStandardHelpOptions = true, description = "Create, import and rotate the keys"
    + " that sign package records (conda-content-trust).",
    subcommands = {SigningCommand.Init.class, SigningCommand.Import.class, SigningCommand.RotateRoot.class})
public final class SigningCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Where the database and the key directory are. */
  static final class Target {
    @Option(names = "--data-dir", required = true, description = "the server's data directory (PostgreSQL when"
        + " WHARF_DB_URL is set)") Path dataDir;
    @Option(names = "--keys", description = "the private key directory (setting signing.keys; default"
        + " <data-dir>/signing)") Path keys;

    <T> T run(java.util.function.Function<TrustSetup, T> action) {
      Map<String, String> flags = new HashMap<>();
      flags.put("data", dataDir.toString());
      if (keys != null) {
        flags.put("signing.keys", keys.toString());
      }
      WharfConfig config = ConfigLoader.load(null, System.getenv(), flags);
      try (Database db = config.dbUrl() == null ? Database.openSqlite(config.sqliteFile())
          : Database.open(config.dbUrl(), config.dbUser(), config.dbPassword())) {
        return action.apply(new TrustSetup(new JdbcTrustMetadata(db), new KeyDirectory(config.signingKeys()),
            Clock.systemUTC()));
      } catch (WharfException | IllegalStateException e) {
        throw new CliException(e.getMessage());
      }
    }

    Path keyDir() {
      return keys != null ? keys.toAbsolutePath() : dataDir.toAbsolutePath().resolve("signing");
    }
  }

  @Command(name = "init", mixinStandardHelpOptions = true, description = "Create root, key_mgr and pkg_mgr keys"
      + " and the first root metadata (1.root.json) and key_mgr.json.")
  static final class Init implements Callable<Integer> {
    @picocli.CommandLine.Mixin Target target;

    @Override
    public Integer call() {
      TrustSetup.Outcome o = target.run(TrustSetup::init);
      System.out.println("created signing keys in " + target.keyDir());
      print(o);
      System.out.println("served at /trust/1.root.json and /trust/key_mgr.json; restart the server to sign with them");
      return 0;
    }
  }

  @Command(name = "import", mixinStandardHelpOptions = true, description = "Take an existing hierarchy from DIR:"
      + " N.root.json from 1 on, key_mgr.json, private keys (hex) in pkg_mgr/*.pri and optionally root/*.pri and"
      + " key_mgr/*.pri.")
  static final class Import implements Callable<Integer> {
    @picocli.CommandLine.Mixin Target target;
    @Parameters(index = "0", description = "directory to import") Path source;

    @Override
    public Integer call() {
      TrustSetup.Outcome o = target.run(s -> s.importFrom(source));
      System.out.println("imported trust metadata up to root version " + o.rootVersion() + " into "
          + target.keyDir());
      print(o);
      System.out.println("restart the server to sign with them");
      return 0;
    }
  }

  @Command(name = "rotate-root", mixinStandardHelpOptions = true, description = "Write the next root version with"
      + " a new root key, signed by the current root key(s) and the new one.")
  static final class RotateRoot implements Callable<Integer> {
    @picocli.CommandLine.Mixin Target target;

    @Override
    public Integer call() {
      TrustSetup.Outcome o = target.run(TrustSetup::rotateRoot);
      System.out.println("wrote " + o.rootVersion() + ".root.json; new root key " + o.rootKeys().get(0)
          + "; the replaced key is in root/retired/");
      return 0;
    }
  }

  private static void print(TrustSetup.Outcome o) {
    line("root", o.rootKeys());
    line("key_mgr", o.keyMgrKeys());
    line("pkg_mgr", o.pkgMgrKeys());
  }

  private static void line(String role, List<String> keys) {
    if (!keys.isEmpty()) {
      System.out.println("  " + role + ": " + String.join(", ", keys));
    }
  }
}
