package io.github.sqlitewriters;

import java.sql.SQLException;

/**
 * Another caller's work ended the {@code group-commit} transaction that held this write, in a way
 * SQLite's own reports cannot settle: it committed, and a later statement of the same call failed
 * with an error after which SQLite rolls back. Whether this write is in the database cannot be
 * told, so it is neither reported committed nor run again (which could write it twice); read the
 * database to know. Only hostile work can cause this.
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
}
