package io.github.sqlitewriters.internal.datasource;

import io.github.sqlitewriters.ExecutorOptions;
import io.github.sqlitewriters.ExecutorStats;
import io.github.sqlitewriters.SqliteBusyException;
import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.WriteInterruptedException;
import io.github.sqlitewriters.internal.connection.ConnectionPool;
import io.github.sqlitewriters.internal.connection.DatabaseFile;
import io.github.sqlitewriters.internal.connection.SqliteConnector;
import io.github.sqlitewriters.internal.connection.WriteConnection;
import io.github.sqlitewriters.internal.process.ProcessTurn;
import io.github.sqlitewriters.internal.stats.StatsRecorder;
import io.github.sqlitewriters.internal.transaction.SqlTransactions;
import io.github.sqlitewriters.internal.transaction.WriteTurns;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * What every connection an {@code ImmediateDataSource} lends shares: the write connections and
 * their pool, the turns at the write lock, the SQL transactions with their busy retries, and the
 * statistics. The DataSource itself is the facade a user holds; this is the machinery behind it, so
 * that the lent connections never reach back up to the facade (HikariCP keeps the same split
 * between {@code HikariDataSource} and {@code HikariPool}).
 */
public final class DataSourcePool {
  final String name;
  final SqliteSettings settings;
  final StatsRecorder stats = new StatsRecorder();
  final WriteTurns turns;
  final SqlTransactions transactions;

  /** The SQLite transaction write transactions share; null where each commits alone. */
  final SharedCommit shared;

  private final ExecutorOptions options;
  private final ConnectionPool<WriteConnection> connections;
  private volatile boolean closed;

  /**
   * Opens one connection, so that a bad path, a file that is not a database or a read-only file
   * fails here.
   *
   * @param name the name the DataSource gives in errors, statistics and results
   * @param settings the user's settings; generated keys are read on request unless they say
   *     otherwise, as under the product strategies
   * @param sharedCommits whether write transactions share COMMITs on one write connection ({@code
   *     group-commit-data-source}) or each commits alone on the connection lent ({@code
   *     immediate-data-source})
   */
  public DataSourcePool(
      String name, SqliteSettings settings, ExecutorOptions options, boolean sharedCommits)
      throws SQLException {
    this.name = name;
    this.settings =
        SqliteConnector.withGeneratedKeysUnlessSet(
            settings, SqliteSettings.GeneratedKeys.ON_REQUEST);
    this.options = options;
    SqliteConnector connector = SqliteConnector.of(this.settings);
    Connection first = connector.openWritable();
    DatabaseFile file = DatabaseFile.openedBy(first, this.settings.path());
    this.transactions = new SqlTransactions(name, this.settings, options, stats, file);
    this.connections =
        new ConnectionPool<>(
                () -> WriteConnection.open(this.settings.openConnection(), stats),
                options.maxConnections())
            .with(WriteConnection.open(first, stats));
    this.shared = sharedCommits ? sharedCommit() : null;
    // Last: the file exists by now, and nothing after this can fail and leave the turn open.
    this.turns =
        new WriteTurns(name, options.busyDeadline(), ProcessTurn.of(this.settings, options));
  }

  /** The shared write connection; if it cannot be opened, the pool's connections are closed. */
  private SharedCommit sharedCommit() throws SQLException {
    try {
      return new SharedCommit(this, WriteConnection.open(settings.openConnection(), stats));
    } catch (SQLException | RuntimeException e) {
      connections.close();
      throw e;
    }
  }

  /**
   * Lends a connection in auto-commit mode, waiting for a free one until the busy deadline.
   *
   * @throws SqliteBusyException if every connection stayed lent until the deadline
   */
  public Connection lend() throws SQLException {
    if (closed) {
      throw new SQLException(name + " on " + settings.path() + " is closed", "08003");
    }
    long called = System.nanoTime();
    WriteConnection writer;
    try {
      writer = connections.acquire(options.busyDeadline());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw WriteInterruptedException.notCommitted(name);
    }
    if (writer == null) {
      throw new SqliteBusyException(
          SqliteBusyException.Code.BUSY,
          name,
          1,
          Duration.ofNanos(System.nanoTime() - called),
          new SQLException("all " + options.maxConnections() + " connections stayed lent"));
    }
    return new DataSourceConnection(this, writer).view();
  }

  /** Takes a connection back from a closed {@link DataSourceConnection}, reset or replaced. */
  void release(WriteConnection writer) {
    boolean healthy = writer.restore(settings);
    if (!healthy) {
      stats.connectionReopened();
    }
    connections.release(writer, healthy);
  }

  /** The settings every connection runs with. */
  public SqliteSettings settings() {
    return settings;
  }

  /** The recorder behind {@link #stats()}, for the Micrometer binding's timers. */
  public StatsRecorder recorder() {
    return stats;
  }

  /** What the connections have done since the pool opened, counted as an executor counts. */
  public ExecutorStats stats() {
    return stats.snapshot();
  }

  /** Writers waiting for their turn now. */
  public int waiting() {
    return turns.waiting();
  }

  /** Closes every connection, lent ones included; later calls to {@link #lend()} fail. */
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (shared != null) {
      shared.close();
    }
    connections.close();
    turns.close();
  }
}
