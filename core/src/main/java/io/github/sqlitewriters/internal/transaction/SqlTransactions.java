package io.github.sqlitewriters.internal.transaction;

import io.github.sqlitewriters.DatabaseFileMovedException;
import io.github.sqlitewriters.ExecutorOptions;
import io.github.sqlitewriters.SqlWork;
import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.TransactionControlException;
import io.github.sqlitewriters.internal.connection.DatabaseFile;
import io.github.sqlitewriters.internal.connection.TransactionWatch;
import io.github.sqlitewriters.internal.connection.WriteConnection;
import io.github.sqlitewriters.internal.sql.ConnectionSteps;
import io.github.sqlitewriters.internal.sql.SqliteErrors;
import io.github.sqlitewriters.internal.stats.BusyWaitEvent;
import io.github.sqlitewriters.internal.stats.CommitEvent;
import io.github.sqlitewriters.internal.stats.StatsRecorder;
import io.github.sqlitewriters.internal.view.SealedConnection;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.sqlite.SQLiteConnection;

/**
 * Write transactions as plain SQL, {@code BEGIN IMMEDIATE} ... {@code COMMIT}, on a connection left
 * in auto-commit mode.
 *
 * <p>Why plain SQL: sqlite-jdbc's IMMEDIATE transaction mode sends a new BEGIN IMMEDIATE straight
 * after every COMMIT, so a connection in that mode holds the write lock between transactions and
 * starves every other writer. Why IMMEDIATE: a deferred transaction that reads before it writes
 * must upgrade its lock, and SQLite refuses that upgrade at once, busy timeout or not; taking the
 * write lock at BEGIN is the only wait SQLite's busy handler can serve.
 *
 * <p>No attempt waits inside SQLite's busy handler. BEGIN IMMEDIATE and COMMIT run with the busy
 * timeout set to zero, and one that reports busy (another process holds the lock, or
 * SQLITE_BUSY_RECOVERY and friends) is retried after a pause in Java, at most {@link
 * #LONGEST_PAUSE}, until the deadline. Two reasons: a native call keeps a virtual thread's carrier,
 * while a park frees it; and SQLite's handler sleeps up to 100 ms at a time, so a writer that waits
 * in it loses the lock, again and again, to a writer of another process that tries more often. With
 * turns across processes only the one writer whose turn it is meets the lock, and it must not lose
 * it to a stranger for that reason (a writer thread waiting in the handler got 5 % of what a
 * parking one got beside a foreign writer).
 */
public final class SqlTransactions {
  private final String strategy;
  private final int busyTimeoutMillis;
  private final long deadlineNanos;
  private final StatsRecorder stats;
  private final DatabaseFile file;

  /**
   * The longest pause between two attempts at another process's lock: hand-off within a few
   * milliseconds.
   */
  public static final Duration LONGEST_PAUSE = Duration.ofMillis(2);

  public SqlTransactions(
      String strategy,
      SqliteSettings settings,
      ExecutorOptions options,
      StatsRecorder stats,
      DatabaseFile file) {
    this.strategy = strategy;
    this.file = file;
    this.busyTimeoutMillis = (int) settings.busyTimeout().toMillis();
    this.deadlineNanos = options.busyDeadline().toNanos();
    this.stats = stats;
  }

  /**
   * Takes the write lock, retrying until the busy deadline counted from {@code calledNanos} (when
   * the caller handed the work in, so time spent queued counts), then makes sure the file at the
   * path is still the one the executor opened.
   */
  public void begin(WriteConnection writer, long calledNanos)
      throws SQLException, InterruptedException {
    retryWhileBusy(writer, "BEGIN IMMEDIATE", calledNanos + deadlineNanos);
    try {
      file.checkUnchanged();
    } catch (DatabaseFileMovedException e) {
      ConnectionSteps.rollbackQuietly(writer.connection, e);
      throw e;
    }
  }

  /**
   * Commits, retrying until the deadline (a rollback-journal COMMIT waits for readers), and tells
   * the statistics and JFR how long the transaction ran and its COMMIT took. If this throws, the
   * transaction is still open and the caller must roll it back.
   *
   * @param tasks the callers' works the transaction holds
   * @param begunNanos when its BEGIN IMMEDIATE returned
   */
  public void commit(WriteConnection writer, int tasks, long begunNanos)
      throws SQLException, InterruptedException {
    long start = System.nanoTime();
    CommitEvent event = CommitEvent.start();
    // The work is done: COMMIT gets a whole busy deadline of its own before it is given up.
    retryWhileBusy(writer, "COMMIT", start + deadlineNanos);
    event.finish(strategy, tasks);
    stats.commitTook(tasks, start - begunNanos, System.nanoTime() - start);
  }

  /**
   * Runs one caller's work as one transaction on a connection nobody else is using, in a {@link
   * SealedConnection} view. If the work ended the transaction itself, the caller gets a {@link
   * TransactionControlException} that says whether its writes were committed; whatever happened,
   * the connection is left with no transaction open, and suspected where the work may have changed
   * its state.
   *
   * @param calledNanos when the caller handed the work in
   * @throws InterruptedException if interrupted while backing off; the work is rolled back
   */
  public <T> T run(WriteConnection writer, SqlWork<T> work, long calledNanos)
      throws SQLException, InterruptedException {
    Connection connection = writer.connection;
    begin(writer, calledNanos);
    long begun = System.nanoTime();
    SealedConnection view = SealedConnection.of(strategy, writer);
    T result;
    try {
      result = work.run(view.connection());
    } catch (Throwable e) {
      view.seal();
      throw SqliteErrors.forBlockingCaller(ended(writer, view, e));
    } finally {
      view.seal();
      if (view.changedState()) {
        writer.replace();
      }
    }
    TransactionControlException refused = view.refusedTransactionEnd();
    if (refused != null) {
      throw SqliteErrors.forBlockingCaller(ended(writer, view, refused));
    }
    try {
      commit(writer, 1, begun);
    } catch (Throwable e) {
      ConnectionSteps.rollbackQuietly(connection, e);
      stats.rolledBack();
      writer.suspect();
      throw e;
    }
    stats.committed(1);
    return result;
  }

  /**
   * Ends a transaction whose work failed or ended it itself, and returns what the caller should
   * get: the work's own error, or the refusal that says what became of its writes.
   */
  private Throwable ended(WriteConnection writer, SealedConnection view, Throwable error) {
    TransactionControlException refused = view.refusedTransactionEnd();
    Throwable forCaller = refused != null ? refused : error;
    if (!ConnectionSteps.rollbackQuietly(writer.connection, forCaller)) {
      writer.suspect();
    }
    if (view.ending() == TransactionWatch.Ending.COMMITTED_BY_WORK) {
      stats.committed(1);
    } else {
      stats.rolledBack();
    }
    return forCaller;
  }

  private void retryWhileBusy(WriteConnection writer, String sql, long deadlineAtNanos)
      throws SQLException, InterruptedException {
    Connection connection = writer.connection;
    long start = System.nanoTime();
    Backoff backoff = new Backoff(deadlineAtNanos, LONGEST_PAUSE.toNanos());
    BusyWaitEvent waiting = null;
    // The attempt must not wait inside SQLite: the busy timeout is zero for it, then restored.
    boolean zeroed = busyTimeoutMillis > 0;
    for (int attempt = 1; ; attempt++) {
      try {
        if (zeroed) {
          setBusyTimeout(connection, 0);
        }
        writer.statements.execute(sql);
        if (waiting != null) {
          waiting.finish(strategy, sql, attempt, false);
        }
        return;
      } catch (SQLException e) {
        boolean busy = SqliteErrors.isBusy(e) && !SqliteErrors.waitingCannotHelp(e);
        if (busy && waiting == null) {
          waiting = new BusyWaitEvent();
          waiting.begin();
        }
        if (!busy || !backoff.pause()) {
          if (waiting != null) {
            waiting.finish(strategy, sql, attempt, busy);
          }
          throw SqliteErrors.forCaller(e, strategy, attempt, start);
        }
        stats.busyRetry();
      } finally {
        if (zeroed) {
          setBusyTimeout(connection, busyTimeoutMillis);
        }
      }
    }
  }

  private static void setBusyTimeout(Connection connection, int millis) throws SQLException {
    connection.unwrap(SQLiteConnection.class).setBusyTimeout(millis);
  }
}
