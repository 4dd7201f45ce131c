package io.github.sqlitewriters.internal.comparison;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.sqlitewriters.ExecutorOptions;
import io.github.sqlitewriters.SqlWork;
import io.github.sqlitewriters.SqliteOpenException;
import io.github.sqlitewriters.SqliteSettings;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * {@code hikari-pool}: a HikariCP pool over sqlite-jdbc with HikariCP's default settings (ten
 * connections, 30 s connection timeout, auto-commit on), and deferred JDBC transactions, as Java
 * services usually deploy SQLite. Kept for comparison: a pool caps the connections but does not
 * make SQLite's writers take turns, so it fails like {@code deferred-busy-timeout} does. HikariCP
 * is an optional dependency of core; {@link Strategies#open} says so if it is missing.
 */
public final class HikariPoolExecutor extends ComparisonExecutor {
  private final HikariDataSource pool;

  public HikariPoolExecutor(String name, SqliteSettings settings, ExecutorOptions options)
      throws SQLException {
    super(name, settings, options);
    // Open one connection the way the other strategies do, so a bad path fails with the same error.
    takeFirstConnection().close();
    HikariConfig config = new HikariConfig();
    config.setPoolName("sqlite-writers-" + name);
    config.setDataSource(new SettingsDataSource(settings));
    try {
      this.pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new SqliteOpenException(settings.path(), "HikariCP could not start: " + e, e);
    }
  }

  @Override
  protected <T> T runTransaction(SqlWork<T> work, long calledNanos) throws SQLException {
    try (Connection connection = pool.getConnection()) {
      return runDeferred(connection, work, calledNanos);
    }
  }

  @Override
  protected void closeConnections() {
    pool.close();
  }

  /** Hands HikariCP connections opened by the settings, every PRAGMA applied and read back. */
  private static final class SettingsDataSource implements DataSource {
    private final SqliteSettings settings;
    private int loginTimeoutSeconds;

    SettingsDataSource(SqliteSettings settings) {
      this.settings = settings;
    }

    @Override
    public Connection getConnection() throws SQLException {
      return settings.openConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      return settings.openConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {
      this.loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
      return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException("no parent logger");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
      if (type.isInstance(this)) {
        return type.cast(this);
      }
      throw new SQLException("not a wrapper for " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
      return type.isInstance(this);
    }
  }
}
