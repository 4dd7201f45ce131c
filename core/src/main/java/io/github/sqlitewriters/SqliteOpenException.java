package io.github.sqlitewriters;

import java.nio.file.Path;
import java.sql.SQLException;

/**
 * A database file could not be opened as configured: the directory is missing, the file is not a
 * database or cannot be written, or SQLite did not take a PRAGMA. Executors open their first
 * connection when they are created, so this surfaces at {@link Strategies#open} rather than at the
 * first write.
 */
public final class SqliteOpenException extends SQLException {
  private static final long serialVersionUID = 1L;

  private final transient Path path;

  /**
   * @param path the database file
   * @param reason what went wrong, in a phrase
   * @param cause the underlying failure, or null
   */
  public SqliteOpenException(Path path, String reason, Throwable cause) {
    super("cannot open SQLite database " + path + ": " + reason, "08001", cause);
    this.path = path;
  }

  /** The database file that could not be opened. */
  public Path path() {
    return path;
  }
}
