package io.github.sqlitewriters.internal.connection;

import io.github.sqlitewriters.SqliteOpenException;
import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.SqliteSettings.GeneratedKeys;
import io.github.sqlitewriters.internal.sql.ConnectionSteps;
import io.github.sqlitewriters.internal.sql.SqliteErrors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Opens and checks connections as {@link SqliteSettings} say: each setting one PRAGMA, set and read
 * back on every connection; a write connection proved writable at once; a connection that work may
 * have changed compared with the settings and restored. Apart from the settings value because a
 * user holds the value and never these steps: the value stays a small immutable description, and
 * the steps can change without touching the API.
 */
public final class SqliteConnector {
  private final SqliteSettings settings;
  private final List<Pragma> applied;

  private SqliteConnector(SqliteSettings settings) {
    this.settings = settings;
    this.applied = pragmas(settings);
  }

  /** The steps for these settings. */
  public static SqliteConnector of(SqliteSettings settings) {
    return new SqliteConnector(settings);
  }

  /**
   * Every PRAGMA the settings set, in the order they are run: busy_timeout first, so that the
   * pragmas after it wait for a lock instead of failing.
   */
  public static List<Pragma> pragmas(SqliteSettings settings) {
    List<Pragma> list = new ArrayList<>();
    list.add(new Pragma("busy_timeout", Long.toString(settings.busyTimeout().toMillis())));
    list.add(new Pragma("journal_mode", settings.journalMode().name()));
    list.add(
        new Pragma(
            "synchronous",
            settings.synchronous().name(),
            Integer.toString(settings.synchronous().ordinal())));
    list.add(new Pragma("foreign_keys", settings.foreignKeys() ? "ON" : "OFF"));
    settings.otherPragmas().forEach((name, value) -> list.add(new Pragma(name, value)));
    return List.copyOf(list);
  }

  /**
   * Opens a new connection and applies every PRAGMA to it: what {@link
   * SqliteSettings#openConnection()} does.
   *
   * @throws SqliteOpenException if the file cannot be opened or a PRAGMA did not take
   */
  public Connection open() throws SQLException {
    return open(false);
  }

  /**
   * Opens a write connection and makes sure the file can be written, so that a missing directory, a
   * file that is not a database or a read-only file fails here and not at the first write; the
   * connection is closed again if not.
   */
  public Connection openWritable() throws SQLException {
    Connection connection = open();
    try {
      checkWritable(connection);
      return connection;
    } catch (SQLException | RuntimeException e) {
      ConnectionSteps.closeQuietly(connection, e);
      throw e;
    }
  }

  /** Opens a connection for reads: the same PRAGMAs, then {@code query_only=1}. */
  public Connection openReader() throws SQLException {
    return open(true);
  }

  private Connection open(boolean queryOnly) throws SQLException {
    Path path = settings.path();
    Path directory = path.getParent();
    if (directory != null && !Files.isDirectory(directory)) {
      throw new SqliteOpenException(path, "directory " + directory + " does not exist", null);
    }
    if (Files.isDirectory(path)) {
      throw new SqliteOpenException(path, "it is a directory", null);
    }
    Connection connection;
    try {
      SQLiteConfig config = new SQLiteConfig();
      config.setBusyTimeout((int) settings.busyTimeout().toMillis());
      config.setGetGeneratedKeys(keysAfterEveryInsert());
      connection = config.createConnection("jdbc:sqlite:" + path);
    } catch (SQLException e) {
      throw new SqliteOpenException(path, e.getMessage(), e);
    }
    try {
      for (Pragma pragma : applied) {
        pragma.apply(connection, path);
      }
      if (queryOnly) {
        queryOnly(true).apply(connection, path);
      }
      boolean keys =
          connection.unwrap(SQLiteConnection.class).getConnectionConfig().isGetGeneratedKeys();
      if (keys != keysAfterEveryInsert()) {
        throw new SqliteOpenException(
            path, "jdbc.get_generated_keys=" + keysAfterEveryInsert() + " did not take", null);
      }
      return connection;
    } catch (SQLException | RuntimeException e) {
      ConnectionSteps.closeQuietly(connection, e);
      // A lock held elsewhere is not a bad file: let the strategy report it as busy.
      if (e instanceof SqliteOpenException || SqliteErrors.isBusy(e)) {
        throw e;
      }
      throw new SqliteOpenException(path, e.getMessage(), e);
    }
  }

  /**
   * What differs on this connection from these settings, or null if nothing: every PRAGMA read
   * back, {@code query_only} (on for readers only), attached databases and temporary objects. Work
   * can change all of these on the connection it is given; the executors check after work that ran
   * anything but row statements.
   */
  public String drift(Connection connection, boolean reader) throws SQLException {
    List<String> differences = new ArrayList<>();
    for (Pragma pragma : applied) {
      String value = pragma.readBack(connection);
      if (!pragma.took(value)) {
        differences.add(pragma.name() + "=" + value);
      }
    }
    Pragma queryOnly = queryOnly(reader);
    String value = queryOnly.readBack(connection);
    if (!queryOnly.took(value)) {
      differences.add("query_only=" + value);
    }
    try (Statement statement = connection.createStatement();
        ResultSet attached =
            statement.executeQuery(
                "SELECT (SELECT count(*) FROM pragma_database_list WHERE name <> 'main'"
                    + " AND name <> 'temp'), (SELECT count(*) FROM temp.sqlite_master)")) {
      attached.next();
      if (attached.getLong(1) > 0) {
        differences.add(attached.getLong(1) + " attached database(s)");
      }
      if (attached.getLong(2) > 0) {
        differences.add(attached.getLong(2) + " temporary object(s)");
      }
    }
    return differences.isEmpty() ? null : String.join(", ", differences);
  }

  /**
   * Sets every PRAGMA again, and {@code query_only}; inside a transaction SQLite keeps some of them
   * (journal mode, foreign keys) as they are, which {@link #drift} then still reports.
   */
  public void restore(Connection connection, boolean reader) throws SQLException {
    for (Pragma pragma : applied) {
      pragma.set(connection);
    }
    queryOnly(reader).set(connection);
  }

  private static Pragma queryOnly(boolean reader) {
    return new Pragma("query_only", reader ? "1" : "0");
  }

  /**
   * Fails if the file cannot be written, without waiting: a read-only file opens without complaint
   * and would otherwise fail only at the first write. Takes the write lock for an instant and
   * rewrites one header field inside a transaction it rolls back; if another connection holds the
   * lock, the file is writable and that is all this needs to know.
   */
  private void checkWritable(Connection connection) throws SQLException {
    SQLiteConnection sqlite = connection.unwrap(SQLiteConnection.class);
    sqlite.setBusyTimeout(0);
    try (Statement statement = connection.createStatement()) {
      statement.execute("BEGIN IMMEDIATE");
      try {
        // Taking the lock does not touch the file; rewriting a header field does, and is undone.
        long version;
        try (ResultSet result = statement.executeQuery("PRAGMA user_version")) {
          version = result.next() ? result.getLong(1) : 0;
        }
        statement.execute("PRAGMA user_version=" + version);
      } finally {
        statement.execute("ROLLBACK");
      }
    } catch (SQLiteException e) {
      int primary = e.getResultCode().code & 0xff;
      if (primary != SQLiteErrorCode.SQLITE_BUSY.code
          && primary != SQLiteErrorCode.SQLITE_LOCKED.code) {
        throw new SqliteOpenException(
            settings.path(), "the file cannot be written: " + e.getMessage(), e);
      }
    } finally {
      sqlite.setBusyTimeout((int) settings.busyTimeout().toMillis());
    }
  }

  /** Whether sqlite-jdbc reads the generated keys after every INSERT on these connections. */
  public boolean keysAfterEveryInsert() {
    return settings.generatedKeys().orElse(null) != GeneratedKeys.ON_REQUEST;
  }

  /** These settings, with {@code mode} for generated keys unless they name one already. */
  public static SqliteSettings withGeneratedKeysUnlessSet(
      SqliteSettings settings, GeneratedKeys mode) {
    if (settings.generatedKeys().isPresent()) {
      return settings;
    }
    return settings.toBuilder().generatedKeys(mode).build();
  }
}
