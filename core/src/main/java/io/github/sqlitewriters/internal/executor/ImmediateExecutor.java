package io.github.sqlitewriters.internal.executor;

import io.github.sqlitewriters.ExecutorOptions;
import io.github.sqlitewriters.SqlWork;
import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.internal.connection.ConnectionPool;
import io.github.sqlitewriters.internal.connection.SqliteConnector;
import io.github.sqlitewriters.internal.connection.WriteConnection;
import io.github.sqlitewriters.internal.process.ProcessTurn;
import io.github.sqlitewriters.internal.transaction.SqlTransactions;
import io.github.sqlitewriters.internal.transaction.WriteTurns;
import java.sql.SQLException;

/**
 * {@code immediate}: each caller's work runs on its own thread, inside {@code BEGIN IMMEDIATE} ...
 * {@code COMMIT} sent as SQL on a pooled connection (see {@link SqlTransactions} for why). Taking
 * the write lock first means no transaction ever has to upgrade a lock.
 *
 * <p>Callers of one executor take turns in arrival order ({@link WriteTurns}), held from before
 * BEGIN IMMEDIATE until after COMMIT. So inside the process at most one caller at a time meets
 * SQLite's lock, and the others wait in a queue that serves them in order: SQLite's busy handler
 * wakes its sleepers by timer, not by arrival, which kept some waiting for seconds while others
 * went through. Waiting on a Java lock also parks a virtual thread and frees its carrier. A wait
 * inside SQLite does not: a native call keeps its carrier, and 1,000 virtual callers waiting in the
 * busy handler once held every carrier while the one holding the lock could not get a carrier back
 * to COMMIT.
 *
 * <p>For the same reason the caller whose turn it is never waits inside SQLite either: its BEGIN
 * IMMEDIATE (or COMMIT) runs with the busy timeout set to zero, and one that meets another
 * process's lock is retried after a short pause in Java (at most {@link
 * SqlTransactions#LONGEST_PAUSE}), until the busy deadline counted from the call. Across processes
 * the head of the queue takes the process's turn ({@link ProcessTurn}); every caller pays its own
 * COMMIT.
 *
 * <p>A connection whose work may have changed its state is checked when it comes back, and closed
 * instead of pooled if it cannot be restored, so the next caller never inherits it.
 */
public final class ImmediateExecutor extends CallerThreadExecutor {
  private final WriteTurns turns;
  private final ConnectionPool<WriteConnection> connections;
  private final SqlTransactions transactions;

  public ImmediateExecutor(String name, SqliteSettings settings, ExecutorOptions options)
      throws SQLException {
    super(
        name,
        SqliteConnector.withGeneratedKeysUnlessSet(
            settings, SqliteSettings.GeneratedKeys.ON_REQUEST),
        options);
    this.connections =
        new ConnectionPool<>(
                () -> WriteConnection.open(this.settings.openConnection(), stats),
                options.maxConnections())
            .with(WriteConnection.open(takeFirstConnection(), stats));
    this.transactions = new SqlTransactions(name, settings, options, stats, databaseFile);
    this.turns =
        new WriteTurns(name, options.busyDeadline(), ProcessTurn.of(this.settings, options));
  }

  @Override
  protected <T> T runTransaction(SqlWork<T> work, long calledNanos) throws SQLException {
    try {
      turns.take(calledNanos);
    } catch (InterruptedException e) {
      throw interruptedBeforeStart();
    }
    try {
      WriteConnection writer = acquire(connections, calledNanos);
      stats.queueWait(System.nanoTime() - calledNanos);
      try {
        return transactions.run(writer, work, calledNanos);
      } catch (InterruptedException e) {
        throw interruptedBeforeStart();
      } finally {
        boolean healthy = writer.restore(settings);
        if (!healthy) {
          stats.connectionReopened();
        }
        connections.release(writer, healthy);
      }
    } finally {
      turns.release();
    }
  }

  @Override
  public int queueDepth() {
    return turns.waiting();
  }

  @Override
  protected void closeConnections() {
    connections.close();
    turns.close();
  }
}
