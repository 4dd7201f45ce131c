package io.github.sqlitewriters.internal.comparison;

import io.github.sqlitewriters.ExecutorOptions;
import io.github.sqlitewriters.SqlWork;
import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.internal.connection.ConnectionPool;
import io.github.sqlitewriters.internal.sql.SqliteErrors;
import io.github.sqlitewriters.internal.transaction.Backoff;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * {@code deferred-retry}: the application-level fix. Deferred transactions with the settings' busy
 * timeout, and on SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT or SQLITE_LOCKED the whole transaction is
 * rolled back and run again, with exponential backoff and jitter, until the busy deadline. It keeps
 * the lock-upgrade failures from reaching callers at the price of rerunning work and of wasted
 * attempts under contention.
 */
public final class DeferredRetryExecutor extends ComparisonExecutor {
  private final ConnectionPool<Connection> connections;

  public DeferredRetryExecutor(String name, SqliteSettings settings, ExecutorOptions options)
      throws SQLException {
    super(name, settings, options);
    this.connections = plainConnections();
  }

  @Override
  protected <T> T runTransaction(SqlWork<T> work, long calledNanos) throws SQLException {
    long start = System.nanoTime();
    Backoff backoff = new Backoff(calledNanos + options.busyDeadline().toNanos());
    for (int attempt = 1; ; attempt++) {
      try {
        return attempt(work, attempt == 1 ? calledNanos : 0);
      } catch (SQLException e) {
        try {
          if (!SqliteErrors.isBusy(e) || !backoff.pause()) {
            throw SqliteErrors.forCaller(e, name, attempt, start);
          }
        } catch (InterruptedException interrupted) {
          throw interruptedBeforeStart();
        }
        stats.busyRetry();
      }
    }
  }

  /** One try: a connection (opening one can meet the lock too) and one deferred transaction. */
  private <T> T attempt(SqlWork<T> work, long calledNanos) throws SQLException {
    Connection connection;
    try {
      connection = connections.acquire();
    } catch (InterruptedException e) {
      throw interruptedBeforeStart();
    }
    if (calledNanos != 0) {
      stats.queueWait(System.nanoTime() - calledNanos);
    }
    try {
      return JdbcTransactions.run(connection, work, name, stats);
    } finally {
      connections.release(connection);
    }
  }

  @Override
  protected void closeConnections() {
    connections.close();
  }
}
