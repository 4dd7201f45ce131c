package io.github.sqlitewriters.internal.connection;

import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.internal.sql.ConnectionSteps;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A {@code query_only} connection that serves {@link WriteExecutor#read}, with a watch on its
 * transaction hooks: read work that turns {@code query_only} off and commits a write itself is
 * caught by SQLite's commit hook and told so, like write work that ends its transaction.
 */
public record ReaderConnection(Connection connection, TransactionWatch watch)
    implements AutoCloseable {

  public static ReaderConnection open(SqliteSettings settings) throws SQLException {
    Connection connection = SqliteConnector.of(settings).openReader();
    try {
      return new ReaderConnection(connection, TransactionWatch.on(connection));
    } catch (SQLException | RuntimeException e) {
      ConnectionSteps.closeQuietly(connection, e);
      throw e;
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
