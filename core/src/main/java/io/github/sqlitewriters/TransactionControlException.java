package io.github.sqlitewriters;

import java.sql.SQLNonTransientException;

/**
 * Work tried to begin, commit or roll back the transaction, change auto-commit, or close the
 * connection. The executor owns the transaction (under {@code group-commit} it holds other callers'
 * work too), so these are refused before they reach SQLite; the work fails and is rolled back, and
 * nobody else's work is touched.
 */
public final class TransactionControlException extends SQLNonTransientException {
  private static final long serialVersionUID = 1L;

  /**
   * @param what the refused call or statement
   */
  public TransactionControlException(String what) {
    super(
        what
            + " is not allowed inside work: the transaction belongs to the executor"
            + " (use SAVEPOINT, RELEASE and ROLLBACK TO for nested scopes)");
  }
}
