package io.github.sqlitewriters.internal.comparison;

import io.github.sqlitewriters.SqlWork;
import io.github.sqlitewriters.internal.stats.CommitEvent;
import io.github.sqlitewriters.internal.stats.StatsRecorder;
import io.github.sqlitewriters.internal.view.SealedConnection;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Transactions the way most Java code writes them: {@code setAutoCommit(false)}, the work, {@code
 * commit()}, and {@code setAutoCommit(true)} before the connection goes back to its pool, as
 * Spring's transaction manager does. With sqlite-jdbc's default mode that is a DEFERRED
 * transaction: no lock until the first statement, and a lock upgrade, which SQLite may refuse at
 * once, at the first write. The comparison strategies use this on purpose, to behave exactly as
 * such applications do.
 *
 * <p>The work gets a {@link SealedConnection} view, as under the product strategies, but no watch
 * on SQLite's hooks and no check of the connection's state afterwards: these strategies stand for
 * what applications do, and a work that ends their transaction in a way the text check misses is
 * not caught.
 */
public final class JdbcTransactions {
  private JdbcTransactions() {}

  /**
   * Runs the work in one deferred transaction.
   *
   * @return the work's result, once committed
   */
  static <T> T run(Connection connection, SqlWork<T> work, String strategy, StatsRecorder stats)
      throws SQLException {
    T result;
    SealedConnection view = SealedConnection.of(strategy, connection, null);
    try {
      connection.setAutoCommit(false);
      long begun = System.nanoTime();
      result = work.run(view.connection());
      view.seal();
      long commitStart = System.nanoTime();
      CommitEvent event = CommitEvent.start();
      connection.commit();
      event.finish(strategy, 1);
      stats.commitTook(1, commitStart - begun, System.nanoTime() - commitStart);
    } catch (Throwable e) {
      view.seal();
      rollBackThroughDriver(connection, e);
      restoreAutoCommit(connection, e);
      stats.rolledBack();
      throw e;
    }
    stats.committed(1);
    try {
      connection.setAutoCommit(true);
    } catch (SQLException e) {
      // The work is committed; this only ends the empty transaction sqlite-jdbc opened after the
      // commit, and the next setAutoCommit(false) on this connection starts afresh either way.
    }
    return result;
  }

  /**
   * The driver's own rollback(), as the frameworks this class stands for call it (unlike {@link
   * ConnectionSteps#rollbackQuietly}, which sends ROLLBACK as SQL).
   */
  private static void rollBackThroughDriver(Connection connection, Throwable cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private static void restoreAutoCommit(Connection connection, Throwable cause) {
    try {
      connection.setAutoCommit(true);
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
