package io.github.sqlitewriters;

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
 */
final class ControlStatements implements ImmediateTransactions.SqlRunner {
  private final Connection connection;
  private final Map<String, PreparedStatement> prepared = new HashMap<>();

  ControlStatements(Connection connection) {
    this.connection = connection;
  }

  @Override
  public void execute(String sql) throws SQLException {
    PreparedStatement statement = prepared.get(sql);
    if (statement == null) {
      statement = connection.prepareStatement(sql);
      prepared.put(sql, statement);
    }
    statement.executeUpdate();
  }
}
