package io.github.sqlitewriters;

import io.github.sqlitewriters.internal.datasource.DataSourcePool;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * What this library's two DataSources have in common as a {@link DataSource}: lending connections
 * from their {@link DataSourcePool}, the statistics, and the parts of the interface SQLite gives no
 * meaning to. Package-private: users hold {@link ImmediateDataSource} or {@link
 * GroupCommitDataSource}, whose contracts differ where their transactions commit.
 */
abstract class PoolDataSource implements DataSource, AutoCloseable {
  /** The machinery behind this facade; the Micrometer binding reads its statistics. */
  final DataSourcePool pool;

  private final String name;
  private final ExecutorOptions options;

  PoolDataSource(String name, DataSourcePool pool, ExecutorOptions options) {
    this.name = name;
    this.pool = pool;
    this.options = options;
  }

  /**
   * Lends a connection in auto-commit mode, waiting for a free one until the busy deadline.
   *
   * @throws SqliteBusyException if every connection stayed lent until the deadline
   */
  @Override
  public Connection getConnection() throws SQLException {
    return pool.lend();
  }

  /** User names and passwords mean nothing to SQLite. */
  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException(
        name + " has no users: SQLite files have no login; call getConnection()");
  }

  /** What the DataSource has done since it opened, counted as an executor counts. */
  public ExecutorStats stats() {
    return pool.stats();
  }

  /** The settings every connection runs with. */
  public SqliteSettings settings() {
    return pool.settings();
  }

  /** Closes every connection, lent ones included; later calls to getConnection() fail. */
  @Override
  public void close() {
    pool.close();
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    // Nothing is logged: failures reach callers as exceptions.
  }

  @Override
  public void setLoginTimeout(int seconds) {
    // The wait for a connection is the busy deadline, set in ExecutorOptions.
  }

  @Override
  public int getLoginTimeout() {
    return (int) options.busyDeadline().toSeconds();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException(name + " does not log through java.util.logging");
  }

  /** Only this DataSource itself: nothing leads to the raw connections. */
  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException(name + " is not a wrapper for " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }

  @Override
  public String toString() {
    return name + " on " + pool.settings().path();
  }
}
