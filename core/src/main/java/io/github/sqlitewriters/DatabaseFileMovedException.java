package io.github.sqlitewriters;

import java.nio.file.Path;
import java.sql.SQLNonTransientException;

/**
 * The database file was deleted, renamed or replaced after the executor opened it. SQLite keeps
 * writing into the file it opened, so without this check every later write would be acknowledged
 * into a file nobody can find again and lost at close. The work was not committed; the executor
 * refuses writes until it is closed and opened again on the file now at the path.
 */
public final class DatabaseFileMovedException extends SQLNonTransientException {
  private static final long serialVersionUID = 1L;

  private final transient Path path;

  /**
   * @param path the database path the executor was opened on
   */
  public DatabaseFileMovedException(Path path) {
    super(
        "the database file "
            + path
            + " was deleted or replaced since the executor opened it; the work was not committed."
            + " Close the executor and open it again",
        "08006");
    this.path = path;
  }

  /** The path the executor was opened on. */
  public Path path() {
    return path;
  }
}
