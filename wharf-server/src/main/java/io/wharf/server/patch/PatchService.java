package io.wharf.server.patch;

import io.wharf.conda.pkg.Subdirs;
import io.wharf.conda.repodata.InvalidPatchException;
import io.wharf.conda.repodata.PatchInstructions;
import io.wharf.server.channel.Channel;
import io.wharf.server.db.Database;
import io.wharf.server.db.DuplicateKeyException;
import io.wharf.server.error.WharfException;
import io.wharf.server.events.Events;
import io.wharf.server.events.PatchesChanged;
import io.wharf.server.history.Actor;
import io.wharf.server.history.jdbc.ChannelHistory;
import io.wharf.server.index.PatchSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Repodata patch instructions of a channel, one set per subdir shared by all its labels: set, shown,
 * removed, and handed to the publisher, which applies them to each record it writes (the stored records
 * stay as uploaded). Setting or removing them republishes only the names the old or new instructions
 * mention, on every node (through the change log).
 */
public final class PatchService implements PatchSource {
  /**
   * The largest instructions accepted for one subdir. conda-forge's own run to tens of MB for its big
   * subdirs; the parsed form is held in memory for as long as the instructions are in force.
   */
  public static final long MAX_BYTES = 64L * 1024 * 1024;

  private final JdbcPatches rows;
  private final Events events;
  private final Clock clock;
  private final Map<Key, Cached> cache = new ConcurrentHashMap<>();

  private record Key(long channelId, String subdir) {}

  private record Cached(long revision, PatchInstructions instructions) {}

  /** What the API shows of a subdir's instructions. */
  public record View(String subdir, long revision, String sha256, long size, String source, String changedBy,
      long changedAt, int files, String json) {}

  public PatchService(Database db, Events events, Clock clock) {
    this.rows = new JdbcPatches(db);
    this.events = events;
    this.clock = clock;
  }

  /**
   * Sets the subdir's instructions from their JSON text (bounded by the caller to {@link #MAX_BYTES});
   * {@code source} says where they came from (a file name, or a patch package). Returns the change-log
   * entries, for a caller that waits until this node has published them.
   */
  public PatchesChanged set(Channel channel, String subdir, byte[] json, String source, Actor actor) {
    requireSubdir(subdir);
    if (json.length > MAX_BYTES) {
      throw WharfException.tooLarge("patch instructions are larger than " + MAX_BYTES + " bytes", MAX_BYTES);
    }
    PatchInstructions parsed;
    try {
      parsed = PatchInstructions.parse(json);
    } catch (InvalidPatchException e) {
      throw WharfException.invalid(e.code(), e.getMessage(), Map.of("subdir", subdir));
    }
    String text = new String(json, StandardCharsets.UTF_8);
    String sha = sha256(json);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("sha256", sha);
    details.put("size", json.length);
    if (source != null) {
      details.put("source", source);
    }
    return write(channel, subdir, parsed, text, sha, json.length, source, actor, ChannelHistory.PATCH_SET, details);
  }

  /** Removes the subdir's instructions; 404 when it has none. */
  public PatchesChanged remove(Channel channel, String subdir, Actor actor) {
    requireSubdir(subdir);
    if (rows.find(channel.id(), subdir).map(r -> r.json() == null).orElse(true)) {
      throw notFound(channel, subdir);
    }
    return write(channel, subdir, PatchInstructions.NONE, null, null, 0, null, actor, ChannelHistory.PATCH_REMOVE,
        Map.of());
  }

  private PatchesChanged write(Channel channel, String subdir, PatchInstructions next, String text, String sha,
      long size, String source, Actor actor, String action, Map<String, Object> details) {
    SortedSet<String> names = new TreeSet<>(current(channel.id(), subdir).packageNames());
    names.addAll(next.packageNames());
    for (int attempt = 1; ; attempt++) {
      try {
        PatchesChanged changed = rows.write(channel.id(), subdir, text, sha, size, source, Set.copyOf(names), actor,
            clock.millis(), action, details);
        events.publish(changed);
        return changed;
      } catch (RuntimeException e) {
        // two first writes of one subdir at once: the loser sees the winner's row on its next attempt
        if (attempt >= 3 || !DuplicateKeyException.isUniqueViolation(e)) {
          throw e;
        }
      }
    }
  }

  public Optional<View> show(Channel channel, String subdir) {
    return rows.find(channel.id(), subdir).filter(r -> r.json() != null).map(this::view);
  }

  public View require(Channel channel, String subdir) {
    return show(channel, subdir).orElseThrow(() -> notFound(channel, subdir));
  }

  public List<View> list(Channel channel) {
    return rows.list(channel.id()).stream().map(this::view).toList();
  }

  private View view(JdbcPatches.Row r) {
    return new View(r.subdir(), r.revision(), r.sha256(), r.size(), r.source(), r.changedBy(), r.changedAt(),
        instructions(r).size(), r.json());
  }

  /**
   * The fields the channel's instructions change in this record as published, with {@code "removed"} for
   * a record they take out; empty for a record they leave alone.
   */
  public SortedSet<String> changedFields(long channelId, String subdir, String filename, String recordJson) {
    return changedFields(current(channelId, subdir), filename, recordJson);
  }

  /** As above with instructions at hand (a page of many files reads each subdir's once). */
  public static SortedSet<String> changedFields(PatchInstructions instructions, String filename, String recordJson) {
    PatchInstructions.Patched p = instructions.apply(filename, recordJson);
    return p.removed() ? new TreeSet<>(Set.of("removed")) : p.changedFields();
  }

  /** One small read of the revision; the instructions are parsed again only when it moved. */
  @Override
  public PatchInstructions current(long channelId, String subdir) {
    Key key = new Key(channelId, subdir);
    long revision = rows.revision(channelId, subdir);
    Cached c = cache.get(key);
    if (c != null && c.revision() == revision) {
      return c.instructions();
    }
    PatchInstructions p = revision == 0 ? PatchInstructions.NONE
        : rows.find(channelId, subdir).map(this::instructions).orElse(PatchInstructions.NONE);
    cache.put(key, new Cached(revision, p));
    return p;
  }

  private PatchInstructions instructions(JdbcPatches.Row r) {
    if (r.json() == null) {
      return PatchInstructions.NONE;
    }
    Cached c = cache.get(new Key(r.channelId(), r.subdir()));
    if (c != null && c.revision() == r.revision()) {
      return c.instructions();
    }
    return PatchInstructions.parseStored(r.json().getBytes(StandardCharsets.UTF_8));
  }

  private static void requireSubdir(String subdir) {
    if (!Subdirs.isKnown(subdir)) {
      throw WharfException.invalid("unknown_subdir", "'" + subdir + "' is not a known subdir",
          Map.of("subdir", subdir));
    }
  }

  private static WharfException notFound(Channel channel, String subdir) {
    return WharfException.notFound("no_patches",
        "channel '" + channel.name() + "' has no patch instructions for " + subdir);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
