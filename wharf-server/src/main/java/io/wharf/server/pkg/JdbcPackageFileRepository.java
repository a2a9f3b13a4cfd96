package io.wharf.server.pkg;

import io.wharf.server.db.Database;
import io.wharf.server.db.Dialect;
import io.wharf.server.db.DigestIndexes;
import io.wharf.server.db.DuplicateKeyException;
import io.wharf.server.db.TransactionPart;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import io.wharf.server.changes.Change;
import io.wharf.server.changes.JdbcChangeLog;
import io.wharf.server.history.Actor;
import io.wharf.server.history.jdbc.ChannelHistory;
import io.wharf.server.trust.RecordSigner;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.StatementContext;

public final class JdbcPackageFileRepository implements PackageFileRepository {
  /** An import batch's history entry names at most this many of its files (and counts them all). */
  static final int IMPORT_DETAIL_FILES = 50;
  static final String COLUMNS = "id, channel_id, label, subdir, filename, name, version, build,"
      + " build_number, md5, sha256, size, blob_key, uploaded_at, record_json, index_json, about_json,"
      + " run_exports_json, paths_flags_json, signatures_json";
  private static final String FILE_COLUMNS = "f." + COLUMNS.replace(", ", ", f.");
  private static final String AT_LOCATION =
      " WHERE channel_id = :channelId AND label = :label AND subdir = :subdir AND filename = :filename";
  // Replacing inserts of one location take turns (see insert), but a plain insert does not queue with
  // them and can slip in between a replacing insert's lookup and its insert; the retry replaces it.
  private static final int REPLACE_ATTEMPTS = 3;
  private static final int LOCATE_SLICE = 500;

  private final Jdbi jdbi;
  private final Dialect dialect;
  private final Clock clock;
  private final RecordSigner signer;

  public JdbcPackageFileRepository(Database db) {
    this(db, Clock.systemUTC());
  }

  public JdbcPackageFileRepository(Database db, Clock clock) {
    this(db, clock, RecordSigner.NONE);
  }

  /** Rows are signed with {@code signer} as they are inserted (unsigned with {@link RecordSigner#NONE}). */
  public JdbcPackageFileRepository(Database db, Clock clock, RecordSigner signer) {
    this.jdbi = db.jdbi();
    this.dialect = db.dialect();
    this.clock = clock;
    this.signer = signer;
  }

  @Override
  public Inserted insert(NewPackageFile file, boolean replace, Actor actor) {
    Objects.requireNonNull(file, "file");
    return withRetries(replace, file.label() + "/" + file.subdir() + "/" + file.filename() + " already exists in channel "
        + file.channelId(), () -> jdbi.inTransaction(h -> write(h, file, replace, actor)));
  }

  @Override
  public List<Inserted> replaceAll(List<NewPackageFile> batch, Actor actor, TransactionPart alongside) {
    if (batch.isEmpty()) {
      write(alongside);
      return List.of();
    }
    return withRetries(true, "a file of the batch already exists", () -> transaction(alongside, h -> {
      List<Inserted> out = new java.util.ArrayList<>(batch.size());
      for (NewPackageFile file : batch) {
        out.add(write(h, file, true, actor));
      }
      alongside.write(h);
      return out;
    }));
  }

  @Override
  public void write(TransactionPart part) {
    if (part != TransactionPart.NONE) {
      transaction(part, h -> {
        part.write(h);
        return null;
      });
    }
  }

  /** A transaction that {@code part} joins: forced to disk at commit unless the part says it need not be. */
  private <T> T transaction(TransactionPart part, org.jdbi.v3.core.HandleCallback<T, RuntimeException> work) {
    return part.forced() ? jdbi.inTransaction(work) : dialect.inUnforcedTransaction(jdbi, work);
  }

  /**
   * Runs a write, again when a replacing one collided with a concurrent writer of the same location
   * (see {@link #write}); a non-replacing one that collides throws {@link DuplicateKeyException}.
   */
  private <T> T withRetries(boolean replace, String taken, java.util.function.Supplier<T> write) {
    for (int attempt = 1; ; attempt++) {
      try {
        return write.get();
      } catch (JdbiException e) {
        if (!DuplicateKeyException.isUniqueViolation(e)) {
          throw e;
        }
        if (!replace || attempt == REPLACE_ATTEMPTS) {
          throw new DuplicateKeyException(taken, e);
        }
      }
    }
  }

  /** Writes one file in the caller's transaction: the row, its dependency rows, a change-log entry, history. */
  private Inserted write(Handle h, NewPackageFile file, boolean replace, Actor actor) {
    Optional<PackageFile> old = Optional.empty();
    if (replace) {
      // Without this, concurrent replacements on PostgreSQL (READ COMMITTED) all find the same
      // old row, and all but one then collide on insert.
      dialect.lockForTransaction(h, "package_files/" + file.channelId() + "/" + file.label() + "/"
          + file.subdir() + "/" + file.filename());
      old = find(h, file.channelId(), file.label(), file.subdir(), file.filename());
      if (old.isPresent()) {
        h.createUpdate("DELETE FROM package_files WHERE id = :id").bind("id", old.get().id()).execute();
      }
    }
    PackageFile stored = insertRow(h, file);
    JdbcPackageFileRows.unmarkGarbage(h, List.of(file.blobKey()));
    // In the same transaction, so the rows always describe the stored record; the replaced
    // file's rows went with it (ON DELETE CASCADE).
    JdbcPackageFileRows.insertDependencies(h, List.of(stored));
    raiseRevision(h, file.channelId());
    old.ifPresent(o -> markIfUnreferenced(h, o.blobKey()));
    long seq = JdbcChangeLog.append(h, dialect, Change.Kind.FILES, file.channelId(), file.label(),
        file.subdir(), file.name(), clock.millis());
    ChannelHistory.record(h, file.channelId(), actor, old.isPresent() ? ChannelHistory.REPLACE
        : ChannelHistory.UPLOAD, fileDetails(stored), stored.uploadedAt().toEpochMilli());
    return new Inserted(stored, old, seq);
  }

  @Override
  public List<Inserted> insertAll(List<NewPackageFile> batch, Actor actor, TransactionPart alongside) {
    if (batch.isEmpty()) {
      write(alongside);
      return List.of();
    }
    long channelId = batch.get(0).channelId();
    if (batch.stream().anyMatch(f -> f.channelId() != channelId)) {
      throw new IllegalArgumentException("a batch holds files of one channel");
    }
    try {
      return transaction(alongside, h -> {
        List<PackageFile> stored = insertRows(h, channelId, batch);
        JdbcPackageFileRows.insertDependencies(h, stored, i -> batch.get(i).dependencyRows());
        JdbcPackageFileRows.unmarkGarbage(h, stored.stream().map(PackageFile::blobKey).toList());
        raiseRevision(h, channelId);
        ChannelHistory.record(h, channelId, actor, ChannelHistory.IMPORT, importDetails(stored), clock.millis());
        java.util.Map<List<String>, Long> seqs = new java.util.HashMap<>();
        List<Inserted> out = new java.util.ArrayList<>(batch.size());
        for (PackageFile row : stored) {
          long seq = seqs.computeIfAbsent(List.of(row.label(), row.subdir(), row.name()), k -> JdbcChangeLog.append(
              h, dialect, Change.Kind.FILES, channelId, row.label(), row.subdir(), row.name(), clock.millis()));
          out.add(new Inserted(row, Optional.empty(), seq));
        }
        alongside.write(h);
        return out;
      });
    } catch (JdbiException e) {
      if (DuplicateKeyException.isUniqueViolation(e)) {
        throw new DuplicateKeyException("a file of the batch already exists in channel " + channelId, e);
      }
      throw e;
    }
  }

  @Override
  public List<Located> locate(long channelId, String label, String subdir, java.util.Collection<String> filenames) {
    List<String> names = List.copyOf(new java.util.LinkedHashSet<>(filenames));
    List<Located> out = new java.util.ArrayList<>();
    // in slices, well below the bound-parameter limits of both engines; bound by position, as every batch of
    // a bulk writer asks this
    jdbi.useHandle(h -> io.wharf.server.db.JdbcBatch.selectIn(h, "SELECT filename, sha256, size FROM package_files"
        + " WHERE channel_id = ? AND label = ? AND subdir = ? AND filename IN (<in>)", s -> {
          s.setLong(1, channelId);
          s.setString(2, label);
          s.setString(3, subdir);
        }, 3, names, LOCATE_SLICE,
        rs -> out.add(new Located(subdir, rs.getString(1), rs.getString(2), rs.getLong(3)))));
    return out;
  }

  /** What the history says of an import batch: how many files, and the first of them by location. */
  private static java.util.Map<String, Object> importDetails(List<PackageFile> stored) {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("count", stored.size());
    m.put("files", stored.stream().limit(IMPORT_DETAIL_FILES).map(JdbcPackageFileRepository::fileDetails).toList());
    return m;
  }

  /** What the history says of one file. */
  static java.util.Map<String, Object> fileDetails(PackageFile f) {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("label", f.label());
    m.put("subdir", f.subdir());
    m.put("filename", f.filename());
    m.put("sha256", f.sha256());
    m.put("size", f.size());
    return m;
  }

  private PackageFile insertRow(Handle h, NewPackageFile f) {
    long uploadedAt = clock.millis();
    // the record is signed as it is stored; without keys here, an upstream's signatures are kept as given
    String signatures = signer.active() ? signer.sign(f.recordJson()) : f.signaturesJson();
    PackageFile row = stored(0, f, uploadedAt, signatures);
    long id = JdbcPackageFileRows.insert(h, row);
    if (f.contentsJson() != null) {
      keepContents(h, f.sha256(), f.contentsJson());
    }
    return stored(id, f, uploadedAt, signatures);
  }

  /** The row {@code f} is stored as, under {@code id}. */
  private static PackageFile stored(long id, NewPackageFile f, long uploadedAt, String signatures) {
    return new PackageFile(id, f.channelId(), f.label(), f.subdir(), f.filename(), f.name(), f.version(),
        f.build(), f.buildNumber(), f.md5(), f.sha256(), f.size(), f.blobKey(), Instant.ofEpochMilli(uploadedAt),
        f.recordJson(), f.indexJson(), f.aboutJson(), f.runExportsJson(), f.pathsFlagsJson(), signatures);
  }

  /**
   * The batch's rows written with one prepared batch per table (a statement per row costs most of a large
   * import or mirror run); their ids are read back by location, since not every driver returns the keys
   * a batch generated.
   */
  private List<PackageFile> insertRows(Handle h, long channelId, List<NewPackageFile> batch) {
    long uploadedAt = clock.millis();
    List<PackageFile> rows = new java.util.ArrayList<>(batch.size());
    List<JdbcPackageFileRows.Contents> contents = new java.util.ArrayList<>();
    for (NewPackageFile f : batch) {
      // the record is signed as it is stored; without keys here, an upstream's signatures are kept as given
      String signed = signer.active() ? signer.sign(f.recordJson()) : f.signaturesJson();
      rows.add(stored(0, f, uploadedAt, signed));
      if (f.contentsJson() != null) {
        contents.add(new JdbcPackageFileRows.Contents(f.sha256(), f.contentsJson()));
      }
    }
    JdbcPackageFileRows.insertAll(h, rows);
    if (!contents.isEmpty()) {
      JdbcPackageFileRows.keepContents(h, contents);
    }
    // read back by location, with label and subdir, so that the unique index answers: by channel and
    // filename alone the query scanned every row of the channel, once per batch
    java.util.Map<String, Long> ids = new java.util.HashMap<>();
    java.util.Map<List<String>, List<String>> byLocation = new java.util.LinkedHashMap<>();
    for (NewPackageFile f : batch) {
      byLocation.computeIfAbsent(List.of(f.label(), f.subdir()), k -> new java.util.ArrayList<>()).add(f.filename());
    }
    for (java.util.Map.Entry<List<String>, List<String>> loc : byLocation.entrySet()) {
      List<String> filenames = loc.getValue().stream().distinct().toList();
      String label = loc.getKey().get(0);
      String subdir = loc.getKey().get(1);
      // bound by position on one prepared statement (see JdbcBatch.selectIn): thousands of rows a batch
      io.wharf.server.db.JdbcBatch.selectIn(h, "SELECT id, filename FROM package_files WHERE channel_id = ?"
          + " AND label = ? AND subdir = ? AND filename IN (<in>)", st -> {
            st.setLong(1, channelId);
            st.setString(2, label);
            st.setString(3, subdir);
          }, 3, filenames, LOCATE_SLICE, rs -> ids.put(label + "/" + subdir + "/" + rs.getString(2), rs.getLong(1)));
    }
    List<PackageFile> stored = new java.util.ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      NewPackageFile f = batch.get(i);
      long id = ids.get(f.label() + "/" + f.subdir() + "/" + f.filename());
      stored.add(stored(id, f, uploadedAt, rows.get(i).signaturesJson()));
    }
    return stored;
  }

  private static void keepContents(Handle h, String sha256, String contentsJson) {
    JdbcPackageFileRows.keepContents(h, List.of(new JdbcPackageFileRows.Contents(sha256, contentsJson)));
  }

  @Override
  public Optional<String> contents(String sha256) {
    return jdbi.withHandle(h -> h.createQuery("SELECT paths_json FROM package_contents WHERE sha256 = :sha256")
        .bind("sha256", sha256).mapTo(String.class).findOne());
  }

  @Override
  public void keepContents(String sha256, String contentsJson) {
    jdbi.useHandle(h -> keepContents(h, sha256, contentsJson));
  }

  @Override
  public void completeContents(String sha256, String contentsJson) {
    jdbi.useHandle(h -> h.createUpdate("INSERT INTO package_contents (sha256, paths_json) VALUES (:sha256, :json)"
            + " ON CONFLICT (sha256) DO UPDATE SET paths_json = excluded.paths_json")
        .bind("sha256", sha256).bind("json", contentsJson).execute());
  }

  @Override
  public Optional<PackageFile> find(long channelId, String label, String subdir, String filename) {
    return jdbi.withHandle(h -> find(h, channelId, label, subdir, filename));
  }

  private static Optional<PackageFile> find(Handle h, long channelId, String label, String subdir, String filename) {
    return h.createQuery("SELECT " + COLUMNS + " FROM package_files" + AT_LOCATION)
        .bind("channelId", channelId)
        .bind("label", label)
        .bind("subdir", subdir)
        .bind("filename", filename)
        .map(JdbcPackageFileRepository::map)
        .findOne();
  }

  @Override
  public List<PackageFile> listSubdir(long channelId, String label, String subdir) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM package_files"
            + " WHERE channel_id = :channelId AND label = :label AND subdir = :subdir"
            + " ORDER BY " + order("filename"))
        .bind("channelId", channelId)
        .bind("label", label)
        .bind("subdir", subdir)
        .map(JdbcPackageFileRepository::map)
        .list());
  }

  @Override
  public List<PackageFile> listChannel(long channelId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM package_files"
            + " WHERE channel_id = :channelId ORDER BY " + order("name", "subdir", "filename", "label"))
        .bind("channelId", channelId)
        .map(JdbcPackageFileRepository::map)
        .list());
  }

  @Override
  public List<PackageFile> recent(Set<Long> channelIds, int limit) {
    if (channelIds.isEmpty() || limit < 1) {
      return List.of();
    }
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM package_files"
            + " WHERE channel_id IN (<channelIds>) ORDER BY uploaded_at DESC, id DESC LIMIT :limit")
        .bindList("channelIds", List.copyOf(channelIds))
        .bind("limit", limit)
        .map(JdbcPackageFileRepository::map)
        .list());
  }

  @Override
  public java.util.Map<String, List<PackageFile>> listByNames(long channelId, java.util.Collection<String> names) {
    java.util.Map<String, List<PackageFile>> out = new java.util.LinkedHashMap<>();
    names.forEach(n -> out.put(n, new java.util.ArrayList<>()));
    List<String> all = List.copyOf(out.keySet());
    // one query per slice instead of one per name (the (channel_id, name) index serves both)
    for (int from = 0; from < all.size(); from += LOCATE_SLICE) {
      List<String> slice = all.subList(from, Math.min(all.size(), from + LOCATE_SLICE));
      jdbi.useHandle(h -> h.createQuery("SELECT " + COLUMNS
              + " FROM package_files WHERE channel_id = :channelId AND name IN (<names>)")
          .bind("channelId", channelId)
          .bindList("names", io.wharf.server.db.InLists.padded(slice))
          .map(JdbcPackageFileRepository::map)
          .forEach(f -> out.get(f.name()).add(f)));
    }
    out.values().forEach(rows -> rows.sort(java.util.Comparator.comparing(PackageFile::label)
        .thenComparing(PackageFile::subdir).thenComparing(PackageFile::filename)));
    return out;
  }

  @Override
  public List<PackageFile> listAt(long channelId, String label, String subdir,
      java.util.Collection<String> filenames) {
    List<String> names = List.copyOf(new java.util.LinkedHashSet<>(filenames));
    List<PackageFile> out = new java.util.ArrayList<>();
    for (int from = 0; from < names.size(); from += LOCATE_SLICE) {
      List<String> slice = names.subList(from, Math.min(names.size(), from + LOCATE_SLICE));
      out.addAll(jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM package_files"
              + " WHERE channel_id = :channelId AND label = :label AND subdir = :subdir AND filename IN (<names>)")
          .bind("channelId", channelId).bind("label", label).bind("subdir", subdir)
          .bindList("names", io.wharf.server.db.InLists.padded(slice))
          .map(JdbcPackageFileRepository::map)
          .list()));
    }
    return out;
  }

  @Override
  public List<PackageFile> listByNameAndVersion(long channelId, String name, String version) {
    // served by package_files_name_version (V39)
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
            + " FROM package_files WHERE channel_id = :channelId AND name = :name AND version = :version")
        .bind("channelId", channelId)
        .bind("name", name)
        .bind("version", version)
        .map(JdbcPackageFileRepository::map)
        .list());
  }

  @Override
  public java.util.Map<String, Long> countByNames(long channelId, java.util.Collection<String> names) {
    java.util.Map<String, Long> out = new java.util.HashMap<>();
    List<String> all = List.copyOf(new java.util.LinkedHashSet<>(names));
    // counted from the (channel_id, name) index alone, without reading a row
    for (int from = 0; from < all.size(); from += LOCATE_SLICE) {
      List<String> slice = all.subList(from, Math.min(all.size(), from + LOCATE_SLICE));
      jdbi.useHandle(h -> h.createQuery("SELECT name, COUNT(*) AS n FROM package_files"
              + " WHERE channel_id = :channelId AND name IN (<names>) GROUP BY name")
          .bind("channelId", channelId)
          .bindList("names", io.wharf.server.db.InLists.padded(slice))
          .map((rs, ctx) -> java.util.Map.entry(rs.getString("name"), rs.getLong("n")))
          .forEach(e -> out.put(e.getKey(), e.getValue())));
    }
    return out;
  }

  @Override
  public List<PackageFile> listByName(long channelId, String name) {
    // Sorted here, not by ORDER BY: SQLite (no statistics) would otherwise read the rows through the
    // index whose order matches, package_files_location, i.e. the whole channel, instead of the
    // (channel_id, name) index; a name's rows are few.
    List<PackageFile> rows = new java.util.ArrayList<>(jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
            + " FROM package_files WHERE channel_id = :channelId AND name = :name")
        .bind("channelId", channelId)
        .bind("name", name)
        .map(JdbcPackageFileRepository::map)
        .list()));
    rows.sort(java.util.Comparator.comparing(PackageFile::label).thenComparing(PackageFile::subdir)
        .thenComparing(PackageFile::filename));
    return rows;
  }

  @Override
  public List<String> subdirs(long channelId, String label) {
    // GROUP BY rather than DISTINCT: PostgreSQL only sorts DISTINCT results by selected expressions,
    // and the collated sort key is not one.
    return jdbi.withHandle(h -> h.createQuery("SELECT subdir FROM package_files"
            + " WHERE channel_id = :channelId AND label = :label GROUP BY subdir ORDER BY " + order("subdir"))
        .bind("channelId", channelId)
        .bind("label", label)
        .mapTo(String.class)
        .list());
  }

  @Override
  public List<String> labels(long channelId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT label FROM package_files"
            + " WHERE channel_id = :channelId GROUP BY label ORDER BY " + order("label"))
        .bind("channelId", channelId)
        .mapTo(String.class)
        .list());
  }

  @Override
  public List<PackageNameSummary> packageNames(long channelId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT name, COUNT(*) AS file_count, MAX(uploaded_at) AS last_upload"
            + " FROM package_files WHERE channel_id = :channelId GROUP BY name ORDER BY " + order("name"))
        .bind("channelId", channelId)
        .map((rs, ctx) -> new PackageNameSummary(rs.getString("name"), rs.getLong("file_count"),
            Instant.ofEpochMilli(rs.getLong("last_upload"))))
        .list());
  }

  @Override
  public List<DependantRow> dependants(String depName, Set<Long> channelIds) {
    if (channelIds.isEmpty()) {
      return List.of();
    }
    return jdbi.withHandle(h -> h.createQuery("SELECT " + FILE_COLUMNS + ", d.kind, d.spec"
            + " FROM package_dependencies d JOIN package_files f ON f.id = d.file_id"
            + " WHERE d.dep_name = :depName AND d.channel_id IN (<channelIds>)"
            + " ORDER BY " + order("f.name", "f.subdir", "f.filename", "f.label") + ", f.channel_id,"
            + " CASE d.kind WHEN 'depends' THEN 0 ELSE 1 END, d.position")
        .bind("depName", depName.toLowerCase(Locale.ROOT))
        .bindList("channelIds", List.copyOf(channelIds))
        .map((rs, ctx) -> new DependantRow(map(rs, ctx), rs.getString("kind"), rs.getString("spec")))
        .list());
  }

  @Override
  public OptionalLong delete(long id, Actor actor) {
    return jdbi.inTransaction(h -> {
      Optional<PackageFile> row = h.createQuery("SELECT " + COLUMNS + " FROM package_files WHERE id = :id")
          .bind("id", id).map(JdbcPackageFileRepository::map).findOne();
      if (row.isEmpty()) {
        return OptionalLong.empty();
      }
      PackageFile f = row.get();
      if (h.createUpdate("DELETE FROM package_files WHERE id = :id").bind("id", id).execute() == 0) {
        return OptionalLong.empty();
      }
      raiseRevision(h, f.channelId());
      markIfUnreferenced(h, f.blobKey());
      long now = clock.millis();
      ChannelHistory.record(h, f.channelId(), actor, ChannelHistory.DELETE, fileDetails(f), now);
      return OptionalLong.of(JdbcChangeLog.append(h, dialect, Change.Kind.FILES, f.channelId(), f.label(),
          f.subdir(), f.name(), now));
    });
  }

  /**
   * Records, in the transaction that removed a row, that its blob may have lost its last user; the
   * sweeper deletes it a grace period later if still no row refers to it.
   */
  private void markIfUnreferenced(Handle h, String blobKey) {
    markIfUnreferenced(h, blobKey, clock.millis());
  }

  /** Whether any row uses the blob bound to {@code :key}. */
  static final String BLOB_USED = "SELECT 1 FROM package_files WHERE " + DigestIndexes.BLOB_KEY.is("blob_key", ":key")
      + " LIMIT 1";

  private static boolean blobUsed(Handle h, String key) {
    return h.createQuery(BLOB_USED).bind("key", key).mapTo(Integer.class).findOne().isPresent();
  }

  static void markIfUnreferenced(Handle h, String blobKey, long now) {
    if (!blobUsed(h, blobKey)) {
      JdbcPackageFileRows.unmarkGarbage(h, List.of(blobKey));
      h.createUpdate("INSERT INTO blob_garbage (blob_key, marked_at) VALUES (:key, :now)")
          .bind("key", blobKey).bind("now", now).execute();
    }
  }

  @Override
  public List<PublishRow> publishRows(long channelId, String label, String subdir, String name) {
    return jdbi.withHandle(h -> h.createQuery(PUBLISH_SELECT + " AND name = :name ORDER BY " + order("filename"))
        .bind("channelId", channelId).bind("label", label).bind("subdir", subdir).bind("name", name)
        .map(JdbcPackageFileRepository::mapPublish)
        .list());
  }

  @Override
  public void streamPublishRows(long channelId, String label, String subdir,
      java.util.function.Consumer<PublishRow> sink) {
    jdbi.useTransaction(h -> h.createQuery(PUBLISH_SELECT + " ORDER BY " + order("name", "filename"))
        .bind("channelId", channelId).bind("label", label).bind("subdir", subdir)
        .setFetchSize(1_000)
        .map(JdbcPackageFileRepository::mapPublish)
        .useStream(rows -> rows.forEach(sink)));
  }

  @Override
  public void streamLabel(long channelId, String label, java.util.function.Consumer<PackageFile> sink) {
    jdbi.useTransaction(h -> h.createQuery("SELECT " + COLUMNS + " FROM package_files"
            + " WHERE channel_id = :channelId AND label = :label ORDER BY " + order("name", "subdir", "filename"))
        .bind("channelId", channelId).bind("label", label)
        .setFetchSize(1_000)
        .map(JdbcPackageFileRepository::map)
        .useStream(rows -> rows.forEach(sink)));
  }

  @Override
  public java.util.Map<String, java.util.Map<String, Long>> locationCounts(long channelId) {
    java.util.Map<String, java.util.Map<String, Long>> out = new java.util.TreeMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT label, subdir, COUNT(*) AS n FROM package_files"
            + " WHERE channel_id = :channelId GROUP BY label, subdir")
        .bind("channelId", channelId)
        .map((rs, ctx) -> {
          out.computeIfAbsent(rs.getString("label"), k -> new java.util.TreeMap<>())
              .put(rs.getString("subdir"), rs.getLong("n"));
          return 0;
        })
        .list());
    return out;
  }

  private static final String PUBLISH_SELECT = "SELECT filename, name, record_json, blob_key, size, sha256,"
      + " uploaded_at, signatures_json FROM package_files WHERE channel_id = :channelId AND label = :label AND subdir = :subdir";

  private static PublishRow mapPublish(ResultSet rs, StatementContext ctx) throws SQLException {
    return new PublishRow(rs.getString("filename"), rs.getString("name"), rs.getString("record_json"),
        rs.getString("blob_key"), rs.getLong("size"), rs.getString("sha256"), rs.getLong("uploaded_at"),
        rs.getString("signatures_json"));
  }

  /**
   * Written last in each changing transaction, so the channel row is locked only briefly; returns the
   * new revision. The row stays locked (PostgreSQL) or the database stays written (SQLite) until the
   * commit, so the value read back is this transaction's own.
   */
  static long raiseRevision(Handle h, long channelId) {
    h.createUpdate("UPDATE channels SET revision = revision + 1 WHERE id = :channelId")
        .bind("channelId", channelId).execute();
    return h.createQuery("SELECT revision FROM channels WHERE id = :channelId")
        .bind("channelId", channelId).mapTo(Long.class).one();
  }

  @Override
  public List<GarbageBlob> blobGarbage(long before, int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT blob_key, marked_at FROM blob_garbage"
            + " WHERE marked_at < :before ORDER BY marked_at LIMIT :limit")
        .bind("before", before).bind("limit", limit)
        .map((rs, ctx) -> new GarbageBlob(rs.getString("blob_key"), rs.getLong("marked_at")))
        .list());
  }

  @Override
  public void unmarkGarbage(String key) {
    jdbi.useHandle(h -> JdbcPackageFileRows.unmarkGarbage(h, List.of(key)));
  }

  @Override
  public boolean blobReferenced(String key) {
    return jdbi.withHandle(h -> blobUsed(h, key));
  }

  @Override
  public boolean anyFile() {
    return jdbi.withHandle(h -> h.createQuery("SELECT 1 FROM package_files LIMIT 1").mapTo(Integer.class)
        .findOne().isPresent());
  }

  @Override
  public Set<String> referencedBlobKeys(java.util.Collection<String> keys) {
    if (keys.isEmpty()) {
      return Set.of();
    }
    List<String> distinct = List.copyOf(new HashSet<>(keys));
    return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT blob_key FROM package_files WHERE "
            + DigestIndexes.BLOB_KEY.in("blob_key", "tags", "keys"))
        .bindList("tags", DigestIndexes.BLOB_KEY.tags(distinct))
        .bindList("keys", distinct)
        .mapTo(String.class)
        .collect(Collectors.toCollection(HashSet::new)));
  }

  @Override
  public boolean forgetContents(String key) {
    if (!key.startsWith("sha256/")) {
      return false; // an older key does not name the bytes
    }
    String sha256 = key.substring(key.lastIndexOf('/') + 1);
    return jdbi.inTransaction(h -> {
      // Rows with these bytes use the content-addressed key (indexed), passive mirror rows included.
      if (blobUsed(h, key)) {
        return false;
      }
      int contents = h.createUpdate("DELETE FROM package_contents WHERE sha256 = :sha256")
          .bind("sha256", sha256).execute();
      int names = h.createUpdate("DELETE FROM package_pypi_names WHERE sha256 = :sha256")
          .bind("sha256", sha256).execute();
      return contents + names > 0;
    });
  }

  private String order(String... columns) {
    StringBuilder sb = new StringBuilder();
    for (String column : columns) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(dialect.binaryOrder(column));
    }
    return sb.toString();
  }

  static PackageFile map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new PackageFile(
        rs.getLong("id"),
        rs.getLong("channel_id"),
        rs.getString("label"),
        rs.getString("subdir"),
        rs.getString("filename"),
        rs.getString("name"),
        rs.getString("version"),
        rs.getString("build"),
        rs.getLong("build_number"),
        rs.getString("md5"),
        rs.getString("sha256"),
        rs.getLong("size"),
        rs.getString("blob_key"),
        Instant.ofEpochMilli(rs.getLong("uploaded_at")),
        rs.getString("record_json"),
        rs.getString("index_json"),
        rs.getString("about_json"),
        rs.getString("run_exports_json"),
        rs.getString("paths_flags_json"),
        rs.getString("signatures_json"));
  }
}
