package io.wharf.server.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.history.Actor;
import io.wharf.server.channel.JdbcChannelRepository;
import io.wharf.server.channel.Privacy;
import io.wharf.server.db.Database;
import io.wharf.server.db.TransactionPart;
import io.wharf.server.testing.TestDatabases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlitePackageFileRepositoryTest extends PackageFileRepositoryContract {
  @TempDir
  static Path dir;

  @Override
  protected Supplier<Database> database() {
    return TestDatabases.sqlite(dir);
  }

  @Test
  void aBatchWhosePartIsUnforcedCommitsWithoutWaitingForTheDiskAndAnyOtherWaits() {
    try (Database db = Database.openSqlite(dir.resolve("unforced.db"))) {
      long channel = new JdbcChannelRepository(db).create("unforced", "", Privacy.PUBLIC).id();
      JdbcPackageFileRepository files = new JdbcPackageFileRepository(db);
      List<String> seen = new ArrayList<>();
      TransactionPart note = h -> seen.add(synchronous(h));

      files.insertAll(List.of(PackageFiles.file(channel, "main", "noarch", "a-1.0-0.conda")), Actor.SYSTEM,
          TransactionPart.unforced(note));
      files.insertAll(List.of(PackageFiles.file(channel, "main", "noarch", "b-1.0-0.conda")), Actor.SYSTEM, note);
      files.replaceAll(List.of(PackageFiles.file(channel, "main", "noarch", "a-1.0-0.conda")), Actor.SYSTEM,
          TransactionPart.unforced(note));
      files.write(TransactionPart.unforced(note));
      // joined with a part that must be forced, the transaction is forced
      files.write(TransactionPart.unforced(note).andThen(note));
      files.write(TransactionPart.unforced(note).andThen(TransactionPart.unforced(note)));

      assertThat(seen).containsExactly("1", "2", "1", "1", "2", "2", "1", "1"); // NORMAL, FULL
      assertThat(db.jdbi().withHandle(SqlitePackageFileRepositoryTest::synchronous)).isEqualTo("2");
      assertThat(files.locate(channel, "main", "noarch", List.of("a-1.0-0.conda", "b-1.0-0.conda"))).hasSize(2);
    }
  }

  private static String synchronous(Handle h) {
    return h.createQuery("PRAGMA synchronous").mapTo(String.class).one();
  }
}
