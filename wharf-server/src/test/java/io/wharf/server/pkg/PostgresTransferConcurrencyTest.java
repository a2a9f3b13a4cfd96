package io.wharf.server.pkg;

import io.wharf.server.testing.PostgresFixture;
import java.util.Map;

class PostgresTransferConcurrencyTest extends TransferConcurrencyContract {
  @Override
  protected Map<String, String> engine() {
    PostgresFixture.PgDatabase pg = PostgresFixture.shared().newDatabase();
    return Map.of("db.url", pg.jdbcUrl(), "db.user", pg.user(), "db.password", pg.password());
  }
}
