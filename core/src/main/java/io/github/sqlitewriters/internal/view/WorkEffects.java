package io.github.sqlitewriters.internal.view;

import io.github.sqlitewriters.TransactionControlException;
import io.github.sqlitewriters.internal.connection.TransactionWatch;
import io.github.sqlitewriters.internal.sql.SqlText;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What one work did beyond its rows, as its view saw it: whether it ended the executor's
 * transaction (and how, and what that means for its own writes), used savepoints, or ran SQL that
 * may have changed the connection's state. The view tells this class of every statement's SQL
 * before it runs ({@link #read}) and of every call's end ({@link #afterCall}); the executor reads
 * the result once the view is sealed.
 *
 * <p>A transaction end is read from SQLite's commit and rollback hooks ({@link TransactionWatch}),
 * not from the SQL text, because SQL can end a transaction in ways no text check sees (a COMMIT in
 * a multi-statement string, an error after which SQLite rolls back by itself). Once it has ended,
 * every later call is refused with the same error, so nothing the work does afterwards runs outside
 * the transaction.
 */
final class WorkEffects {
  private final Connection raw;

  /** Null where the executor owns no transaction the view must watch. */
  private final TransactionWatch watch;

  private boolean changedState;
  private boolean usedSavepoints;
  private TransactionWatch.Ending ending = TransactionWatch.Ending.NONE;
  private boolean workCommittedSomething;
  private SQLException refusal;
  private Throwable sqliteError;

  WorkEffects(Connection raw, TransactionWatch watch) {
    this.raw = raw;
    this.watch = watch;
    if (watch != null) {
      watch.arm();
    }
  }

  /** The work's calls are over: the hooks stop counting. */
  void stopWatching() {
    if (watch != null) {
      watch.disarm();
    }
  }

  /** Notes what a statement of the work may do beyond its rows. */
  void read(SqlText.Kind kind) {
    usedSavepoints |= kind == SqlText.Kind.SAVEPOINT;
    changedState |= kind == SqlText.Kind.OTHER;
  }

  /** The error every call gets once the transaction has ended; null while it has not. */
  SQLException refusal() {
    return refusal;
  }

  /** Reads the watch after a call; if the call ended the transaction, nothing more may run. */
  void afterCall(Throwable callError) throws SQLException {
    if (watch == null || !watch.fired()) {
      return;
    }
    ending = watch.ending(callError);
    if (ending == TransactionWatch.Ending.NONE) {
      // A commit hook, then a busy error: either SQLite refused the COMMIT as busy and the
      // transaction is still the executor's, or the COMMIT went through and a later statement of
      // the call met a lock. Only the second leaves no transaction open.
      if (transactionOpen()) {
        watch.arm();
        throw new TransactionControlException("the statement COMMIT");
      }
      ending = TransactionWatch.Ending.COMMITTED_BY_WORK;
    }
    workCommittedSomething =
        ending == TransactionWatch.Ending.COMMITTED_BY_WORK || watch.committedAfterRollback();
    watch.disarm();
    if (ending == TransactionWatch.Ending.ROLLED_BACK_BY_SQLITE) {
      sqliteError = callError;
      refusal =
          new SQLException(
              "SQLite rolled back the transaction after: " + callError.getMessage(), callError);
      return;
    }
    TransactionControlException refused = refusedTransactionEnd();
    if (callError != null) {
      refused.addSuppressed(callError);
    }
    refusal = refused;
    throw refused;
  }

  /** Whether a transaction is open: BEGIN fails inside one. The probe itself is rolled back. */
  private boolean transactionOpen() {
    watch.disarm();
    try (Statement probe = raw.createStatement()) {
      probe.execute("BEGIN");
      probe.execute("ROLLBACK");
      return false;
    } catch (SQLException e) {
      return true;
    } finally {
      watch.arm();
    }
  }

  /** How the executor's transaction fared; {@code NONE} while it is open and whole. */
  TransactionWatch.Ending ending() {
    return ending;
  }

  /**
   * The error for the work's caller when the work itself ended the transaction, with the truth
   * about its own writes; null otherwise.
   */
  TransactionControlException refusedTransactionEnd() {
    if (ending == TransactionWatch.Ending.NONE
        || ending == TransactionWatch.Ending.ROLLED_BACK_BY_SQLITE) {
      return null;
    }
    return new TransactionControlException(
        ending == TransactionWatch.Ending.COMMITTED_BY_WORK
            ? "ending the executor's transaction with a commit"
            : "rolling back the executor's transaction",
        ending == TransactionWatch.Ending.UNCLEAR
            ? TransactionControlException.Outcome.UNKNOWN
            : workCommittedSomething
                ? TransactionControlException.Outcome.COMMITTED_BY_WORK
                : TransactionControlException.Outcome.NOT_COMMITTED);
  }

  /** The error after which SQLite rolled the transaction back itself, when that is how it ended. */
  Throwable sqliteError() {
    return sqliteError;
  }

  /** See {@link SealedConnection#changedState()}. */
  boolean changedState() {
    return changedState;
  }

  /** See {@link SealedConnection#usedSavepoints()}. */
  boolean usedSavepoints() {
    return usedSavepoints;
  }
}
