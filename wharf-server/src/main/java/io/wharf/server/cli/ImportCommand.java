package io.wharf.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf import}: a conda-index channel directory into a channel in one step. It first asks the
 * server which of the files it already holds (in batches) and sends only the others, as tar streams
 * of at most {@link #FILES_PER_REQUEST} files, so an interrupted import run again picks up where it
 * stopped.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = {"Import every package file of a channel directory laid out as conda-index expects"
        + " (DIR/<subdir>/*.conda and *.tar.bz2). Files already in the channel are skipped, so running"
        + " an interrupted import again finishes it.",
        "With --on-server, DIR is a directory on the server's machine that the server reads itself"
        + " (administrators only, below the server's import.directories)."})
public final class ImportCommand implements Callable<Integer> {
  /** The server's limit per import request. */
  static final int FILES_PER_REQUEST = 10_000;
  /** The server's limit per lookup request. */
  static final int FILES_PER_LOOKUP = 5_000;

  @Mixin ClientOptions client;

  @Option(names = {"--channel", "-c"}, required = true, description = "target channel")
  String channel;

  @Option(names = "--label", description = "subchannel (default main)")
  String label;

  @Option(names = "--no-progress", description = "no progress bar (it is drawn only on a terminal anyway)")
  boolean noProgress;

  @Option(names = "--on-server", description = "DIR is an absolute path on the server's machine, read by the server"
      + " itself: nothing is sent but the path (the server must list a directory above it in import.directories)")
  boolean onServer;

  @Option(names = "--background", description = "with --on-server: the server runs the import as a background job,"
      + " which goes on when this command stops; the command follows it until it ends")
  boolean background;

  @Option(names = "--detach", description = "with --background: print the job id and return at once; follow it with"
      + " 'wharf job show ID --wait'")
  boolean detach;

  @Parameters(index = "0", paramLabel = "DIR", description = "channel directory: DIR/<subdir>/<package files>")
  String dir;

  @Override
  public Integer call() {
    ApiClient api = client.client();
    if ((background || detach) && !onServer) {
      throw new CliException("--background and --detach go with --on-server: only an import the server reads"
          + " from its own disk runs without this command");
    }
    if (background || detach) {
      return importInBackground(api);
    }
    if (onServer) {
      return importOnServer(api);
    }
    Path dir = Path.of(this.dir);
    List<ChannelDirectory.PackageFile> files = ChannelDirectory.scan(dir);
    if (files.isEmpty()) {
      throw new CliException("no package files in " + dir + " (expected " + dir + "/<subdir>/*.conda or *.tar.bz2)");
    }
    ImportTally tally = new ImportTally();
    ProgressBar progress = new ProgressBar(System.err, files.size(), !noProgress && System.console() != null);
    List<ChannelDirectory.PackageFile> toSend = new ArrayList<>();
    for (int from = 0; from < files.size(); from += FILES_PER_LOOKUP) {
      List<ChannelDirectory.PackageFile> slice = files.subList(from, Math.min(files.size(), from + FILES_PER_LOOKUP));
      Map<String, JsonNode> present = lookup(api, slice);
      for (ChannelDirectory.PackageFile f : slice) {
        JsonNode there = present.get(f.entryName());
        if (there == null) {
          toSend.add(f);
        } else if (there.path("size").asLong() == f.size()
            && there.path("sha256").asText().equals(ChannelDirectory.sha256(f.path()))) {
          tally.addSkipped();
        } else {
          tally.addRefused(f.entryName(), "already in channel " + channel + " with other content (sha256 "
              + there.path("sha256").asText() + "); delete it first to import this one");
        }
      }
      progress.update(tally);
    }
    String failure = null;
    for (int from = 0; from < toSend.size() && failure == null; from += FILES_PER_REQUEST) {
      failure = send(api, toSend.subList(from, Math.min(toSend.size(), from + FILES_PER_REQUEST)), tally, progress);
    }
    return finish(tally, progress, failure);
  }

  private static int finish(ImportTally tally, ProgressBar progress, String failure) {
    progress.finish(tally);
    printSummary(tally.imported(), tally.skipped(), tally.refused().size(), tally.refused());
    if (failure != null) {
      System.err.println("error: " + failure + " (run the same import again to go on)");
    }
    return failure == null && tally.refused().isEmpty() ? 0 : 1;
  }

  /** The server reads the directory; this only shows what it reports. */
  private int importOnServer(ApiClient api) {
    ImportTally tally = new ImportTally();
    ProgressBar progress = new ProgressBar(System.err, 0, !noProgress && System.console() != null);
    String path = "/api/channels/" + ApiClient.enc(channel) + "/import/directory"
        + (label == null ? "" : "?label=" + ApiClient.enc(label));
    String[] failure = new String[1];
    boolean[] complete = new boolean[1];
    try {
      api.postStreaming(path, Map.of("directory", dir), line -> settle(line, tally, progress, failure, complete));
    } catch (CliException e) {
      if (tally.settled() == 0 && !complete[0]) {
        throw e; // refused before anything was read: the server's message is the whole story
      }
      failure[0] = e.getMessage();
    }
    if (failure[0] == null && !complete[0]) {
      failure[0] = "the server's answer ended early";
    }
    return finish(tally, progress, failure[0]);
  }

  /** The server reads the directory in a job; this follows the job, or only names it with --detach. */
  private int importInBackground(ApiClient api) {
    String path = "/api/channels/" + ApiClient.enc(channel) + "/import/directory"
        + (label == null ? "" : "?label=" + ApiClient.enc(label));
    long id = api.post(path, Map.of("directory", dir, "background", true)).path("id").asLong();
    if (detach) {
      System.out.println(id);
      System.err.println("job " + id + " queued; follow it with: wharf job show " + id + " --wait");
      return 0;
    }
    System.err.println("importing as job " + id + " (it goes on if this command stops; follow it with 'wharf job show "
        + id + " --wait')");
    JsonNode done = JobWatch.follow(api, id, System.err, !noProgress && System.console() != null);
    if (done.path("state").asText().equals("failed")) {
      JsonNode p = done.path("progress");
      throw new CliException("import failed (job " + id + "): " + done.path("error").path("message").asText()
          + "; imported " + p.path("imported").asLong() + ", skipped " + p.path("skipped").asLong() + ", refused "
          + p.path("refused").asLong() + " before that (run the same import again to go on)");
    }
    JsonNode r = done.path("result");
    List<String> listed = new ArrayList<>();
    r.path("refusals").forEach(x -> listed.add(x.path("path").asText() + ": " + x.path("message").asText() + " ("
        + x.path("error").asText() + ")"));
    printSummary(r.path("imported").asLong(), r.path("skipped").asLong(), r.path("refused").asLong(), listed);
    return r.path("refused").asLong() == 0 ? 0 : 1;
  }

  /** The summary line, then one line per refused file listed ("subdir/filename: reason"), and how many more. */
  private static void printSummary(long imported, long skipped, long refused, List<String> listed) {
    System.out.println("imported " + imported + ", skipped " + skipped + " (already present), refused " + refused);
    listed.forEach(l -> System.err.println("refused " + l));
    if (refused > listed.size()) {
      System.err.println("... and " + (refused - listed.size()) + " more refused");
    }
  }

  /** One line of an import's answer. */
  private static void settle(JsonNode line, ImportTally tally, ProgressBar progress, String[] failure,
      boolean[] complete) {
    if (line.has("total")) {
      progress.total(line.path("total").asInt());
    } else if (line.has("path")) {
      switch (line.path("status").asText()) {
        case "imported" -> tally.addImported();
        case "skipped" -> tally.addSkipped();
        default -> tally.addRefused(line.path("path").asText(), line.path("message").asText()
            + " (" + line.path("error").asText() + ")");
      }
      progress.update(tally);
    } else if (line.has("summary")) {
      complete[0] = line.path("summary").path("complete").asBoolean();
    } else if (line.has("error")) {
      failure[0] = line.path("message").asText();
    }
  }

  private Map<String, JsonNode> lookup(ApiClient api, List<ChannelDirectory.PackageFile> slice) {
    List<Map<String, String>> asked = new ArrayList<>();
    slice.forEach(f -> asked.add(Map.of("subdir", f.subdir(), "filename", f.filename())));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("label", label);
    body.put("files", asked);
    JsonNode answer = api.post("/api/channels/" + ApiClient.enc(channel) + "/files/lookup", body);
    Map<String, JsonNode> present = new HashMap<>();
    answer.path("present").forEach(p -> present.put(p.path("subdir").asText() + "/" + p.path("filename").asText(), p));
    return present;
  }

  /** One import request; returns why the import stopped early, or null. */
  private String send(ApiClient api, List<ChannelDirectory.PackageFile> batch, ImportTally tally,
      ProgressBar progress) {
    TarSender sender = new TarSender(batch);
    String[] failure = new String[1];
    boolean[] complete = new boolean[1];
    String path = "/api/channels/" + ApiClient.enc(channel) + "/import"
        + (label == null ? "" : "?label=" + ApiClient.enc(label));
    try {
      api.postStreaming(path, "application/x-tar", sender::open,
          line -> settle(line, tally, progress, failure, complete));
    } catch (CliException e) {
      failure[0] = e.getMessage();
    } finally {
      sender.stop();
    }
    if (sender.failure() != null) {
      return "reading the files failed: " + sender.failure().getMessage();
    }
    if (failure[0] == null && !complete[0]) {
      return "the server's answer ended early";
    }
    return failure[0];
  }
}
