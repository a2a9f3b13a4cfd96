package io.wharf.server.db;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Statements bound by position on a handle's own connection, so inside its transaction. The bulk write
 * paths (an import batch, a mirror run's batches of a thousand rows) use them: Jdbi's binding by name
 * (argument lookups and allocations per row and column) costs the writing thread two to three times what
 * binding by position does. A failure surfaces as
 * Jdbi's {@link UnableToExecuteStatementException} with the driver's exception as its cause, as it
 * would from the handle's statements, so rollback and {@link DuplicateKeyException#isUniqueViolation}
 * see it the same way.
 *
 * <p>On PostgreSQL the driver rewrites a batch of INSERTs into multi-row INSERTs ({@link Database}), so a
 * batched {@code INSERT ... ON CONFLICT DO UPDATE} must not hold two rows with the same key: PostgreSQL
 * refuses to update one row twice in a statement. Keep the last row of each key; the end state is the same.
 */
public final class JdbcBatch {
  private JdbcBatch() {}

  /** Binds the parameters of one statement, or binds and adds ({@code addBatch}) each row of a batch. */
  @FunctionalInterface
  public interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  /**
   * Prepares {@code sql} once, lets {@code rows} bind and add each row, and executes the batch. No row
   * counts are returned: with batched inserts rewritten (PostgreSQL) the driver does not know them.
   */
  public static void execute(Handle h, String sql, Binder rows) {
    try (PreparedStatement statement = h.getConnection().prepareStatement(sql)) {
      rows.bind(statement);
      // an empty batch executes as nothing on both drivers (no round trip)
      statement.executeBatch();
    } catch (SQLException e) {
      throw failed(sql, e);
    }
  }

  /** Executes an insert of one row, bound by {@code values}, and returns the {@code id} it generated. */
  public static long insertReturningId(Handle h, String sql, Binder values) {
    try (PreparedStatement statement = h.getConnection().prepareStatement(sql, new String[] {"id"})) {
      values.bind(statement);
      statement.executeUpdate();
      try (ResultSet keys = statement.getGeneratedKeys()) {
        if (!keys.next()) {
          throw new SQLException("the insert returned no generated id");
        }
        return keys.getLong(1);
      }
    } catch (SQLException e) {
      throw failed(sql, e);
    }
  }

  /** Binds text that may be absent: SQL NULL typed as text, which PostgreSQL needs to resolve the parameter. */
  public static void setText(PreparedStatement statement, int index, String value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.VARCHAR);
    } else {
      statement.setString(index, value);
    }
  }

  /** Binds a number that may be absent, as SQL NULL typed BIGINT. */
  public static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, value);
    }
  }

  private static UnableToExecuteStatementException failed(String sql, SQLException e) {
    return new UnableToExecuteStatementException(e.getMessage() + " [statement: " + sql + "]", e, null);
  }
}
