package io.wharf.server.pkg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.server.channel.Channel;
import io.wharf.server.error.WharfException;
import io.wharf.server.history.Actor;
import io.wharf.server.jobs.JobContext;
import io.wharf.server.jobs.JobHandler;
import io.wharf.server.jobs.LeaseLostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A server-side import of a channel directory as a background job, so that it goes on when the client that
 * asked goes away. Counters: {@code files} settled of {@code files_total} found, and of those {@code imported},
 * {@code skipped} (already in the channel) and {@code refused}. Phases: waiting (for one of the node's import
 * slots), reading, publishing. The result is the summary with the first {@link #LISTED_REFUSALS} refusals and
 * their reasons. Taken over by another node after its node stopped, it runs the import again, which skips
 * the files already stored; that node must see the directory at the same path, below its own
 * {@code import.directories}, or the job fails saying so.
 */
public final class DirectoryImportJob implements JobHandler {
  public static final String KIND = "directory-import";
  static final int LISTED_REFUSALS = 1_000;
  private static final long SLOT_POLL_MILLIS = 500;

  private final ImportService imports;
  private final BiConsumer<ImportService.Run, ImportService.Summary> awaitServed;

  /**
   * {@code awaitServed} waits, within its own bound, until this node serves and finds what a run imported and
   * has published the run's label, as an import's answer does before its summary.
   */
  public DirectoryImportJob(ImportService imports, BiConsumer<ImportService.Run, ImportService.Summary> awaitServed) {
    this.imports = imports;
    this.awaitServed = awaitServed;
  }

  @Override
  public String kind() {
    return KIND;
  }

  /** Parameters of an import of {@code directory} (as {@link ImportService#allowedDirectory} returned it). */
  public static ObjectNode params(Channel channel, String label, Path directory, Actor actor) {
    ObjectNode p = JsonNodeFactory.instance.objectNode()
        .put("channel", channel.name())
        .put("channel_id", channel.id())
        .put("directory", directory.toString())
        .put("actor", actor.name());
    if (label != null) {
      p.put("label", label);
    }
    if (actor.address() != null) {
      p.put("actor_address", actor.address());
    }
    return p;
  }

  /** The key that keeps one queued or running import of a directory into one channel location, across nodes. */
  public static String singletonKey(Channel channel, String label, Path directory) {
    return KIND + ":" + channel.id() + ":" + (label == null ? "" : label) + ":" + directory;
  }

  @Override
  public Map<String, Object> run(JobContext job) throws InterruptedException {
    JsonNode p = job.params();
    String channelName = p.path("channel").asText();
    String label = p.hasNonNull("label") ? p.get("label").asText() : null;
    Path dir = imports.allowedDirectory(p.path("directory").asText());
    Actor actor = new Actor(p.path("actor").asText("system"),
        p.hasNonNull("actor_address") ? p.get("actor_address").asText() : null);
    for (String counter : new String[] {"files", "files_total", "imported", "skipped", "refused"}) {
      job.set(counter, 0);
    }
    List<Map<String, Object>> refusals = new ArrayList<>();
    job.phase("waiting");
    try (ImportService.Run run = slot(job, channelName, label, actor)) {
      if (run.channel().id() != p.path("channel_id").asLong()) {
        throw WharfException.notFound("channel_not_found", "channel " + channelName + " was deleted before the import"
            + " ran (a channel of that name was made since)");
      }
      job.phase("reading");
      ImportService.Summary summary = run.importDirectory(dir, n -> job.set("files_total", n),
          o -> settled(job, o, refusals), () -> goOn(job));
      job.check(); // an import cut short because this node lost the job is not this node's outcome to record
      if (summary.failure() != null) {
        throw summary.failure();
      }
      job.phase("publishing");
      awaitServed.accept(run, summary);
      job.phase("done");
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("channel", run.channel().name());
      result.put("label", run.label());
      result.put("directory", dir.toString());
      result.put("imported", summary.imported());
      result.put("skipped", summary.skipped());
      result.put("refused", summary.refused());
      synchronized (refusals) {
        result.put("refusals", List.copyOf(refusals));
      }
      result.put("refusals_not_listed", Math.max(0, summary.refused() - LISTED_REFUSALS));
      return result;
    }
  }

  // one of this node's import slots, waited for as long as the job is this node's
  private ImportService.Run slot(JobContext job, String channelName, String label, Actor actor)
      throws InterruptedException {
    while (true) {
      try {
        return imports.start(channelName, label, actor);
      } catch (WharfException e) {
        if (!e.code().equals("import_busy")) {
          throw e;
        }
      }
      job.check();
      Thread.sleep(SLOT_POLL_MILLIS);
    }
  }

  private static void settled(JobContext job, ImportService.Outcome o, List<Map<String, Object>> refusals) {
    try {
      job.add("files", 1);
      job.add(o.status().name().toLowerCase(Locale.ROOT), 1);
    } catch (LeaseLostException lost) {
      // told after the file's commit: the import stops at the next file instead (goOn)
    }
    if (o.status() == ImportService.Status.REFUSED) {
      synchronized (refusals) {
        if (refusals.size() < LISTED_REFUSALS) {
          Map<String, Object> r = new LinkedHashMap<>();
          r.put("path", o.path());
          r.put("error", o.code());
          r.put("message", o.message());
          refusals.add(r);
        }
      }
    }
  }

  private static boolean goOn(JobContext job) {
    try {
      job.check();
      return true;
    } catch (LeaseLostException lost) {
      return false;
    }
  }
}
