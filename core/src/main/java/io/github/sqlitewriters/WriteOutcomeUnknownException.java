package io.github.sqlitewriters;

import java.sql.SQLException;
import java.time.Duration;

/**
 * Whether this write is in the database cannot be told, so it is neither reported committed nor run
 * again (which could write it twice); read the database to know. Two things cause it:
 *
 * <ul>
 *   <li>Another caller's work ended the {@code group-commit} transaction that held this write, in a
 *       way SQLite's own reports cannot settle: it committed, and a later statement of the same
 *       call failed with an error after which SQLite rolls back. Only hostile work can cause this.
 *   <li>Under {@code group-commit-data-source}, the transaction that shares this one's COMMIT held
 *       the write connection past the busy deadline (a caller that keeps a transaction open): this
 *       transaction's writes commit when that one ends, or not at all if that COMMIT fails.
 * </ul>
 */
public final class WriteOutcomeUnknownException extends SQLException {
  private static final long serialVersionUID = 1L;

  public WriteOutcomeUnknownException(String strategy, Throwable cause) {
    super(
        "another caller's work ended the "
            + strategy
            + " transaction holding this write (a commit, then a failure SQLite rolls back"
            + " after); whether this write was committed cannot be told",
        cause);
  }

  private WriteOutcomeUnknownException(String message) {
    super(message);
  }

  /**
   * A {@code group-commit-data-source} transaction's commit() waited past the busy deadline for the
   * COMMIT its writes are in.
   */
  public static WriteOutcomeUnknownException commitStillPending(
      String dataSource, Duration waited) {
    return new WriteOutcomeUnknownException(
        dataSource
            + ": after "
            + waited.toMillis()
            + " ms the transaction that shares this one's COMMIT still holds the write"
            + " connection; this transaction's writes commit when it ends, or not at all if that"
            + " COMMIT fails: whether they are in the database cannot be told yet");
  }
}
