package io.wharf.server.db;

import io.wharf.server.testing.PostgresFixture;

class PostgresDependencyBackfillTest extends DependencyBackfillContract {
  private final PostgresFixture.PgDatabase pg = PostgresFixture.shared().newDatabase();

  @Override
  protected String jdbcUrl() {
    return pg.jdbcUrl();
  }

  @Override
  protected String user() {
    return pg.user();
  }

  @Override
  protected String password() {
    return pg.password();
  }

  @Override
  protected Dialect dialect() {
    return Dialect.POSTGRESQL;
  }
}
