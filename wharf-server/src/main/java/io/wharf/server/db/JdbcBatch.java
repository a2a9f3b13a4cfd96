package io.wharf.server.db;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
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

  /** Reads the current row of a result. */
  @FunctionalInterface
  public interface RowReader {
    void read(ResultSet row) throws SQLException;
  }

  /**
   * Runs {@code sql}, whose {@code <in>} stands for an IN list, for {@code values} a slice of {@code slice} at a
   * time, passing each row to {@code rows}. One statement is prepared for all slices (a short last slice repeats
   * its last value, which an IN list ignores); {@code fixed} binds the parameters before the list, which are
   * {@code fixedCount}. A bulk reader asking for thousands of keys pays neither a statement with thousands of
   * named parameters parsed by Jdbi per query nor one prepared per slice.
   */
  public static void selectIn(Handle h, String sql, Binder fixed, int fixedCount, List<String> values, int slice,
      RowReader rows) {
    if (values.isEmpty()) {
      return;
    }
    int width = Math.min(slice, values.size());
    String text = sql.replace("<in>", String.join(", ", java.util.Collections.nCopies(width, "?")));
    try (PreparedStatement statement = h.getConnection().prepareStatement(text)) {
      for (int from = 0; from < values.size(); from += width) {
        List<String> part = values.subList(from, Math.min(values.size(), from + width));
        fixed.bind(statement);
        for (int i = 0; i < width; i++) {
          statement.setString(fixedCount + 1 + i, part.get(Math.min(i, part.size() - 1)));
        }
        try (ResultSet result = statement.executeQuery()) {
          while (result.next()) {
            rows.read(result);
          }
        }
      }
    } catch (SQLException e) {
      throw failed(text, e);
    }
  }

  private static UnableToExecuteStatementException failed(String sql, SQLException e) {
    return new UnableToExecuteStatementException(e.getMessage() + " [statement: " + sql + "]", e, null);
  }
}
