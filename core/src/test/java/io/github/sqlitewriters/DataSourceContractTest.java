package io.github.sqlitewriters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sqlite.SQLiteConnection;

/**
 * What {@link ImmediateDataSource} promises against callers that misuse a connection: no route to
 * the raw connection, nothing after close, no transaction ended behind its back, no connection
 * handed on in a state its next borrower did not ask for, and no caller told a write committed that
 * is not.
 */
class DataSourceContractTest {
  @TempDir Path dir;
  private SqliteSettings settings;
  private ImmediateDataSource dataSource;

  @BeforeEach
  void open() throws SQLException {
    settings = TestDb.tableIn(dir);
    dataSource =
        ImmediateDataSource.open(
            settings,
            ExecutorOptions.builder()
                .busyDeadline(Duration.ofMillis(500))
                .maxConnections(4)
                .build());
  }

  @AfterEach
  void close() {
    dataSource.close();
  }

  @Test
  void nothingLeadsToTheRawConnection() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT 1")) {
      assertThrows(SQLException.class, () -> c.unwrap(SQLiteConnection.class));
      assertFalse(c.isWrapperFor(SQLiteConnection.class));
      assertSame(c, s.getConnection());
      assertSame(s, r.getStatement());
      assertSame(c, r.getStatement().getConnection());
      DatabaseMetaData meta = c.getMetaData();
      assertSame(c, meta.getConnection());
      assertThrows(SQLException.class, () -> s.unwrap(org.sqlite.core.CoreStatement.class));
      assertThrows(SQLException.class, () -> meta.unwrap(Object.class.getClass()));
    }
  }

  @Test
  void nothingWorksAfterClose() throws SQLException {
    Connection c = dataSource.getConnection();
    PreparedStatement p = c.prepareStatement("INSERT INTO t(k) VALUES (?)");
    Statement s = c.createStatement();
    ResultSet r = s.executeQuery("SELECT 1");
    DatabaseMetaData meta = c.getMetaData();
    c.close();
    assertTrue(c.isClosed());
    assertTrue(p.isClosed());
    assertThrows(SQLException.class, () -> c.createStatement());
    assertThrows(SQLException.class, () -> p.executeUpdate());
    assertThrows(SQLException.class, () -> s.execute("INSERT INTO t(k) VALUES (1)"));
    assertThrows(SQLException.class, () -> r.next());
    assertThrows(SQLException.class, () -> meta.getTables(null, null, "%", null));
    assertEquals(0, TestDb.count(settings));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"BEGIN", "BEGIN IMMEDIATE", "COMMIT", "END", "ROLLBACK", "/* x */ commit"})
  void sqlThatEndsTransactionsIsRefused(String sql) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO t(k) VALUES (1)");
        assertThrows(TransactionControlException.class, () -> s.execute(sql));
      }
      assertThrows(TransactionControlException.class, () -> c.prepareStatement(sql));
      c.rollback();
      c.setAutoCommit(true);
      try (Statement s = c.createStatement()) {
        assertThrows(TransactionControlException.class, () -> s.execute(sql));
      }
    }
    assertEquals(0, TestDb.count(settings));
  }

  @Test
  void aTransactionSqliteRolledBackRefusesTheRestAndCannotCommit() throws Exception {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.executeUpdate("INSERT INTO t(k) VALUES (1)");
      assertThrows(
          SQLException.class, () -> s.executeUpdate("INSERT OR ROLLBACK INTO t(k) VALUES (1)"));
      // Without the refusal this would run in auto-commit, outside any turn, and stay.
      SQLException refused =
          assertThrows(SQLException.class, () -> s.executeUpdate("INSERT INTO t(k) VALUES (2)"));
      assertEquals("40000", refused.getSQLState());
      // The turn is free again: another connection writes at once.
      try (Connection other = dataSource.getConnection();
          Statement o = other.createStatement()) {
        o.executeUpdate("INSERT INTO t(k) VALUES (3)");
      }
      assertThrows(SQLException.class, c::commit);
      s.executeUpdate("INSERT INTO t(k) VALUES (4)");
      c.commit();
    }
    assertFalse(TestDb.hasKey(settings, 1));
    assertFalse(TestDb.hasKey(settings, 2));
    assertTrue(TestDb.hasKey(settings, 3));
    assertTrue(TestDb.hasKey(settings, 4));
  }

  @Test
  void aTransactionLeftOpenAtCloseIsRolledBackAndItsTurnFreed() throws SQLException {
    Connection c = dataSource.getConnection();
    c.setAutoCommit(false);
    TestDb.execute(c, "INSERT INTO t(k) VALUES (1)");
    c.close();
    try (Connection other = dataSource.getConnection()) {
      TestDb.execute(other, "INSERT INTO t(k) VALUES (2)");
    }
    assertFalse(TestDb.hasKey(settings, 1));
    assertTrue(TestDb.hasKey(settings, 2));
  }

  @Test
  void aWriterWaitsForTheTurnUntilTheDeadlineThenGetsBusy() throws SQLException {
    try (Connection holder = dataSource.getConnection();
        Connection waiter = dataSource.getConnection()) {
      holder.setAutoCommit(false);
      TestDb.execute(holder, "INSERT INTO t(k) VALUES (1)");
      SQLException busy =
          assertThrows(
              SqliteBusyException.class,
              () -> TestDb.execute(waiter, "INSERT INTO t(k) VALUES (2)"));
      assertTrue(busy.getMessage().contains(ImmediateDataSource.NAME), busy.getMessage());
      // Reads in auto-commit mode take no turn.
      try (Statement s = waiter.createStatement();
          ResultSet r = s.executeQuery("SELECT count(*) FROM t")) {
        assertTrue(r.next());
      }
      holder.commit();
      TestDb.execute(waiter, "INSERT INTO t(k) VALUES (3)");
    }
    assertTrue(TestDb.hasKey(settings, 1));
    assertFalse(TestDb.hasKey(settings, 2));
    assertTrue(TestDb.hasKey(settings, 3));
  }

  @Test
  void anAutoCommitWriteThatReturnsRowsCommitsWithItsRows() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      long start = System.nanoTime();
      try (ResultSet r = s.executeQuery("INSERT INTO t(k) VALUES (5) RETURNING k")) {
        assertTrue(r.next());
        assertEquals(5, r.getLong(1));
      }
      assertTrue(s.execute("INSERT INTO t(k) VALUES (6) RETURNING k"));
      try (ResultSet r = s.getResultSet()) {
        assertTrue(r.next());
        assertEquals(6, r.getLong(1));
      }
      // Without reading the rows first, COMMIT meets its own statement as busy until the deadline.
      assertTrue(System.nanoTime() - start < Duration.ofMillis(400).toNanos());
    }
    assertTrue(TestDb.hasKey(settings, 5));
    assertTrue(TestDb.hasKey(settings, 6));
  }

  @Test
  void aConnectionIsResetBeforeItsNextBorrower() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      TestDb.execute(c, "PRAGMA synchronous=OFF");
      c.setReadOnly(true);
    }
    for (int i = 0; i < 4; i++) {
      try (Connection c = dataSource.getConnection()) {
        assertFalse(c.isReadOnly());
        try (Statement s = c.createStatement();
            ResultSet r = s.executeQuery("SELECT * FROM pragma_synchronous")) {
          r.next();
          assertEquals(settings.synchronous().ordinal(), r.getInt(1));
        }
        TestDb.execute(c, "INSERT INTO t(k) VALUES (" + i + ")");
      }
    }
    assertTrue(dataSource.stats().connectionsReopened() >= 1);
  }

  @Test
  void setReadOnlyInsideATransactionIsRefused() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      TestDb.execute(c, "INSERT INTO t(k) VALUES (1)");
      assertThrows(SQLException.class, () -> c.setReadOnly(true));
      c.commit();
    }
    assertTrue(TestDb.hasKey(settings, 1));
  }
}
