package io.wharf.server.pkg;

import io.wharf.server.db.JdbcBatch;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The rows written with each package file, in the caller's transaction: the file's row, its dependency rows,
 * its contents listing, and the unmarking of its blob as garbage. One statement text per table, shared by
 * the single-row writers and the batches, bound by position ({@link JdbcBatch}): the batches are the write
 * path of every import and mirror run, where binding by name cost the writing thread more than it must.
 */
final class JdbcPackageFileRows {
  static final String INSERT_FILE = "INSERT INTO package_files (channel_id, label, subdir, filename, name, version,"
      + " build, build_number, md5, sha256, size, blob_key, uploaded_at, record_json, index_json, about_json,"
      + " run_exports_json, paths_flags_json, signatures_json)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  static final String INSERT_DEPENDENCY = "INSERT INTO package_dependencies (file_id, channel_id, kind, dep_name,"
      + " spec, position) VALUES (?, ?, ?, ?, ?, ?)";
  /** Equal bytes have equal contents: the first listing kept for a sha256 stays. */
  static final String KEEP_CONTENTS = "INSERT INTO package_contents (sha256, paths_json) VALUES (?, ?)"
      + " ON CONFLICT (sha256) DO NOTHING";
  /** A blob a row uses again is no longer garbage. */
  static final String UNMARK_GARBAGE = "DELETE FROM blob_garbage WHERE blob_key = ?";

  /** A contents listing to keep for the bytes with this sha256. */
  record Contents(String sha256, String json) {}

  private JdbcPackageFileRows() {}

  /** Inserts {@code row} (its id is not used) and returns the id it was given. */
  static long insert(Handle h, PackageFile row) {
    return JdbcBatch.insertReturningId(h, INSERT_FILE, s -> bindFile(s, row));
  }

  /** Inserts {@code rows} (their ids are not used) as one batch; the ids are not returned. */
  static void insertAll(Handle h, List<PackageFile> rows) {
    JdbcBatch.execute(h, INSERT_FILE, s -> {
      for (PackageFile row : rows) {
        bindFile(s, row);
        s.addBatch();
      }
    });
  }

  /** Inserts the dependency rows of each of {@code files} (stored, with their ids) as one batch. */
  static void insertDependencies(Handle h, List<PackageFile> files) {
    insertDependencies(h, files, i -> null);
  }

  /**
   * As {@link #insertDependencies(Handle, List)}, with the rows of file {@code i} as {@code known} gives them
   * ({@link NewPackageFile#dependencyRows}, made ready by a bulk writer off its writing thread), or read from its
   * record where it gives null.
   */
  static void insertDependencies(Handle h, List<PackageFile> files,
      java.util.function.IntFunction<List<DependencyRows.Row>> known) {
    JdbcBatch.execute(h, INSERT_DEPENDENCY, s -> {
      for (int i = 0; i < files.size(); i++) {
        PackageFile file = files.get(i);
        List<DependencyRows.Row> rows = known.apply(i);
        for (DependencyRows.Row row : rows != null ? rows : DependencyRows.of(file.recordJson())) {
          s.setLong(1, file.id());
          s.setLong(2, file.channelId());
          s.setString(3, row.kind());
          s.setString(4, row.depName());
          s.setString(5, row.spec());
          s.setInt(6, row.position());
          s.addBatch();
        }
      }
    });
  }

  static void keepContents(Handle h, List<Contents> listings) {
    JdbcBatch.execute(h, KEEP_CONTENTS, s -> {
      for (Contents c : listings) {
        s.setString(1, c.sha256());
        s.setString(2, c.json());
        s.addBatch();
      }
    });
  }

  static void unmarkGarbage(Handle h, Collection<String> blobKeys) {
    JdbcBatch.execute(h, UNMARK_GARBAGE, s -> {
      for (String key : blobKeys) {
        s.setString(1, key);
        s.addBatch();
      }
    });
  }

  private static void bindFile(PreparedStatement s, PackageFile f) throws SQLException {
    s.setLong(1, f.channelId());
    s.setString(2, f.label());
    s.setString(3, f.subdir());
    s.setString(4, f.filename());
    s.setString(5, f.name());
    s.setString(6, f.version());
    s.setString(7, f.build());
    s.setLong(8, f.buildNumber());
    s.setString(9, f.md5());
    s.setString(10, f.sha256());
    s.setLong(11, f.size());
    s.setString(12, f.blobKey());
    s.setLong(13, f.uploadedAt().toEpochMilli());
    s.setString(14, f.recordJson());
    s.setString(15, f.indexJson());
    JdbcBatch.setText(s, 16, f.aboutJson());
    JdbcBatch.setText(s, 17, f.runExportsJson());
    JdbcBatch.setText(s, 18, f.pathsFlagsJson());
    JdbcBatch.setText(s, 19, f.signaturesJson());
  }
}
