package io.wharf.server.pkg;

import io.wharf.server.channel.Channel;
import io.wharf.server.channel.ChannelLocation;
import io.wharf.server.channel.ChannelService;
import io.wharf.server.db.Database;
import io.wharf.server.error.WharfException;
import io.wharf.server.events.Events;
import io.wharf.server.events.FileBatch;
import io.wharf.server.history.Actor;
import io.wharf.server.pkg.Transfer.Mode;
import io.wharf.server.trust.RecordSigner;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Copies, moves and removes package files between channels and labels, many at a time. Each request is
 * one transaction ({@link JdbcPackageTransfers}); once it committed, its changes go to the publisher as
 * one {@link FileBatch}.
 */
public final class PackageTransfers {
  /** Items in one request: enough for any release, few enough for one transaction. */
  public static final int MAX_ITEMS = 1000;

  private final ChannelService channels;
  private final JdbcPackageTransfers transfers;
  private final Events events;

  public PackageTransfers(ChannelService channels, Database db, Events events) {
    this(channels, db, events, Clock.systemUTC());
  }

  /** Copies and moved rows are signed with {@code signer} in their new channel. */
  public PackageTransfers(ChannelService channels, Database db, Events events, RecordSigner signer) {
    this(channels, db, events, Clock.systemUTC(), signer);
  }

  PackageTransfers(ChannelService channels, Database db, Events events, Clock clock) {
    this(channels, db, events, clock, RecordSigner.NONE);
  }

  PackageTransfers(ChannelService channels, Database db, Events events, Clock clock, RecordSigner signer) {
    this.channels = channels;
    this.transfers = new JdbcPackageTransfers(db, clock, signer);
    this.events = events;
  }

  /** A request's result and the change-log entries its commit wrote (to wait for their publication). */
  public record Outcome(TransferResult result, List<Long> seqs) {}

  public Outcome copy(ChannelLocation from, ChannelLocation to, List<String> items, OnCollision onCollision,
      boolean dryRun, Actor actor) {
    return transfer(Mode.COPY, from, to, items, onCollision, dryRun, actor);
  }

  public Outcome move(ChannelLocation from, ChannelLocation to, List<String> items, OnCollision onCollision,
      boolean dryRun, Actor actor) {
    return transfer(Mode.MOVE, from, to, items, onCollision, dryRun, actor);
  }

  public Outcome remove(ChannelLocation from, List<String> items, boolean dryRun, Actor actor) {
    return transfer(Mode.REMOVE, from, null, items, OnCollision.FAIL, dryRun, actor);
  }

  private Outcome transfer(Mode mode, ChannelLocation from, ChannelLocation to, List<String> items,
      OnCollision onCollision, boolean dryRun, Actor actor) {
    if (items == null || items.isEmpty()) {
      throw WharfException.invalid("missing_items", "name at least one package, name=version or file to "
          + mode.word());
    }
    if (items.size() > MAX_ITEMS) {
      throw WharfException.invalid("too_many_items", items.size() + " items in one request; at most " + MAX_ITEMS,
          Map.of("limit", MAX_ITEMS));
    }
    List<TransferItem> parsed = items.stream().map(TransferItem::parse).toList();
    Transfer.End source = end(from);
    Transfer.End target = to == null ? null : end(to);
    if (target != null && target.channelId() == source.channelId() && target.label().equals(source.label())) {
      throw WharfException.invalid("same_location", "source and target are both " + from + "; nothing to "
          + mode.word());
    }
    JdbcPackageTransfers.Done done = transfers.run(new Transfer(mode, source, target, parsed,
        onCollision == null ? OnCollision.FAIL : onCollision, dryRun, actor));
    if (!done.stored().isEmpty() || !done.removed().isEmpty()) {
      events.publish(new FileBatch(done.stored(), done.removed()));
    }
    List<Long> seqs = java.util.stream.Stream.concat(done.stored().stream().map(e -> e.seq()),
        done.removed().stream().map(e -> e.seq())).distinct().toList();
    return new Outcome(done.result(), seqs);
  }

  private Transfer.End end(ChannelLocation at) {
    Channel c = channels.require(at.channel());
    return new Transfer.End(c.id(), at.label(), new ChannelLocation(c.name(), at.label()).toString());
  }
}
