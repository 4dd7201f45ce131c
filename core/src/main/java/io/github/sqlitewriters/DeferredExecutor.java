package io.github.sqlitewriters;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * {@code deferred-no-timeout} and {@code deferred-busy-timeout}: each concurrent caller on its own
 * connection, in sqlite-jdbc's default DEFERRED transactions, with either no busy timeout or the
 * settings' one. This is what an application gets from "open a connection per thread" and is kept
 * for comparison: without a timeout almost every contended write fails at once; with one, writes
 * still fail when a transaction that read first has to upgrade its lock, which SQLite refuses
 * without waiting. Nothing here retries or hides those failures.
 */
final class DeferredExecutor extends CallerThreadExecutor {
  private final ConnectionPool<Connection> connections;

  private DeferredExecutor(String name, SqliteSettings settings, ExecutorOptions options)
      throws SQLException {
    super(name, settings, options);
    this.connections = plainConnections();
  }

  /** busy_timeout=0, set explicitly: sqlite-jdbc's own default would be 3 s. */
  static DeferredExecutor withoutTimeout(SqliteSettings settings, ExecutorOptions options)
      throws SQLException {
    return new DeferredExecutor(
        Strategies.DEFERRED_NO_TIMEOUT, settings.withBusyTimeout(Duration.ZERO), options);
  }

  static DeferredExecutor withBusyTimeout(SqliteSettings settings, ExecutorOptions options)
      throws SQLException {
    return new DeferredExecutor(Strategies.DEFERRED_BUSY_TIMEOUT, settings, options);
  }

  @Override
  <T> T runTransaction(SqlWork<T> work, long calledNanos) throws SQLException {
    Connection connection = acquire(connections, calledNanos);
    try {
      return runDeferred(connection, work, calledNanos);
    } finally {
      connections.release(connection);
    }
  }

  @Override
  void closeConnections() {
    connections.close();
  }
}
