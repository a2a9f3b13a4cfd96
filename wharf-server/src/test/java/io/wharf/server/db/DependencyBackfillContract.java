package io.wharf.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.pkg.DependantRow;
import io.wharf.server.pkg.JdbcPackageFileRepository;
import io.wharf.server.pkg.PackageFileRepository;
import io.wharf.server.pkg.PackageFiles;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** A database holding files from before the dependency table gets rows for them when upgraded. */
abstract class DependencyBackfillContract {
  private static final JsonNode INDEX4 = PackageFiles.index4();

  protected abstract String jdbcUrl();

  protected abstract String user();

  protected abstract String password();

  protected abstract Dialect dialect();

  @Test
  void upgradingFillsTheDependencyRowsOfFilesAlreadyStored() {
    Flyway.configure().dataSource(jdbcUrl(), user(), password()).locations(dialect().migrationLocations())
        .target("2").load().migrate();
    Jdbi old = Jdbi.create(jdbcUrl(), user(), password());
    long channel = old.withHandle(h -> h.createUpdate("INSERT INTO channels (name, privacy, created_at)"
        + " VALUES ('old-channel', 'PUBLIC', 0)").executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    storeWithoutDependencies(old, channel, "conda-4.4.10-py27_0.tar.bz2");
    storeWithoutDependencies(old, channel, "qt-5.6.2-hd25b39d_14.tar.bz2");

    try (Database db = Database.open(jdbcUrl(), user(), password())) {
      PackageFileRepository files = new JdbcPackageFileRepository(db);

      assertThat(files.dependants("conda-build", Set.of(channel)))
          .extracting(r -> r.file().filename(), DependantRow::kind, DependantRow::spec)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("conda-4.4.10-py27_0.tar.bz2", "constrains",
              "conda-build >=2.1"));
      assertThat(files.dependants("openssl", Set.of(channel))).extracting(DependantRow::spec)
          .containsExactly("openssl 1.0.*", "openssl >=1.0.2n,<1.0.3a");
      // conda: 8 depends + 3 constrains; qt: 18 depends.
      long rows = db.jdbi().withHandle(h ->
          h.createQuery("SELECT COUNT(*) FROM package_dependencies").mapTo(Long.class).one());
      assertThat(rows).isEqualTo(29);
    }
  }

  private static void storeWithoutDependencies(Jdbi jdbi, long channel, String filename) {
    JsonNode record = INDEX4.get(filename);
    jdbi.useHandle(h -> h.createUpdate("INSERT INTO package_files (channel_id, label, subdir, filename, name,"
            + " version, build, build_number, md5, sha256, size, blob_key, uploaded_at, record_json, index_json)"
            + " VALUES (:channel, 'main', :subdir, :filename, :name, :version, :build, :buildNumber, :md5,"
            + " :sha256, :size, :blobKey, 0, :record, :record)")
        .bind("channel", channel)
        .bind("subdir", record.get("subdir").asText())
        .bind("filename", filename)
        .bind("name", record.get("name").asText())
        .bind("version", record.get("version").asText())
        .bind("build", record.get("build").asText())
        .bind("buildNumber", record.get("build_number").asLong())
        .bind("md5", record.get("md5").asText())
        .bind("sha256", record.get("sha256").asText())
        .bind("size", record.get("size").asLong())
        .bind("blobKey", "sha256/" + record.get("sha256").asText())
        .bind("record", record.toString())
        .execute());
  }
}
