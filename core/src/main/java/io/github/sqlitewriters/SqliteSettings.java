package io.github.sqlitewriters;

import io.github.sqlitewriters.internal.connection.Pragma;
import io.github.sqlitewriters.internal.connection.SqliteConnector;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
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

  private SqliteSettings(Builder builder) {
    this.path = builder.path.toAbsolutePath().normalize();
    this.journalMode = builder.journalMode;
    this.synchronous = builder.synchronous;
    this.busyTimeout = builder.busyTimeout;
    this.foreignKeys = builder.foreignKeys;
    this.otherPragmas = Collections.unmodifiableMap(new LinkedHashMap<>(builder.otherPragmas));
    this.generatedKeys = builder.generatedKeys;
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

  /** PRAGMAs set by name with {@link Builder#pragma}, in the order given. */
  public Map<String, String> otherPragmas() {
    return otherPragmas;
  }

  /**
   * The exact statements run on every connection, in order, e.g. {@code PRAGMA synchronous=FULL}.
   */
  public List<String> pragmas() {
    List<String> statements = new ArrayList<>();
    for (Pragma pragma : SqliteConnector.pragmas(this)) {
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
    return SqliteConnector.of(this).open();
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
        && ((SqliteSettings) other).pragmas().equals(pragmas())
        && ((SqliteSettings) other).generatedKeys == generatedKeys;
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, pragmas(), generatedKeys);
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
     * s, zero for no waiting. Whole milliseconds, up to {@code Integer.MAX_VALUE}. It serves the
     * statements of works and of the comparison strategies; the product strategies take the write
     * lock by their own retries, to {@link ExecutorOptions#busyDeadline()}.
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
