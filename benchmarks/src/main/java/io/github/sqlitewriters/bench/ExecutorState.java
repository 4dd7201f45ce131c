package io.github.sqlitewriters.bench;

import io.github.sqlitewriters.ExecutorStats;
import io.github.sqlitewriters.SqlWork;
import io.github.sqlitewriters.Strategies;
import io.github.sqlitewriters.WriteExecutor;
import java.sql.SQLException;

/**
 * One executor on one fresh database for a whole trial: heavy things are built at Level.Trial so
 * their cost never lands in a measurement.
 */
final class ExecutorState {
  final BenchDatabase database;
  final WriteExecutor executor;

  ExecutorState(String strategy, String journalMode, String synchronous) {
    database = BenchDatabase.create(journalMode, synchronous);
    try {
      executor = Strategies.open(strategy, database.settings());
    } catch (SQLException e) {
      database.close();
      throw new IllegalStateException("cannot open " + strategy, e);
    }
  }

  /**
   * Writes the work and counts how it ended, so that a failure is a number in the results rather
   * than an exception that stops the run.
   */
  void write(SqlWork<?> work, Committed committed, Failures failures) {
    try {
      executor.write(work);
      committed.committed++;
    } catch (Exception e) {
      failures.count(e);
    }
  }

  /** Closes the executor, prints what it did, and deletes the database. */
  void close() {
    try {
      executor.close();
      ExecutorStats stats = executor.stats();
      System.out.printf(
          "%n[%s] %d tasks in %d transactions (%.1f per COMMIT), %d busy retries, %d busy"
              + " failures, longest wait %d ms%n",
          executor.name(),
          stats.tasksCommitted(),
          stats.transactionsCommitted(),
          stats.tasksPerTransaction(),
          stats.busyRetries(),
          stats.busyFailures(),
          stats.longestQueueWait().toMillis());
    } finally {
      database.close();
    }
  }
}
