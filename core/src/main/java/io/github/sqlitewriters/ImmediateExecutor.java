package io.github.sqlitewriters;

import java.sql.SQLException;

/**
 * {@code immediate}: each caller's work on a pooled connection of its own, inside {@code BEGIN
 * IMMEDIATE} ... {@code COMMIT} sent as SQL (see {@link ImmediateTransactions} for why). Taking the
 * write lock first means no transaction ever has to upgrade a lock, so every wait is one SQLite's
 * busy handler can serve, and what it cannot is retried to the busy deadline. Needs no thread of
 * its own and works the same across processes; but waiters are woken by SQLite's polling, in no
 * order, and every caller pays its own COMMIT.
 *
 * <p>A connection whose work may have changed its state is checked when it comes back, and closed
 * instead of pooled if it cannot be restored, so the next caller never inherits it.
 */
final class ImmediateExecutor extends CallerThreadExecutor {
  private final ConnectionPool<WriteConnection> connections;
  private final ImmediateTransactions transactions;

  ImmediateExecutor(SqliteSettings settings, ExecutorOptions options) throws SQLException {
    super(Strategies.IMMEDIATE, settings, options);
    this.connections =
        new ConnectionPool<>(
                () -> new WriteConnection(settings.openConnection()), options.maxConnections())
            .with(new WriteConnection(openCheckedConnection()));
    this.transactions = immediateTransactions();
  }

  @Override
  <T> T runTransaction(SqlWork<T> work, long calledNanos) throws SQLException {
    WriteConnection writer = acquire(connections, calledNanos);
    stats.queueWait(System.nanoTime() - calledNanos);
    try {
      return transactions.run(writer, work, calledNanos);
    } catch (InterruptedException e) {
      throw interrupted();
    } finally {
      boolean healthy = writer.restore(settings);
      if (!healthy) {
        stats.connectionReopened();
      }
      connections.release(writer, healthy);
    }
  }

  @Override
  void closeConnections() {
    connections.close();
  }
}
