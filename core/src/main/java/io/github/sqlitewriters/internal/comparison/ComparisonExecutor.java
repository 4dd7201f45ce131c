package io.github.sqlitewriters.internal.comparison;

import io.github.sqlitewriters.ExecutorOptions;
import io.github.sqlitewriters.SqlWork;
import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.internal.connection.ConnectionPool;
import io.github.sqlitewriters.internal.executor.CallerThreadExecutor;
import io.github.sqlitewriters.internal.sql.SqliteErrors;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * What the comparison strategies share and the product ones never use: the settings' own
 * connections in a plain pool, and the driver's DEFERRED transactions, as JDBC code and frameworks
 * write them. Kept here, beside the strategies that need it, so that nothing of it reaches the
 * product strategies' base.
 */
abstract class ComparisonExecutor extends CallerThreadExecutor {
  ComparisonExecutor(String name, SqliteSettings settings, ExecutorOptions options)
      throws SQLException {
    super(name, settings, options);
  }

  /**
   * A pool of the settings' own connections, up to {@code maxConnections}, holding the checked
   * first connection already: the deferred strategies' pool, used as an application opens one.
   */
  final ConnectionPool<Connection> plainConnections() {
    return new ConnectionPool<Connection>(settings::openConnection, options.maxConnections())
        .with(takeFirstConnection());
  }

  /**
   * Runs work in a driver-managed DEFERRED transaction on a connection the caller has got: the
   * comparison strategies' way, as JDBC code and frameworks write it. Counts the wait for the
   * connection and gives a failure the caller's form.
   */
  final <T> T runDeferred(Connection connection, SqlWork<T> work, long calledNanos)
      throws SQLException {
    long start = System.nanoTime();
    stats.queueWait(start - calledNanos);
    try {
      return JdbcTransactions.run(connection, work, name, stats);
    } catch (SQLException e) {
      throw SqliteErrors.forCaller(e, name, 1, start);
    }
  }
}
