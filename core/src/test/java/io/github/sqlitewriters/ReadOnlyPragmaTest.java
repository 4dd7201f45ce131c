package io.github.sqlitewriters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A PRAGMA that only reads the schema (what Hibernate runs to check its tables) leaves the
 * connection as it was: no executor and no DataSource replaces the connection for it, and a
 * read-only DataSource connection may run it. A PRAGMA that sets state still costs a fresh
 * connection, so nothing it changed reaches the next caller.
 */
class ReadOnlyPragmaTest {
  private static final String[] READS = {
    "PRAGMA table_info(t)",
    "pragma main.table_xinfo('t')",
    "/* Hibernate */ PRAGMA index_list(t)",
    "PRAGMA foreign_key_list(\"child\")",
    "PRAGMA database_list",
    "SELECT name FROM pragma_table_info('t')"
  };

  @TempDir Path dir;

  /** Table t, and a child table with a foreign key, for foreign_key_list to list. */
  private SqliteSettings tables() throws SQLException {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (Connection c = settings.openConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE child(id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES t(id))");
    }
    return settings;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#product")
  void schemaReadsKeepTheExecutorsConnection(String strategy) throws Exception {
    try (WriteExecutor executor = Strategies.open(strategy, tables())) {
      for (String sql : READS) {
        int rows = executor.write(c -> rowsOf(c, sql));
        assertTrue(rows > 0, sql + " read rows");
        executor.write(TestDb.insert(rows + 1000L * sql.length()));
      }
      assertEquals(0, executor.stats().connectionsReopened(), executor.stats().toString());
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"PRAGMA user_version = 7", "PRAGMA optimize", "PRAGMA cache_size = 10"})
  void aPragmaThatMaySetStateStillReplacesIt(String sql) throws Exception {
    try (WriteExecutor executor = Strategies.open(Strategies.GROUP_COMMIT, TestDb.tableIn(dir))) {
      executor.write(c -> TestDb.execute(c, sql));
      executor.write(TestDb.insert(1));
      assertEquals(1, executor.stats().connectionsReopened(), sql);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#dataSources")
  void schemaReadsKeepTheDataSourcesConnectionAndRunOnReadOnlyOnes(String name) throws Exception {
    try (PoolDataSource dataSource =
        TestDb.dataSource(name, tables(), ExecutorOptions.defaults())) {
      for (boolean readOnly : new boolean[] {false, true}) {
        for (String sql : READS) {
          try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(readOnly);
            assertTrue(rowsOf(c, sql) > 0, sql);
          }
        }
        try (Connection c = dataSource.getConnection();
            Statement s = c.createStatement()) {
          s.executeUpdate("INSERT INTO t(k) VALUES (" + (readOnly ? 2 : 1) + ")");
        }
      }
      // Inside a write transaction too (under shared COMMITs, on the shared connection).
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        for (String sql : READS) {
          assertTrue(rowsOf(c, sql) > 0, sql);
        }
        TestDb.execute(c, "INSERT INTO t(k) VALUES (4)");
        c.commit();
      }
      assertEquals(
          0, dataSource.pool.stats().connectionsReopened(), dataSource.pool.stats().toString());
      try (Connection c = dataSource.getConnection();
          Statement s = c.createStatement()) {
        s.execute("PRAGMA user_version = 7");
      }
      try (Connection c = dataSource.getConnection();
          Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO t(k) VALUES (3)");
      }
      assertEquals(
          1, dataSource.pool.stats().connectionsReopened(), "a setting PRAGMA still replaces");
    }
  }

  private static int rowsOf(Connection c, String sql) throws SQLException {
    int rows = 0;
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        rows++;
      }
    }
    return rows;
  }
}
