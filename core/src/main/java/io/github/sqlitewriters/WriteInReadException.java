package io.github.sqlitewriters;

import java.sql.SQLNonTransientException;

/**
 * Work given to {@link WriteExecutor#read} tried to change the database. Reader connections run
 * with {@code PRAGMA query_only=1}, so the write never happens; use {@link WriteExecutor#write}.
 */
public final class WriteInReadException extends SQLNonTransientException {
  private static final long serialVersionUID = 1L;

  /**
   * @param strategy the executor's strategy
   * @param cause SQLite's SQLITE_READONLY error
   */
  public WriteInReadException(String strategy, Throwable cause) {
    super(
        "work passed to read() of "
            + strategy
            + " tried to write; reads run on query_only connections, use write()",
        "25006",
        cause);
  }

  /** For writes refused elsewhere than in read(), such as on a read-only DataSource connection. */
  public WriteInReadException(Throwable cause, String what) {
    super(what + "; it runs with query_only=1", "25006", cause);
  }
}
