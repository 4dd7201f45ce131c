package io.github.sqlitewriters.internal.connection;

import io.github.sqlitewriters.internal.sql.ConnectionSteps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Transaction-control statements (BEGIN IMMEDIATE, COMMIT, SAVEPOINT, ...) prepared once per
 * connection and reused. A writer thread runs several of them per task, and preparing each one
 * afresh was a measurable share of a group commit's per-task cost. Used by one thread at a time,
 * like the connection it belongs to.
 *
 * <p>sqlite-jdbc closes a prepared statement after an error from it (a COMMIT that met a full disk,
 * say), and a closed statement fails every later use with "statement is not executing". So a
 * statement that failed is dropped here and prepared afresh on its next use.
 */
public final class ControlStatements {
  private final Connection connection;
  private final Map<String, PreparedStatement> prepared = new HashMap<>();

  ControlStatements(Connection connection) {
    this.connection = connection;
  }

  /** Runs one control statement, prepared once and kept while it succeeds. */
  public void execute(String sql) throws SQLException {
    PreparedStatement statement = prepared.get(sql);
    if (statement == null) {
      statement = connection.prepareStatement(sql);
      prepared.put(sql, statement);
    }
    try {
      statement.executeUpdate();
    } catch (SQLException e) {
      prepared.remove(sql);
      ConnectionSteps.closeQuietly(statement, e);
      throw e;
    }
  }
}
