package io.wharf.server;

import io.wharf.server.cli.BackupCommand;
import io.wharf.server.cli.ChannelCommand;
import io.wharf.server.cli.CheckCommand;
import io.wharf.server.cli.RestoreCommand;
import io.wharf.server.cli.CveCommand;
import io.wharf.server.cli.JobCommand;
import io.wharf.server.cli.DownloadCommand;
import io.wharf.server.cli.SbomCommand;
import io.wharf.server.cli.FileCommand;
import io.wharf.server.cli.ImportCommand;
import io.wharf.server.cli.MirrorCommand;
import io.wharf.server.cli.LicensesCommand;
import io.wharf.server.cli.PackageCommand;
import io.wharf.server.cli.PolicyCommand;
import io.wharf.server.cli.SearchCommand;
import io.wharf.server.cli.SigningCommand;
import io.wharf.server.cli.VerifyCommand;
import io.wharf.server.cli.TransferCommands;
import io.wharf.server.cli.ServeCommand;
import io.wharf.server.cli.TokenCommand;
import io.wharf.server.cli.UserCommand;
import io.wharf.server.cli.UploadCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code wharf} command: the server ({@code serve}) and a client for its API. */
@Command(name = "wharf", mixinStandardHelpOptions = true, version = "wharf 0.1.0",
    description = "Self-hosted conda package server and its command-line client.",
    subcommands = {ServeCommand.class, ChannelCommand.class, UploadCommand.class, ImportCommand.class,
        DownloadCommand.class, SbomCommand.class, FileCommand.class, TransferCommands.Copy.class, TransferCommands.Move.class,
        TransferCommands.Remove.class, SearchCommand.class, PackageCommand.class, LicensesCommand.class,
        UserCommand.class, TokenCommand.class, CveCommand.class, JobCommand.class, CheckCommand.class,
        BackupCommand.class, RestoreCommand.class, SigningCommand.class, VerifyCommand.class, MirrorCommand.class,
        PolicyCommand.class, io.wharf.server.cli.PatchCommand.class})
public final class Wharf implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit code (used by tests, too). */
  public static int run(String... args) {
    return new CommandLine(new Wharf())
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
          return 1;
        })
        .execute(args);
  }
}
