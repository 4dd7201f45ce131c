package io.github.sqlitewriters.internal.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The steps the library takes on its own connections, most of them on a failure path where a second
 * failure must not hide the first: run one statement, roll back quietly, close quietly.
 */
public final class ConnectionSteps {
  private ConnectionSteps() {}

  public static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /**
   * Rolls back whatever transaction is open, with a ROLLBACK statement (never the driver's
   * rollback(), which would open a new transaction of its own), keeping a failure of the rollback
   * itself as suppressed on the error that caused it.
   *
   * @return true if the rollback ran (or there was nothing to roll back)
   */
  public static boolean rollbackQuietly(Connection connection, Throwable cause) {
    try {
      execute(connection, "ROLLBACK");
      return true;
    } catch (SQLException e) {
      if (e.getMessage() != null && e.getMessage().contains("no transaction is active")) {
        return true;
      }
      cause.addSuppressed(e);
      return false;
    }
  }

  /**
   * Closes a connection, statement or result set whose failure must not hide the error at hand: the
   * driver's failure to close is kept as suppressed on {@code cause}, or dropped when there is none
   * (the resource is closed with its connection at the latest). An unchecked exception from close()
   * is a bug, not a failure to close, and is thrown.
   */
  public static void closeQuietly(AutoCloseable resource, Throwable cause) {
    try {
      resource.close();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      if (cause != null) {
        cause.addSuppressed(e);
      }
    }
  }
}
