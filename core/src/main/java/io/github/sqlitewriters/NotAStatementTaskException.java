package io.github.sqlitewriters;

import java.sql.SQLNonTransientException;

/**
 * SQL or parameters that cannot be a statement task ({@link SqlStatement}): several statements in
 * one string, a PRAGMA or DDL, a query, a {@code RETURNING} clause, or a parameter of a type SQLite
 * cannot bind. Thrown when the task is made, before anything is queued or run, so a mistake in the
 * text never costs a transaction or another caller's write; the message says what to use instead.
 * (Transaction control such as BEGIN or COMMIT is refused with {@link TransactionControlException},
 * as inside any work.)
 */
public final class NotAStatementTaskException extends SQLNonTransientException {
  private static final long serialVersionUID = 1L;

  public NotAStatementTaskException(String reason, String sql) {
    super("not a statement task: " + reason + " (use write(SqlWork) for it): " + sql, "42000");
  }
}
