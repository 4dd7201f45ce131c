package io.github.sqlitewriters.internal.connection;

import io.github.sqlitewriters.internal.sql.SqliteErrors;
import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.SQLiteCommitListener;
import org.sqlite.SQLiteConnection;

/**
 * SQLite's own word on whether the executor's transaction ended while work ran: its commit and
 * rollback hooks, which sqlite-jdbc calls on the thread that runs the statement.
 *
 * <p>Why this signal is complete: a transaction ends only by a commit, a rollback, or the
 * connection closing. SQLite calls the commit hook before every commit of a write transaction (and
 * {@code BEGIN IMMEDIATE} makes the executor's transaction a write transaction from its first
 * statement), and the rollback hook on every rollback, explicit or forced by an error ({@code
 * INSERT OR ROLLBACK}, a full disk), except the one at close; work cannot close the connection (see
 * {@link SealedConnection}). A savepoint the work creates nests inside the executor's transaction,
 * and the executor's own savepoint has a name the work cannot know, so no RELEASE or ROLLBACK TO
 * can reach it. Whatever the SQL text looks like, an end of the transaction fires a hook; when no
 * hook fired, the transaction is the one the executor began.
 *
 * <p>Cost: nothing per statement. The hooks fire once per transaction end, and the executor's own
 * COMMIT fires one while the watch is not listening.
 */
public final class TransactionWatch implements SQLiteCommitListener {
  /** How the executor's transaction fared while the work ran. */
  public enum Ending {
    /** No hook fired: the transaction is the executor's, open and whole. */
    NONE,
    /** The work committed the transaction: everything in it up to then is in the database. */
    COMMITTED_BY_WORK,
    /** The work rolled the transaction back (or tried to commit and failed): none of it stayed. */
    ROLLED_BACK_BY_WORK,
    /** SQLite rolled the transaction back after an error (full disk, I/O): none of it stayed. */
    ROLLED_BACK_BY_SQLITE,
    /**
     * The work committed, then the same call failed with an error after which SQLite rolls back:
     * the rollback may have undone the commit, or only a later statement. Hooks cannot tell.
     */
    UNCLEAR
  }

  /** The hooks seen since {@link #arm()}, oldest first: true for a commit, false for a rollback. */
  private final boolean[] events = new boolean[8];

  private int count;
  private boolean listening;

  /** Starts a watch on the connection's hooks. */
  static TransactionWatch on(Connection connection) throws SQLException {
    TransactionWatch watch = new TransactionWatch();
    connection.unwrap(SQLiteConnection.class).addCommitListener(watch);
    return watch;
  }

  /** Forgets earlier hooks and listens from now on, until {@link #disarm()}. */
  public void arm() {
    count = 0;
    listening = true;
  }

  /** Stops listening: the executor's own COMMIT or ROLLBACK follows. */
  public void disarm() {
    listening = false;
  }

  /** True once a hook fired since {@link #arm()}. */
  public boolean fired() {
    return count > 0;
  }

  @Override
  public void onCommit() {
    record(true);
  }

  @Override
  public void onRollback() {
    record(false);
  }

  private void record(boolean commit) {
    if (listening) {
      if (count < events.length) {
        events[count] = commit;
      }
      count++;
    }
  }

  /**
   * Reads the hooks fired by one call of the work.
   *
   * @param callError what that call threw, or null
   */
  public Ending ending(Throwable callError) {
    if (count == 0) {
      return Ending.NONE;
    }
    if (!events[0]) {
      return callError != null && SqliteErrors.rollsBackTransaction(callError)
          ? Ending.ROLLED_BACK_BY_SQLITE
          : Ending.ROLLED_BACK_BY_WORK;
    }
    // The commit hook fires before the commit is done; the commit can still fail. A busy COMMIT
    // leaves the transaction open with no further hook; any other failure rolls it back at once.
    if (callError != null && count == 1 && SqliteErrors.isBusy(callError)) {
      return Ending.NONE;
    }
    if (callError != null
        && count >= 2
        && !events[1]
        && SqliteErrors.rollsBackTransaction(callError)) {
      return Ending.UNCLEAR;
    }
    return Ending.COMMITTED_BY_WORK;
  }

  /** True if a commit hook fired after the first rollback: the work wrote and committed again. */
  public boolean committedAfterRollback() {
    int seen = Math.min(count, events.length);
    boolean rolledBack = false;
    for (int i = 0; i < seen; i++) {
      if (!events[i]) {
        rolledBack = true;
      } else if (rolledBack) {
        return true;
      }
    }
    return false;
  }
}
