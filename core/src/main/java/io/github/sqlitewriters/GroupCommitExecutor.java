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

  /** The most a batch waits for callers to come back: never long, whatever the disk. */
  private static final long LONGEST_LINGER_NANOS = 500_000;

  /** Callers seen at the last commit: those it answered plus those already queued behind it. */
  private int callersAtLastCommit;

  /** Half the last COMMIT's duration: the most it pays to wait for stragglers. */
  private long lingerNanos;

  @Override
  int batchLimit() {
    return options.maxBatchSize();
  }

  /**
   * Waits briefly for the callers the last COMMIT answered to come back with their next task.
   * Without this, callers split into two groups that take turns (one group's tasks commit while the
   * other's queue), and each COMMIT carries half of them. The wait is bounded by half of what the
   * last COMMIT took, so it matters where a COMMIT is costly (an fsync under synchronous=FULL) and
   * vanishes where it is cheap, and it ends as soon as the expected callers are back.
   */
  @Override
  void fill(List<WriteTask<?>> batch) {
    int target = Math.min(batchLimit(), callersAtLastCommit);
    if (batch.size() < target && lingerNanos > 0) {
      awaitMore(batch, target, lingerNanos);
    }
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
    long oldest = tasks.stream().mapToLong(WriteTask::queuedNanos).min().orElse(start);
    try {
      transactions.begin(connection, control, oldest);
    } catch (SqliteBusyException e) {
      // The oldest task's deadline has passed: fail every task whose deadline has, and let the
      // younger ones try again with the time they have left.
      long now = System.nanoTime();
      long deadline = options.busyDeadline().toNanos();
      List<WriteTask<?>> younger = new ArrayList<>();
      for (WriteTask<?> task : tasks) {
        if (now - task.queuedNanos() >= deadline) {
          fail(task, e, start);
        } else {
          younger.add(task);
        }
      }
      return younger;
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
        control.execute("SAVEPOINT " + SAVEPOINT);
        task.run(guarded);
        control.execute("RELEASE " + SAVEPOINT);
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
    long commitStart = System.nanoTime();
    try {
      transactions.commit(connection, control);
      lingerNanos = Math.min(LONGEST_LINGER_NANOS, (System.nanoTime() - commitStart) / 2);
      callersAtLastCommit = done.size() + queued();
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
      control.execute("ROLLBACK TO " + SAVEPOINT);
      control.execute("RELEASE " + SAVEPOINT);
      return true;
    } catch (SQLException e) {
      cause.addSuppressed(e);
      return false;
    }
  }
}
