package io.github.sqlitewriters;

import java.sql.SQLNonTransientException;

/**
 * The connection given to work, or a statement, result set or metadata object obtained from it, was
 * used after the work returned (kept in a field, or handed to another thread). The executor has
 * taken the connection back: it may already hold another caller's transaction, so a late call could
 * write into that caller's transaction, or outside any. The call is refused before it reaches
 * SQLite; the work that kept the object had its own outcome decided when it returned.
 */
public final class ConnectionOutsideWorkException extends SQLNonTransientException {
  private static final long serialVersionUID = 1L;

  public ConnectionOutsideWorkException(String strategy, String what) {
    super(
        what
            + " was used after its work returned; the "
            + strategy
            + " executor has taken the connection back. Use the connection, and everything"
            + " obtained from it, only inside the work it was given to.");
  }
}
