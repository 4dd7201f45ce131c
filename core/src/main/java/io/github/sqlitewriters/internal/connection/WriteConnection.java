package io.github.sqlitewriters.internal.connection;

import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.internal.sql.ConnectionSteps;
import io.github.sqlitewriters.internal.stats.StatsRecorder;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A write connection with what an executor keeps beside it: its prepared statements (the executor's
 * control statements and the works', for reuse), the reading of generated keys, the watch on its
 * transaction hooks, and whether it must be checked before it is trusted again.
 *
 * <p>An executor must never stay broken. Work can change the connection's state (a PRAGMA, a
 * temporary table), and a failure such as a full disk can leave a transaction open or a statement
 * closed. So after anything of the kind the connection is {@linkplain #suspect() suspected}, and
 * {@link #restore} checks it: what the settings can set again is set again; a connection that still
 * differs is reported, and its owner replaces it with a fresh one.
 */
public final class WriteConnection implements AutoCloseable {
  public final Connection connection;
  public final TransactionWatch watch;
  public final StatementCache statements;
  public final GeneratedKeys keys;
  private boolean suspect;
  private boolean replace;

  private WriteConnection(Connection connection, StatsRecorder stats) throws SQLException {
    this.connection = connection;
    this.watch = TransactionWatch.on(connection);
    this.statements = new StatementCache(connection, stats::statementReused);
    this.keys = new GeneratedKeys(connection);
  }

  /**
   * Takes over a freshly opened connection, in JDBC manual-commit mode with no transaction open. In
   * auto-commit mode sqlite-jdbc follows every statement with a probing BEGIN (to make sure no
   * transaction was left open), which fails inside the executor's own transaction and cost about a
   * microsecond a statement, three statements a task. The executors still send BEGIN IMMEDIATE and
   * COMMIT themselves and never call commit() or rollback(), which would make the driver send a
   * DEFERRED BEGIN of its own; work cannot call them either (see {@link SealedConnection}). On
   * failure the connection is closed.
   */
  public static WriteConnection open(Connection connection, StatsRecorder stats)
      throws SQLException {
    try {
      connection.setAutoCommit(false);
      // setAutoCommit(false) has just sent a DEFERRED BEGIN; end it, it holds nothing yet.
      ConnectionSteps.execute(connection, "COMMIT");
      return new WriteConnection(connection, stats);
    } catch (SQLException | RuntimeException e) {
      ConnectionSteps.closeQuietly(connection, e);
      throw e;
    }
  }

  /** Marks the connection to be checked before its next transaction. */
  public void suspect() {
    suspect = true;
  }

  /**
   * Marks the connection to be replaced before its next transaction: work ran SQL that may have
   * changed its state in ways no check can cover (any of SQLite's PRAGMAs, temporary objects).
   */
  public void replace() {
    replace = true;
  }

  /** Whether nothing marked the connection to be checked or replaced. */
  boolean trusted() {
    return !suspect && !replace;
  }

  /**
   * Checks a suspected connection: no transaction left open, every setting as configured, nothing
   * attached, no temporary objects; restores what it can.
   *
   * @return false if the connection cannot be trusted again and must be replaced
   */
  public boolean restore(SqliteSettings settings) {
    if (replace) {
      replace = false;
      suspect = false;
      return false;
    }
    if (!suspect) {
      return true;
    }
    suspect = false;
    try {
      if (connection.isClosed() || !noTransactionOpen()) {
        return false;
      }
      SqliteConnector connector = SqliteConnector.of(settings);
      if (connector.drift(connection, false) == null) {
        return true;
      }
      connector.restore(connection, false);
      return connector.drift(connection, false) == null;
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  /** Ends a transaction left open, and proves none is: BEGIN succeeds only outside one. */
  private boolean noTransactionOpen() {
    ConnectionSteps.rollbackQuietly(connection, new SQLException("probe"));
    try {
      statements.execute("BEGIN");
      statements.execute("ROLLBACK");
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public void close() {
    // Replaced or closing: there is nothing left to do with it.
    ConnectionSteps.closeQuietly(connection, null);
  }
}
