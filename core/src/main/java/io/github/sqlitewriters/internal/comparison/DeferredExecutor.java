package io.github.sqlitewriters.internal.comparison;

import io.github.sqlitewriters.ExecutorOptions;
import io.github.sqlitewriters.SqlWork;
import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.internal.connection.ConnectionPool;
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
public final class DeferredExecutor extends ComparisonExecutor {
  private final ConnectionPool<Connection> connections;

  private DeferredExecutor(String name, SqliteSettings settings, ExecutorOptions options)
      throws SQLException {
    super(name, settings, options);
    this.connections = plainConnections();
  }

  /** busy_timeout=0, set explicitly: sqlite-jdbc's own default would be 3 s. */
  public static DeferredExecutor withoutTimeout(
      String name, SqliteSettings settings, ExecutorOptions options) throws SQLException {
    return new DeferredExecutor(name, settings.withBusyTimeout(Duration.ZERO), options);
  }

  public static DeferredExecutor withBusyTimeout(
      String name, SqliteSettings settings, ExecutorOptions options) throws SQLException {
    return new DeferredExecutor(name, settings, options);
  }

  @Override
  protected <T> T runTransaction(SqlWork<T> work, long calledNanos) throws SQLException {
    Connection connection = acquire(connections, calledNanos);
    try {
      return runDeferred(connection, work, calledNanos);
    } finally {
      connections.release(connection);
    }
  }

  @Override
  protected void closeConnections() {
    connections.close();
  }
}
