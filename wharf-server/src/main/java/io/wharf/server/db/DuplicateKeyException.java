package io.wharf.server.db;

import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** A row could not be written because it would break a unique constraint. */
public class DuplicateKeyException extends RuntimeException {
  private static final String POSTGRES_UNIQUE_VIOLATION = "23505";

  public DuplicateKeyException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Whether anywhere in the cause chain the engine reported a unique or primary key violation. */
  public static boolean isUniqueViolation(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLiteException sqlite) {
        SQLiteErrorCode code = sqlite.getResultCode();
        if (code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE || code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY) {
          return true;
        }
      } else if (t instanceof SQLException sql && POSTGRES_UNIQUE_VIOLATION.equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
