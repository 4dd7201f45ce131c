package io.github.sqlitewriters.internal.executor;

import io.github.sqlitewriters.ExecutorOptions;
import io.github.sqlitewriters.SqliteBusyException;
import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.WriteOutcomeUnknownException;
import io.github.sqlitewriters.internal.connection.TransactionWatch;
import io.github.sqlitewriters.internal.connection.WriteConnection;
import io.github.sqlitewriters.internal.sql.ConnectionSteps;
import io.github.sqlitewriters.internal.sql.SqliteErrors;
import io.github.sqlitewriters.internal.transaction.SqlTransactions;
import io.github.sqlitewriters.internal.view.SealedConnection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code group-commit}: the serialized writer, but every task waiting in the queue (up to {@link
 * ExecutorOptions#maxBatchSize()}) shares one transaction and so one COMMIT, the costly part of a
 * small write (an fsync under synchronous=FULL). The busier the executor, the more tasks share each
 * COMMIT, so throughput rises with load instead of collapsing.
 *
 * <p>A batch first runs without savepoints: a SAVEPOINT and a RELEASE per task cost about as much
 * as the task's own INSERT. Only when a task fails is the transaction rolled back and the batch run
 * again, the tasks before the failure as before and every task from there on inside its own
 * SAVEPOINT, so that a task that throws is rolled back alone and only its caller sees the error,
 * while the others commit. One failing task costs one extra pass over the tasks before it; a batch
 * in which every task fails costs about what it cost when every task had a savepoint. Work may so
 * run more than once, each time in a transaction that is rolled back but the last. No caller's
 * future completes before the COMMIT that holds its task has returned. The savepoint's name is
 * drawn at random per executor, so no work can RELEASE or ROLL BACK TO it.
 *
 * <p>Consecutive statement tasks ({@code SqlStatement}) with the same SQL run as one {@code
 * executeBatch} ({@link StatementBatch}); a batch that fails is treated as a task that failed
 * without a savepoint.
 *
 * <p>Every outcome is the one the task would have had alone:
 *
 * <ul>
 *   <li>Some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM) make SQLite roll back the whole
 *       transaction, not just the statement. The tasks that had already run lost their writes
 *       through no fault of their own, so they run again in a new transaction. That is why work
 *       should keep its side effects inside the database.
 *   <li>A work that ends the transaction itself (see {@link TransactionWatch}) fails alone. If it
 *       committed, the tasks before it in the batch were committed with it and are told so; if it
 *       rolled back, they run again. The tasks after it run in a new transaction.
 *   <li>A COMMIT that fails on a deferred constraint (a foreign key declared {@code DEFERRABLE
 *       INITIALLY DEFERRED}) was caused by some task, not all: the batch is rolled back and run
 *       again in halves, each its own transaction, until the guilty task fails alone. This costs
 *       about two extra transactions per halving, and only when it happens.
 *   <li>A work that changes the connection's state (a PRAGMA, a temporary table) has it restored
 *       before the next task runs; if it cannot be restored inside the transaction, the batch
 *       commits up to that task and the connection is replaced before the next one.
 * </ul>
 *
 * <p>Transactions begin with BEGIN IMMEDIATE, retried up to the busy deadline ({@link
 * SqlTransactions}), so the executor stays correct when another process writes the same file.
 */
public final class GroupCommitExecutor extends WriterThreadExecutor {
  /** The most a batch waits for callers to come back: never long, whatever the disk. */
  private static final long LONGEST_LINGER_NANOS = 500_000;

  /** What running one task did to the batch's transaction. */
  private enum Step {
    /** The task's work is in the transaction. */
    KEPT,
    /** The task failed and was rolled back to its savepoint; the transaction goes on. */
    UNDONE,
    /**
     * The task failed with no savepoint to undo it alone: the batch runs again, with savepoints.
     */
    FAILED_WITHOUT_SAVEPOINT,
    /** The task's work is kept, but the connection's state must be restored: commit here. */
    KEPT_THEN_COMMIT,
    /** The task failed, and the connection's state must be restored: commit here. */
    UNDONE_THEN_COMMIT,
    /** The work committed the transaction itself: the tasks before it are committed. */
    COMMITTED_BY_WORK,
    /** The transaction was rolled back under the tasks before this one: they run again. */
    LOST,
    /** Whether the tasks before this one were committed cannot be told: they are told so. */
    UNCLEAR
  }

  private final String savepoint =
      "sqlite_writers_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);

  /** Callers seen at the last commit: those it answered plus those already queued behind it. */
  private int callersAtLastCommit;

  /** Half the last COMMIT's duration: the most it pays to wait for stragglers. */
  private long lingerNanos;

  public GroupCommitExecutor(String name, SqliteSettings settings, ExecutorOptions options)
      throws SQLException {
    super(name, settings, options);
  }

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
    started(tasks);
    Deque<Pending> transactionsToRun = new ArrayDeque<>();
    transactionsToRun.push(Pending.optimistic(tasks));
    while (true) {
      List<Pending> next = runInOneTransaction(transactionsToRun.pop());
      for (int i = next.size() - 1; i >= 0; i--) {
        transactionsToRun.push(next.get(i));
      }
      if (transactionsToRun.isEmpty()) {
        return;
      }
      // The write loop restored the connection before this batch; a transaction since may have
      // left it to restore or replace again.
      restoreOrReopen();
    }
  }

  /**
   * Tasks to run in one transaction, each from {@code savepointsFrom} on in a savepoint of its own.
   */
  private record Pending(List<WriteTask<?>> tasks, int savepointsFrom) {
    static Pending optimistic(List<WriteTask<?>> tasks) {
      return new Pending(tasks, Integer.MAX_VALUE);
    }

    /** The tasks after position {@code i}, keeping which of them need savepoints. */
    Pending after(int i) {
      return new Pending(
          new ArrayList<>(tasks.subList(i + 1, tasks.size())),
          savepointsFrom == Integer.MAX_VALUE
              ? savepointsFrom
              : Math.max(0, savepointsFrom - i - 1));
    }
  }

  /**
   * Runs the tasks in one transaction and completes or fails each, unless it must run again.
   *
   * @return groups of tasks to run next, each in a transaction of its own, in this order
   */
  private List<Pending> runInOneTransaction(Pending pending) {
    List<WriteTask<?>> tasks = pending.tasks();
    long start = System.nanoTime();
    WriteConnection write = writeConnection;
    if (!begin(write, tasks, start)) {
      List<WriteTask<?>> younger = notYetDone(tasks);
      return younger.isEmpty() ? List.of() : List.of(new Pending(younger, 0));
    }
    List<WriteTask<?>> done = new ArrayList<>(tasks.size());
    for (int i = 0; i < tasks.size(); i++) {
      WriteTask<?> task = tasks.get(i);
      int endOfRun =
          StatementBatch.endOfRun(tasks, i, Math.min(tasks.size(), pending.savepointsFrom()));
      if (endOfRun > i) {
        try {
          done.addAll(
              StatementBatch.run(write, tasks, i, endOfRun, (alone, e) -> fail(alone, e, start)));
        } catch (SQLException e) {
          // Some row failed, and perhaps the transaction with it: run it all again, the tasks
          // before as they ran, every task from this batch on in a savepoint of its own (those
          // already failed alone stay failed).
          ConnectionSteps.rollbackQuietly(write.connection, e);
          stats.rolledBack();
          int firstAgain = done.size();
          done.addAll(notYetDone(pending.after(i - 1).tasks()));
          return List.of(new Pending(done, firstAgain));
        }
        i = endOfRun - 1;
        continue;
      }
      switch (runOne(write, task, start, i >= pending.savepointsFrom())) {
        case KEPT:
          done.add(task);
          break;
        case UNDONE:
          break;
        case KEPT_THEN_COMMIT:
          done.add(task);
          return then(commit(write, done, start), pending.after(i));
        case UNDONE_THEN_COMMIT:
          return then(commit(write, done, start), pending.after(i));
        case COMMITTED_BY_WORK:
          succeed(done);
          return List.of(pending.after(i));
        case UNCLEAR:
          ConnectionSteps.rollbackQuietly(write.connection, new SQLException("outcome unknown"));
          for (WriteTask<?> earlier : done) {
            fail(earlier, new WriteOutcomeUnknownException(name, null), start);
          }
          return List.of(pending.after(i));
        case FAILED_WITHOUT_SAVEPOINT:
        case LOST:
          // Everything before this task was undone with the transaction: run it all again, the
          // tasks before as they ran, every task from here on in a savepoint of its own.
          ConnectionSteps.rollbackQuietly(write.connection, new SQLException("batch runs again"));
          stats.rolledBack();
          int firstAfter = done.size();
          done.addAll(pending.after(i).tasks());
          return done.isEmpty() ? List.of() : List.of(new Pending(done, firstAfter));
      }
    }
    return commit(write, done, start);
  }

  /** BEGIN IMMEDIATE for the batch; false if it failed and the tasks were dealt with. */
  private boolean begin(WriteConnection write, List<WriteTask<?>> tasks, long start) {
    long oldest = start;
    for (WriteTask<?> task : tasks) {
      oldest = Math.min(oldest, task.queuedNanos());
    }
    try {
      transactions.begin(write, oldest);
      return true;
    } catch (SqliteBusyException e) {
      // The oldest task's deadline has passed: fail every task whose deadline has, and let the
      // younger ones try again with the time they have left.
      long now = System.nanoTime();
      long deadline = options.busyDeadline().toNanos();
      for (WriteTask<?> task : tasks) {
        if (now - task.queuedNanos() >= deadline) {
          fail(task, e, start);
        }
      }
      return false;
    } catch (SQLException | InterruptedException e) {
      write.suspect();
      for (WriteTask<?> task : tasks) {
        fail(task, e, start);
      }
      return false;
    }
  }

  private static List<WriteTask<?>> notYetDone(List<WriteTask<?>> tasks) {
    List<WriteTask<?>> younger = new ArrayList<>();
    for (WriteTask<?> task : tasks) {
      if (!task.future().isDone()) {
        younger.add(task);
      }
    }
    return younger;
  }

  /** Runs one task, in its own savepoint if asked, and tells what it did to the transaction. */
  private Step runOne(WriteConnection write, WriteTask<?> task, long start, boolean inSavepoint) {
    if (inSavepoint) {
      try {
        write.statements.execute("SAVEPOINT " + savepoint);
      } catch (SQLException e) {
        write.suspect();
        fail(task, e, start);
        return Step.LOST;
      }
    }
    SealedConnection view = SealedConnection.of(name, write);
    Throwable error = null;
    try {
      task.run(view.connection());
    } catch (Throwable e) {
      error = e;
    } finally {
      view.seal();
    }
    if (view.ending() != TransactionWatch.Ending.NONE) {
      return endedByWork(write, task, view, start);
    }
    if (error == null && inSavepoint) {
      try {
        write.statements.execute("RELEASE " + savepoint);
      } catch (SQLException e) {
        error = e;
      }
    }
    return error == null
        ? afterWork(write, view, inSavepoint, false)
        : afterFailure(write, task, view, error, start, inSavepoint);
  }

  /** The task's work ended the transaction itself: the task fails, the batch hears how. */
  private Step endedByWork(
      WriteConnection write, WriteTask<?> task, SealedConnection view, long start) {
    switch (view.ending()) {
      case COMMITTED_BY_WORK:
        fail(task, view.refusedTransactionEnd(), start);
        // Whatever the work began after its commit is not the executor's: end it.
        ConnectionSteps.rollbackQuietly(
            write.connection, new SQLException("after the work's commit"));
        write.suspect();
        return Step.COMMITTED_BY_WORK;
      case ROLLED_BACK_BY_WORK:
        fail(task, view.refusedTransactionEnd(), start);
        write.suspect();
        return Step.LOST;
      case ROLLED_BACK_BY_SQLITE:
        fail(task, view.sqliteError(), start);
        write.suspect();
        return Step.LOST;
      default:
        fail(task, view.refusedTransactionEnd(), start);
        write.replace();
        return Step.UNCLEAR;
    }
  }

  /** The task failed inside the transaction: undo it alone, or have the batch run again. */
  private Step afterFailure(
      WriteConnection write,
      WriteTask<?> task,
      SealedConnection view,
      Throwable error,
      long start,
      boolean inSavepoint) {
    fail(task, error, start);
    if (!inSavepoint) {
      if (view.changedState()) {
        write.replace();
      }
      return Step.FAILED_WITHOUT_SAVEPOINT;
    }
    if (!rollBackToSavepoint(write, error)) {
      write.suspect();
      return Step.LOST;
    }
    return afterWork(write, view, true, true);
  }

  /** Whether the batch goes on after a task that kept (or undid) its work. */
  private static Step afterWork(
      WriteConnection write, SealedConnection view, boolean inSavepoint, boolean undone) {
    if (view.changedState()) {
      write.replace();
    }
    // A changed connection is replaced, and a savepoint left open without one of the executor's
    // around it could be rolled back to by a later task: either way the batch commits here.
    boolean goOn = !view.changedState() && (inSavepoint || !view.usedSavepoints());
    if (!undone) {
      return goOn ? Step.KEPT : Step.KEPT_THEN_COMMIT;
    }
    return goOn ? Step.UNDONE : Step.UNDONE_THEN_COMMIT;
  }

  /**
   * Commits the tasks that kept their work and completes them, or fails them if the COMMIT fails.
   *
   * @return the halves to run again when a deferred constraint failed the COMMIT
   */
  private List<Pending> commit(WriteConnection write, List<WriteTask<?>> done, long start) {
    if (done.isEmpty()) {
      ConnectionSteps.rollbackQuietly(write.connection, new SQLException("nothing to commit"));
      stats.rolledBack();
      return List.of();
    }
    long commitStart = System.nanoTime();
    try {
      transactions.commit(write, done.size(), start);
      lingerNanos = Math.min(LONGEST_LINGER_NANOS, (System.nanoTime() - commitStart) / 2);
      callersAtLastCommit = done.size() + queueDepth();
    } catch (Throwable e) {
      ConnectionSteps.rollbackQuietly(write.connection, e);
      stats.rolledBack();
      write.suspect();
      if (done.size() > 1 && SqliteErrors.isConstraint(e)) {
        // One task's deferred constraint failed the COMMIT of all: find it by halves.
        int half = done.size() / 2;
        return List.of(
            Pending.optimistic(new ArrayList<>(done.subList(0, half))),
            Pending.optimistic(new ArrayList<>(done.subList(half, done.size()))));
      }
      for (WriteTask<?> task : done) {
        fail(task, e, start);
      }
      return List.of();
    }
    succeed(done);
    return List.of();
  }

  /** The transaction holding these tasks committed: count them and tell their callers. */
  private void succeed(List<WriteTask<?>> done) {
    if (done.isEmpty()) {
      return;
    }
    stats.committed(done.size());
    for (WriteTask<?> task : done) {
      task.succeed();
    }
  }

  private static List<Pending> then(List<Pending> first, Pending rest) {
    List<Pending> all = new ArrayList<>(first);
    if (!rest.tasks().isEmpty()) {
      all.add(rest);
    }
    return all;
  }

  /** Undoes one failed task; false if its savepoint, and so the transaction, is gone. */
  private boolean rollBackToSavepoint(WriteConnection write, Throwable cause) {
    try {
      write.statements.execute("ROLLBACK TO " + savepoint);
      write.statements.execute("RELEASE " + savepoint);
      return true;
    } catch (SQLException e) {
      cause.addSuppressed(e);
      return false;
    }
  }
}
