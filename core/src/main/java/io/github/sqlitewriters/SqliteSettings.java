package io.github.sqlitewriters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Where the database is and how every connection to it is set up: immutable, validated once by its
 * {@link Builder}, and applied the same way to every connection an executor opens, including pooled
 * connections opened later.
 *
 * <p>Each setting is one PRAGMA, run as its own statement (sqlite-jdbc runs only the first
 * statement of a multi-statement string) and read back, so a PRAGMA that SQLite silently ignored
 * fails the open instead of skewing a measurement. {@link #pragmas()} lists the exact statements,
 * for published results.
 *
 * <p>The defaults are what a concurrent writer wants: WAL (readers beside the writer),
 * synchronous=NORMAL (durable across process crashes in WAL), a 5 s busy timeout set explicitly
 * (sqlite-jdbc's own default is 3 s), and foreign keys on.
 *
 * @see <a href="https://www.sqlite.org/pragma.html">SQLite PRAGMA statements</a>
 */
public final class SqliteSettings {

  /**
   * How SQLite journals transactions.
   *
   * @see <a href="https://www.sqlite.org/pragma.html#pragma_journal_mode">journal_mode</a>
   */
  public enum JournalMode {
    DELETE,
    TRUNCATE,
    PERSIST,
    MEMORY,
    WAL,
    OFF
  }

  /**
   * How often SQLite waits for the disk.
   *
   * @see <a href="https://www.sqlite.org/pragma.html#pragma_synchronous">synchronous</a>
   */
  public enum Synchronous {
    OFF,
    NORMAL,
    FULL,
    EXTRA
  }

  /**
   * When sqlite-jdbc reads back the key an INSERT generated. Not a PRAGMA: a setting of the driver,
   * read back from each connection all the same.
   */
  public enum GeneratedKeys {
    /**
     * After every INSERT, asked for or not: sqlite-jdbc's own default. It prepares and runs {@code
     * SELECT last_insert_rowid()} after each one, which was 35 % of a group-commit writer's time.
     */
    AFTER_EVERY_INSERT,
    /**
     * Only for statements that ask for them, as JDBC specifies: {@code RETURN_GENERATED_KEYS} or
     * column names or indexes given to {@code prepareStatement} or {@code execute...}. The executor
     * serves {@code getGeneratedKeys()} for those; other statements run no extra query.
     */
    ON_REQUEST
  }

  private static final Pattern PRAGMA_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern PRAGMA_VALUE = Pattern.compile("-?[A-Za-z0-9_.]+");
  private static final Set<String> DEDICATED =
      Set.of("journal_mode", "synchronous", "busy_timeout", "foreign_keys", "query_only");

  private final Path path;
  private final JournalMode journalMode;
  private final Synchronous synchronous;
  private final Duration busyTimeout;
  private final boolean foreignKeys;
  private final Map<String, String> otherPragmas;
  private final GeneratedKeys generatedKeys;
  private final List<Pragma> applied;

  private SqliteSettings(Builder builder) {
    this.path = builder.path.toAbsolutePath().normalize();
    this.journalMode = builder.journalMode;
    this.synchronous = builder.synchronous;
    this.busyTimeout = builder.busyTimeout;
    this.foreignKeys = builder.foreignKeys;
    this.otherPragmas = Collections.unmodifiableMap(new LinkedHashMap<>(builder.otherPragmas));
    this.generatedKeys = builder.generatedKeys;
    List<Pragma> list = new ArrayList<>();
    // busy_timeout first, so that the pragmas after it wait for a lock instead of failing.
    list.add(new Pragma("busy_timeout", Long.toString(busyTimeout.toMillis())));
    list.add(new Pragma("journal_mode", journalMode.name()));
    list.add(
        new Pragma("synchronous", synchronous.name(), Integer.toString(synchronous.ordinal())));
    list.add(new Pragma("foreign_keys", foreignKeys ? "ON" : "OFF"));
    otherPragmas.forEach((name, value) -> list.add(new Pragma(name, value)));
    this.applied = List.copyOf(list);
  }

  /** Starts settings for the database file at {@code path}, with the defaults above. */
  public static Builder builder(Path path) {
    return new Builder(path);
  }

  /** A builder holding these settings, to change some of them. */
  public Builder toBuilder() {
    Builder builder =
        new Builder(path)
            .journalMode(journalMode)
            .synchronous(synchronous)
            .busyTimeout(busyTimeout)
            .foreignKeys(foreignKeys);
    otherPragmas.forEach(builder::pragma);
    builder.generatedKeys = generatedKeys;
    return builder;
  }

  /** These settings with another busy timeout. */
  public SqliteSettings withBusyTimeout(Duration timeout) {
    return toBuilder().busyTimeout(timeout).build();
  }

  /** The database file, as an absolute path. */
  public Path path() {
    return path;
  }

  public JournalMode journalMode() {
    return journalMode;
  }

  public Synchronous synchronous() {
    return synchronous;
  }

  public Duration busyTimeout() {
    return busyTimeout;
  }

  public boolean foreignKeys() {
    return foreignKeys;
  }

  /**
   * When generated keys are read back, if the settings say; empty leaves it to the strategy: the
   * product strategies read them {@linkplain GeneratedKeys#ON_REQUEST on request}, the comparison
   * strategies keep the driver's default ({@link GeneratedKeys#AFTER_EVERY_INSERT}).
   */
  public Optional<GeneratedKeys> generatedKeys() {
    return Optional.ofNullable(generatedKeys);
  }

  /** These settings, with {@code mode} for generated keys unless they name one already. */
  SqliteSettings withGeneratedKeysUnlessSet(GeneratedKeys mode) {
    if (generatedKeys != null) {
      return this;
    }
    Builder builder = toBuilder();
    builder.generatedKeys = mode;
    return builder.build();
  }

  /** PRAGMAs set by name with {@link Builder#pragma}, in the order given. */
  public Map<String, String> otherPragmas() {
    return otherPragmas;
  }

  /**
   * The exact statements run on every connection, in order, e.g. {@code PRAGMA synchronous=FULL}.
   */
  public List<String> pragmas() {
    List<String> statements = new ArrayList<>();
    for (Pragma pragma : applied) {
      statements.add(pragma.statement());
    }
    return statements;
  }

  /**
   * Opens a new connection and applies every PRAGMA to it.
   *
   * @throws SqliteOpenException if the file cannot be opened or a PRAGMA did not take
   */
  public Connection openConnection() throws SQLException {
    return open(false);
  }

  /**
   * Opens a write connection and makes sure the file can be written, so that a missing directory, a
   * file that is not a database or a read-only file fails here and not at the first write; the
   * connection is closed again if not.
   */
  Connection openWritable() throws SQLException {
    Connection connection = openConnection();
    try {
      checkWritable(connection);
      return connection;
    } catch (SQLException | RuntimeException e) {
      SqlStatements.closeQuietly(connection, e);
      throw e;
    }
  }

  /** Opens a connection for reads: the same PRAGMAs, then {@code query_only=1}. */
  Connection openReader() throws SQLException {
    return open(true);
  }

  private Connection open(boolean queryOnly) throws SQLException {
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
      config.setBusyTimeout((int) busyTimeout.toMillis());
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
      SqlStatements.closeQuietly(connection, e);
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
  String drift(Connection connection, boolean reader) throws SQLException {
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
  void restore(Connection connection, boolean reader) throws SQLException {
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
  void checkWritable(Connection connection) throws SQLException {
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
        throw new SqliteOpenException(path, "the file cannot be written: " + e.getMessage(), e);
      }
    } finally {
      sqlite.setBusyTimeout((int) busyTimeout.toMillis());
    }
  }

  /** Whether sqlite-jdbc reads the generated keys after every INSERT on these connections. */
  boolean keysAfterEveryInsert() {
    return generatedKeys != GeneratedKeys.ON_REQUEST;
  }

  @Override
  public String toString() {
    return "SqliteSettings"
        + pragmas()
        + (generatedKeys == null ? "" : ", generated keys " + generatedKeys)
        + " on "
        + path;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SqliteSettings
        && ((SqliteSettings) other).path.equals(path)
        && ((SqliteSettings) other).applied.equals(applied)
        && ((SqliteSettings) other).generatedKeys == generatedKeys;
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, applied, generatedKeys);
  }

  /** One PRAGMA: the statement that sets it and the value SQLite reports back when it took. */
  private record Pragma(String name, String value, String expected) {

    Pragma(String name, String value) {
      this(name, value, readBackForm(value));
    }

    String statement() {
      return "PRAGMA " + name + "=" + value;
    }

    void apply(Connection connection, Path path) throws SQLException {
      set(connection);
      String readBack = readBack(connection);
      if (!took(readBack)) {
        throw new SqliteOpenException(
            path, statement() + " did not take: SQLite reports " + name + "=" + readBack, null);
      }
    }

    void set(Connection connection) throws SQLException {
      try (Statement statement = connection.createStatement()) {
        statement.execute(statement());
      }
    }

    /** The value SQLite reports now. */
    String readBack(Connection connection) throws SQLException {
      try (Statement statement = connection.createStatement();
          ResultSet result = statement.executeQuery("PRAGMA " + name)) {
        return result.next() ? result.getString(1) : null;
      }
    }

    boolean took(String readBack) {
      return readBack != null && readBack.equalsIgnoreCase(expected);
    }

    /** SQLite reports booleans as 0 and 1. */
    private static String readBackForm(String value) {
      switch (value.toUpperCase(Locale.ROOT)) {
        case "ON":
        case "TRUE":
        case "YES":
          return "1";
        case "OFF":
        case "FALSE":
        case "NO":
          return "0";
        default:
          return value;
      }
    }
  }

  /** Collects settings; {@link #build()} validates them once. */
  public static final class Builder {
    private final Path path;
    private JournalMode journalMode = JournalMode.WAL;
    private Synchronous synchronous = Synchronous.NORMAL;
    private Duration busyTimeout = Duration.ofSeconds(5);
    private boolean foreignKeys = true;
    private final Map<String, String> otherPragmas = new LinkedHashMap<>();
    private GeneratedKeys generatedKeys;

    private Builder(Path path) {
      this.path = Objects.requireNonNull(path, "path");
    }

    /** Journal mode; default {@link JournalMode#WAL}. */
    public Builder journalMode(JournalMode mode) {
      this.journalMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** Synchronous; default {@link Synchronous#NORMAL}. */
    public Builder synchronous(Synchronous mode) {
      this.synchronous = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * How long SQLite's own busy handler waits for a lock before it reports SQLITE_BUSY; default 5
     * s, zero for no waiting. Whole milliseconds, up to {@code Integer.MAX_VALUE}.
     */
    public Builder busyTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "busy timeout must be between 0 and " + Integer.MAX_VALUE + " ms, was " + timeout);
      }
      this.busyTimeout = timeout;
      return this;
    }

    /** Foreign key enforcement; default on. */
    public Builder foreignKeys(boolean enabled) {
      this.foreignKeys = enabled;
      return this;
    }

    /**
     * Any other PRAGMA, e.g. {@code pragma("cache_size", "-20000")}. Give the value in the form
     * SQLite reports it back (numbers for enumerations such as {@code temp_store}), because every
     * PRAGMA is read back after it is set.
     *
     * @throws IllegalArgumentException for a malformed name or value, or a PRAGMA that has its own
     *     setter here
     */
    public Builder pragma(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (!PRAGMA_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("not a PRAGMA name: '" + name + "'");
      }
      if (!PRAGMA_VALUE.matcher(value).matches()) {
        throw new IllegalArgumentException(
            "PRAGMA " + name + " value must be a word or number, was '" + value + "'");
      }
      String key = name.toLowerCase(Locale.ROOT);
      if (DEDICATED.contains(key)) {
        throw new IllegalArgumentException(
            "PRAGMA " + key + " has its own setting here (or is set by the executor)");
      }
      otherPragmas.put(key, value);
      return this;
    }

    /**
     * When generated keys are read back; unset leaves it to the strategy (see {@link
     * SqliteSettings#generatedKeys()}).
     */
    public Builder generatedKeys(GeneratedKeys mode) {
      this.generatedKeys = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** The immutable settings. */
    public SqliteSettings build() {
      return new SqliteSettings(this);
    }
  }
}
