package io.github.sqlitewriters.internal.connection;

import io.github.sqlitewriters.DatabaseFileMovedException;
import io.github.sqlitewriters.SqliteOpenException;
import io.github.sqlitewriters.internal.sql.ConnectionSteps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;

/**
 * Which file is at the database path: its identity (device and inode on Linux) as it was when the
 * executor opened, checked again inside every write transaction. A stat call costs about a
 * microsecond, small beside any COMMIT.
 */
public final class DatabaseFile {
  private final Path path;
  private final Object identity;

  private DatabaseFile(Path path) throws IOException {
    this.path = path;
    this.identity = identity(path);
  }

  /**
   * The file a connection has just opened at the path; if its identity cannot be read the
   * connection is closed and the open fails.
   */
  public static DatabaseFile openedBy(Connection connection, Path path) throws SqliteOpenException {
    try {
      return new DatabaseFile(path);
    } catch (IOException e) {
      SqliteOpenException failure =
          new SqliteOpenException(path, "cannot read the file's identity: " + e, e);
      ConnectionSteps.closeQuietly(connection, failure);
      throw failure;
    }
  }

  /**
   * Fails if another file, or none, is at the path now. Where the file system gives no identity the
   * check cannot tell and passes.
   */
  public void checkUnchanged() throws DatabaseFileMovedException {
    if (identity == null) {
      return;
    }
    try {
      if (!identity.equals(identity(path))) {
        throw new DatabaseFileMovedException(path);
      }
    } catch (NoSuchFileException e) {
      throw new DatabaseFileMovedException(path);
    } catch (IOException e) {
      // Cannot tell; SQLite itself will report a file that cannot be reached.
    }
  }

  private static Object identity(Path path) throws IOException {
    return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
  }
}
