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
  private PoolDataSource dataSource;

  /** The DataSource under test; {@link GroupCommitDataSourceContractTest} gives the other. */
  PoolDataSource open(SqliteSettings settings, ExecutorOptions options) throws SQLException {
    return ImmediateDataSource.open(settings, options);
  }

  /** A statement after which SQLite rolls back the whole transaction, with a row of key 1 in. */
  String sqliteRollsBack() {
    return "INSERT OR ROLLBACK INTO t(k) VALUES (1)";
  }

  SqliteSettings settings() {
    return settings;
  }

  private String name() {
    return dataSource instanceof GroupCommitDataSource
        ? GroupCommitDataSource.NAME
        : ImmediateDataSource.NAME;
  }

  @BeforeEach
  void open() throws SQLException {
    settings = TestDb.tableIn(dir);
    dataSource =
        open(
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
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      Statement s = c.createStatement();
      s.executeUpdate("INSERT INTO t(k) VALUES (1)");
      assertThrows(SQLException.class, () -> s.executeUpdate(sqliteRollsBack()));
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
      try (Statement next = c.createStatement()) {
        next.executeUpdate("INSERT INTO t(k) VALUES (4)");
      }
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
      assertTrue(busy.getMessage().contains(name()), busy.getMessage());
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

  @Test
  void metadataObjectsDoNotLeadToTheRawConnection() throws SQLException {
    Connection c = dataSource.getConnection();
    PreparedStatement p = c.prepareStatement("INSERT INTO t(k) VALUES (?)");
    Object parameters = p.getParameterMetaData();
    ResultSet r = c.createStatement().executeQuery("SELECT k FROM t");
    Object columns = r.getMetaData();
    // sqlite-jdbc's own metadata objects are its statement and result set.
    assertFalse(parameters instanceof Statement);
    assertFalse(columns instanceof ResultSet);
    c.close();
    assertThrows(SQLException.class, () -> p.getParameterMetaData());
    assertThrows(SQLException.class, () -> ((java.sql.ResultSetMetaData) columns).getColumnCount());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "INSERT INTO t(k) VALUES (10); COMMIT",
        "SELECT 1; BEGIN",
        "INSERT INTO t(k) VALUES (11); COMMIT; BEGIN; INSERT INTO t(k) VALUES (12)",
        "UPDATE t SET v = 'x'; SELECT 1"
      })
  void severalStatementsInOneStringAreRefused(String sql) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      assertThrows(SQLException.class, () -> s.executeUpdate(sql));
      c.setAutoCommit(false);
      assertThrows(SQLException.class, () -> s.executeUpdate(sql));
      c.rollback();
    }
    assertEquals(0, TestDb.count(settings));
    // Nothing was left holding the lock.
    TestDb.execute(settings.openConnection(), "INSERT INTO t(k) VALUES (1)");
  }

  @Test
  void aSemicolonInsideALiteralIsOneStatement() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      try (ResultSet r =
          s.executeQuery("INSERT INTO t(k, v) VALUES (1, 'a;b'), (2, 'c') RETURNING k")) {
        assertTrue(r.next());
        assertSame(s, r.getStatement());
        assertEquals(1L, r.getObject(1, Long.class));
        assertFalse(r.isClosed());
      }
      // Closing the rows committed the auto-commit write and gave the turn back.
      try (Connection other = dataSource.getConnection()) {
        TestDb.execute(other, "INSERT INTO t(k) VALUES (3)");
      }
    }
    assertEquals(3, TestDb.count(settings));
  }

  @ParameterizedTest
  @ValueSource(strings = {"PRAGMA query_only=0", "ATTACH ':memory:' AS x", "restore from x.db"})
  void aReadOnlyConnectionRunsRowStatementsOnly(String sql) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      c.setReadOnly(true);
      assertThrows(WriteInReadException.class, () -> s.execute(sql));
      assertThrows(
          WriteInReadException.class, () -> s.executeUpdate("INSERT INTO t(k) VALUES (4)"));
    }
    assertEquals(0, TestDb.count(settings));
  }

  @Test
  void cancelAfterCloseDoesNotReachTheNextBorrower() throws Exception {
    PoolDataSource one = open(settings, ExecutorOptions.builder().maxConnections(1).build());
    try (one) {
      Connection first = one.getConnection();
      Statement stale = first.createStatement();
      first.close();
      try (Connection next = one.getConnection();
          Statement s = next.createStatement()) {
        var counting =
            java.util.concurrent.CompletableFuture.supplyAsync(
                () -> {
                  try (ResultSet r =
                      s.executeQuery(
                          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                              + " WHERE i < 3000000) SELECT count(*) FROM n")) {
                    r.next();
                    return r.getLong(1);
                  } catch (SQLException e) {
                    throw new java.util.concurrent.CompletionException(e);
                  }
                });
        while (!counting.isDone()) {
          stale.cancel();
        }
        assertEquals(3_000_000L, counting.get());
      }
    }
  }

  @Test
  void aStaleReadSnapshotFailsAtOnceInsteadOfWaitingOutTheDeadline() throws SQLException {
    PoolDataSource patient =
        open(settings, ExecutorOptions.builder().busyDeadline(Duration.ofSeconds(10)).build());
    try (patient;
        Connection c = patient.getConnection();
        Statement s = c.createStatement()) {
      TestDb.execute(c, "INSERT INTO t(k) VALUES (1)");
      TestDb.execute(c, "INSERT INTO t(k) VALUES (2)");
      try (ResultSet cursor = s.executeQuery("SELECT k FROM t")) {
        assertTrue(cursor.next());
        try (Connection other = patient.getConnection()) {
          TestDb.execute(other, "INSERT INTO t(k) VALUES (3)");
        }
        long start = System.nanoTime();
        try (Statement update = c.createStatement()) {
          assertThrows(
              SQLException.class, () -> update.executeUpdate("UPDATE t SET v = 'x' WHERE k = 2"));
        }
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos());
      }
      // The turn was given back: the next write goes through.
      TestDb.execute(c, "INSERT INTO t(k) VALUES (4)");
    }
  }

  @Test
  void keysAreOnlyThoseOfTheStatementThatAskedAndInserted() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED); // stricter is allowed
      assertEquals(Connection.TRANSACTION_SERIALIZABLE, c.getTransactionIsolation());
      try (PreparedStatement insert =
          c.prepareStatement("INSERT INTO t(k) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
        for (int k = 1; k <= 3; k++) {
          insert.setInt(1, k);
          insert.executeUpdate();
          try (ResultSet keys = insert.getGeneratedKeys()) {
            assertTrue(keys.next());
            assertEquals(k, keys.getLong(1));
          }
        }
      }
      try (PreparedStatement update =
          c.prepareStatement("UPDATE t SET v = 'y' WHERE k = 1", Statement.RETURN_GENERATED_KEYS)) {
        update.executeUpdate();
        try (ResultSet keys = update.getGeneratedKeys()) {
          assertFalse(keys.next(), "an UPDATE has no generated key");
        }
      }
    }
  }

  /** Two statements' keys read side by side; an unclosed keys result set ends with the loan. */
  @Test
  void keysReadSideBySideAndClosedWithTheLoan() throws Exception {
    try (PoolDataSource single =
        open(settings, ExecutorOptions.builder().maxConnections(1).build())) {
      try (Connection c = single.getConnection();
          PreparedStatement a =
              c.prepareStatement("INSERT INTO t(k) VALUES (?)", Statement.RETURN_GENERATED_KEYS);
          PreparedStatement b =
              c.prepareStatement("INSERT INTO t(k) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
        a.setInt(1, 31);
        a.executeUpdate();
        b.setInt(1, 32);
        b.executeUpdate();
        ResultSet keysOfA = a.getGeneratedKeys();
        ResultSet keysOfB = b.getGeneratedKeys();
        assertTrue(keysOfA.next() && keysOfB.next());
        assertEquals(
            TestDb.queryLong(settings.path(), "SELECT id FROM t WHERE k = 31"), keysOfA.getLong(1));
        assertEquals(
            TestDb.queryLong(settings.path(), "SELECT id FROM t WHERE k = 32"), keysOfB.getLong(1));
        // Neither result set closed: the loan's end must close them.
      }
      try (Connection next = single.getConnection();
          Statement s = next.createStatement()) {
        s.execute("VACUUM"); // fails while any statement is still running on the connection
      }
    }
  }

  /** Each statement keeps its own key, read when it ran, though another inserted after it. */
  @Test
  void aStatementsKeyIsItsOwnAfterAnotherInserts() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement first =
            c.prepareStatement("INSERT INTO t(k) VALUES (?)", Statement.RETURN_GENERATED_KEYS);
        PreparedStatement second =
            c.prepareStatement("INSERT INTO t(k) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
      first.setInt(1, 21);
      first.executeUpdate();
      second.setInt(1, 22);
      second.executeUpdate();
      try (ResultSet firstKey = first.getGeneratedKeys()) {
        assertTrue(firstKey.next());
        assertEquals(
            TestDb.queryLong(settings.path(), "SELECT id FROM t WHERE k = 21"),
            firstKey.getLong(1),
            "the first statement's own row");
      }
      try (ResultSet secondKey = second.getGeneratedKeys()) {
        assertTrue(secondKey.next());
        assertEquals(
            TestDb.queryLong(settings.path(), "SELECT id FROM t WHERE k = 22"),
            secondKey.getLong(1));
      }
    }
  }
}
