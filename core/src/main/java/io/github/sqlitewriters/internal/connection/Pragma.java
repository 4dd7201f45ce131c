package io.github.sqlitewriters.internal.connection;

import io.github.sqlitewriters.SqliteOpenException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/** One PRAGMA: the statement that sets it and the value SQLite reports back when it took. */
public record Pragma(String name, String value, String expected) {

  Pragma(String name, String value) {
    this(name, value, readBackForm(value));
  }

  public String statement() {
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
