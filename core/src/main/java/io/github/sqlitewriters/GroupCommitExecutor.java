package io.github.sqlitewriters;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code group-commit}: the serialized writer, but every task waiting in the queue (up to {@link
 * ExecutorOptions#maxBatchSize()}) shares one transaction and so one COMMIT, the costly part of a
 * small write (an fsync under synchronous=FULL). The busier the executor, the more tasks share each
 * COMMIT, so throughput rises with load instead of collapsing.
 *
 * <p>Each task runs inside its own SAVEPOINT: a task that throws is rolled back to its savepoint
 * alone and only its caller sees the error, while the others commit. No caller's future completes
 * before the COMMIT that holds its task has returned.
 *
 * <p>Some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM) may make SQLite roll back the whole
 * transaction, not just the statement. The savepoint is then gone too; the tasks that had already
 * run lost their writes through no fault of their own, so they run again in a new transaction. That
 * is why work should keep its side effects inside the database.
 *
 * <p>Transactions begin with BEGIN IMMEDIATE under the busy timeout, with retries up to the busy
 * deadline, so the executor stays correct when another process writes the same file.
 */
final class GroupCommitExecutor extends WriterThreadExecutor {
  private static final String SAVEPOINT = "sqlite_writers_task";

  GroupCommitExecutor(SqliteSettings settings, ExecutorOptions options) throws SQLException {
    super(Strategies.GROUP_COMMIT, settings, options);
  }

  @Override
  int batchLimit() {
    return options.maxBatchSize();
  }

  @Override
  void runBatch(List<WriteTask<?>> tasks) {
    for (WriteTask<?> task : tasks) {
      started(task);
    }
    List<WriteTask<?>> pending = tasks;
    while (!pending.isEmpty()) {
      pending = runInOneTransaction(pending);
    }
  }

  /**
   * Runs the tasks in one transaction and completes or fails each.
   *
   * @return tasks to run again because SQLite rolled the whole transaction back under them
   */
  private List<WriteTask<?>> runInOneTransaction(List<WriteTask<?>> tasks) {
    long start = System.nanoTime();
    try {
      transactions.begin(connection);
    } catch (SQLException | InterruptedException e) {
      for (WriteTask<?> task : tasks) {
        fail(task, e, start);
      }
      return List.of();
    }
    Connection guarded = GuardedConnection.wrap(connection);
    List<WriteTask<?>> done = new ArrayList<>(tasks.size());
    for (int i = 0; i < tasks.size(); i++) {
      WriteTask<?> task = tasks.get(i);
      try {
        SqlStatements.execute(connection, "SAVEPOINT " + SAVEPOINT);
        task.run(guarded);
        SqlStatements.execute(connection, "RELEASE " + SAVEPOINT);
        done.add(task);
      } catch (Throwable e) {
        fail(task, e, start);
        if (!rollBackToSavepoint(e)) {
          SqlStatements.rollbackQuietly(connection, e);
          stats.rolledBack();
          List<WriteTask<?>> again = new ArrayList<>(done);
          again.addAll(tasks.subList(i + 1, tasks.size()));
          return again;
        }
      }
    }
    if (done.isEmpty()) {
      SqlStatements.rollbackQuietly(connection, new SQLException("nothing to commit"));
      stats.rolledBack();
      return List.of();
    }
    try {
      transactions.commit(connection);
    } catch (Throwable e) {
      SqlStatements.rollbackQuietly(connection, e);
      stats.rolledBack();
      for (WriteTask<?> task : done) {
        fail(task, e, start);
      }
      return List.of();
    }
    stats.committed(done.size());
    for (WriteTask<?> task : done) {
      task.succeed();
    }
    return List.of();
  }

  /** Undoes one failed task; false if its savepoint, and so the transaction, is gone. */
  private boolean rollBackToSavepoint(Throwable cause) {
    try {
      SqlStatements.execute(connection, "ROLLBACK TO " + SAVEPOINT);
      SqlStatements.execute(connection, "RELEASE " + SAVEPOINT);
      return true;
    } catch (SQLException e) {
      cause.addSuppressed(e);
      return false;
    }
  }
}
