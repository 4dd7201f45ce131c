package io.github.sqlitewriters.internal.connection;

import io.github.sqlitewriters.internal.sql.ConnectionSteps;
import io.github.sqlitewriters.internal.sql.SqlText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConnection;

/**
 * Generated keys for a statement that asked for them, on a connection where sqlite-jdbc does not
 * read them itself ({@code SqliteSettings.GeneratedKeys.ON_REQUEST}, the product strategies'
 * default: the driver's own reading costs a query after every INSERT). The one way both views serve
 * them, the executor's to a work and the DataSource's to a framework.
 *
 * <p>The key is read right after the execution that asked, by {@link #keyOf}, because a later
 * statement of the same caller moves {@code last_insert_rowid()} on; only an INSERT or REPLACE that
 * changed a row has a key, so a statement never reports an earlier statement's. {@link #rows} hands
 * it to the caller as the one-column result set JDBC expects, labelled as the driver labels its
 * own. The key query is prepared once per connection; each {@code getGeneratedKeys()} gets a result
 * set of its own.
 */
public final class GeneratedKeys implements AutoCloseable {
  private static final String LAST_ROWID = "SELECT last_insert_rowid()";
  private static final String ROWS = "SELECT ?1 AS \"last_insert_rowid()\" WHERE ?1 IS NOT NULL";

  private final Connection connection;
  private Boolean driverReads;
  private PreparedStatement lastRowid;

  public GeneratedKeys(Connection connection) {
    this.connection = connection;
  }

  /** True where sqlite-jdbc reads keys after every INSERT itself; then its own answer stands. */
  public boolean driverReads() throws SQLException {
    if (driverReads == null) {
      driverReads =
          connection.unwrap(SQLiteConnection.class).getConnectionConfig().isGetGeneratedKeys();
    }
    return driverReads;
  }

  /**
   * The key of the row an execution just inserted; null if it was not an INSERT or REPLACE or
   * changed no row.
   *
   * @param sql the statement's SQL
   * @param statement the raw statement, asked for its update count when the result does not say
   * @param result what the execution returned
   */
  public Long keyOf(String sql, Statement statement, Object result) throws SQLException {
    if (!SqlText.inserts(sql) || rowsChanged(statement, result) <= 0) {
      return null;
    }
    if (lastRowid == null) {
      lastRowid = connection.prepareStatement(LAST_ROWID);
    }
    try (ResultSet key = lastRowid.executeQuery()) {
      return key.next() ? key.getLong(1) : null;
    } catch (SQLException e) {
      // sqlite-jdbc closes a statement after an error from it: prepare afresh next time.
      ConnectionSteps.closeQuietly(lastRowid, e);
      lastRowid = null;
      throw e;
    }
  }

  /**
   * The key, or no row for null, as the result set {@code getGeneratedKeys()} returns: each call
   * its own result set on a statement of its own, closed with it ({@code closeOnCompletion}), so
   * two statements' keys can be read side by side. The caller closes it at the latest when its view
   * or loan ends: it must not outlive the caller on a pooled connection.
   */
  public ResultSet rows(Long key) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(ROWS);
    try {
      statement.setObject(1, key);
      statement.closeOnCompletion();
      return statement.executeQuery();
    } catch (SQLException e) {
      ConnectionSteps.closeQuietly(statement, e);
      throw e;
    }
  }

  private static long rowsChanged(Statement statement, Object result) throws SQLException {
    if (result instanceof Number) {
      return ((Number) result).longValue();
    }
    if (result instanceof int[]) {
      long sum = 0;
      for (int count : (int[]) result) {
        sum += Math.max(count, 0);
      }
      return sum;
    }
    if (result instanceof long[]) {
      long sum = 0;
      for (long count : (long[]) result) {
        sum += Math.max(count, 0);
      }
      return sum;
    }
    if (Boolean.TRUE.equals(result) || result instanceof ResultSet) {
      // An INSERT that returns rows (RETURNING): SQLite made every change at the first step.
      return 1;
    }
    // execute() that returned false: an update count.
    return statement.getUpdateCount();
  }

  /** Closes the prepared queries; only views that made their own close them. */
  @Override
  public void close() {
    if (lastRowid != null) {
      ConnectionSteps.closeQuietly(lastRowid, null);
    }
    lastRowid = null;
  }
}
