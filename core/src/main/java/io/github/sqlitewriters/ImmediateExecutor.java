package io.github.sqlitewriters;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * {@code immediate}: each caller's work on a pooled connection of its own, inside {@code BEGIN
 * IMMEDIATE} ... {@code COMMIT} sent as SQL (see {@link ImmediateTransactions} for why). Taking the
 * write lock first means no transaction ever has to upgrade a lock, so every wait is one SQLite's
 * busy handler can serve, and what it cannot is retried to the busy deadline. Needs no thread of
 * its own and works the same across processes; but waiters are woken by SQLite's polling, in no
 * order, and every caller pays its own COMMIT.
 */
final class ImmediateExecutor extends CallerThreadExecutor {
  private final ConnectionPool connections;
  private final ImmediateTransactions transactions;

  ImmediateExecutor(SqliteSettings settings, ExecutorOptions options) throws SQLException {
    super(Strategies.IMMEDIATE, settings, options);
    this.connections =
        new ConnectionPool(settings::openConnection, options.maxConnections())
            .with(openCheckedConnection());
    this.transactions = immediateTransactions();
  }

  @Override
  <T> T runTransaction(SqlWork<T> work, long calledNanos) throws SQLException {
    Connection connection = acquire(connections, calledNanos);
    stats.queueWait(System.nanoTime() - calledNanos);
    try {
      return transactions.run(
          connection, sql -> SqlStatements.execute(connection, sql), work, calledNanos);
    } catch (InterruptedException e) {
      throw interrupted();
    } finally {
      connections.release(connection);
    }
  }

  @Override
  void closeConnections() {
    connections.close();
  }
}
